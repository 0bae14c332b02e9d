using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Bitmaps;

/// <summary>
/// Daily login tracking on bitmaps: one string per day, bit N is user N. Every call works on one learner's
/// keys and returns the commands it ran.
/// </summary>
public interface IBitmapsDemo : IDataStructureDemo
{
    /// <summary>
    /// How long a large bitmap (past <see cref="BitmapsDemoService.BudgetedFromBits"/> bits) lives after its last write,
    /// and holds its share of the class's demo memory: <c>Budgets:LargeDemoDataMinutes</c>, at most the learner's key TTL.
    /// </summary>
    TimeSpan LargeDataLife { get; }

    /// <summary>SETBIT: marks <paramref name="userId"/> as logged in (or not) on <paramref name="day"/>; returns the bit's previous value.</summary>
    Task<Traced<bool>> SetLoginAsync(LearnerId learner, DateOnly day, long userId, bool loggedIn = true);

    /// <summary>Marks many users as logged in on one day (pipelined SETBITs).</summary>
    Task<Traced<int>> SetLoginsAsync(LearnerId learner, DateOnly day, IReadOnlyCollection<long> userIds);

    /// <summary>GETBIT: did <paramref name="userId"/> log in on <paramref name="day"/>?</summary>
    Task<Traced<bool>> GetLoginAsync(LearnerId learner, DateOnly day, long userId);

    /// <summary>BITCOUNT: how many users logged in on <paramref name="day"/>.</summary>
    Task<Traced<long>> CountAsync(LearnerId learner, DateOnly day);

    /// <summary>BITOP AND of two days into a third key, then BITCOUNT of each: who came back.</summary>
    Task<Traced<Retention>> RetentionAsync(LearnerId learner, DateOnly first, DateOnly second);

    /// <summary>GETRANGE of the first bytes of each day, decoded to bits, for the grid.</summary>
    Task<Traced<BitGrid>> SnapshotAsync(LearnerId learner, IReadOnlyList<DateOnly> days, int users = BitGrid.DefaultUsers);

    /// <summary>SETBIT at offset 999,999, then STRLEN and MEMORY USAGE: what a million users cost.</summary>
    Task<Traced<BitmapMemory>> MeasureMillionUsersAsync(LearnerId learner);
}
