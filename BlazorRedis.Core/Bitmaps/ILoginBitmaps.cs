using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Bitmaps;

/// <summary>
/// Daily login tracking on bitmaps: one string per day, bit N is user N. Every call works on one learner's
/// keys and returns the commands it ran.
/// </summary>
public interface ILoginBitmaps : IDataStructureDemo
{
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

/// <summary>Logins on two days and on both.</summary>
/// <param name="First">BITCOUNT of the first day.</param>
/// <param name="Second">BITCOUNT of the second day.</param>
/// <param name="Both">BITCOUNT of the AND: users active on both days.</param>
/// <param name="DestinationKey">Where BITOP stored the AND.</param>
public sealed record Retention(long First, long Second, long Both, string DestinationKey)
{
    /// <summary>Share of the first day's users who came back on the second day, in percent (0 when nobody came the first day).</summary>
    public double Percent => First == 0 ? 0 : 100.0 * Both / First;
}

/// <summary>The bits of the first users on some days, as Redis stores them (bit 0 is the high bit of byte 0).</summary>
/// <param name="Users">How many users (bits) per day.</param>
/// <param name="Days">The rows, in the order asked.</param>
public sealed record BitGrid(int Users, IReadOnlyList<BitGridDay> Days)
{
    /// <summary>The grid shows 256 users unless asked otherwise.</summary>
    public const int DefaultUsers = 256;

    /// <summary>An empty grid.</summary>
    public static BitGrid Empty { get; } = new(DefaultUsers, []);

    /// <summary>Decodes Redis's bit order: offset n lives in byte n/8, at bit 7 - n%8 (most significant first).</summary>
    public static bool[] Decode(ReadOnlySpan<byte> bytes, int users)
    {
        var bits = new bool[users];
        for (var n = 0; n < users; n++)
        {
            var b = n / 8;
            bits[n] = b < bytes.Length && (bytes[b] & (0x80 >> (n % 8))) != 0;
        }

        return bits;
    }
}

/// <summary>One day's row in the grid.</summary>
/// <param name="Day">The day.</param>
/// <param name="Bits">One flag per user, index = user id.</param>
/// <param name="Bytes">The raw bytes read (the first Users/8 bytes of the string).</param>
public sealed record BitGridDay(DateOnly Day, IReadOnlyList<bool> Bits, byte[] Bytes)
{
    /// <summary>Users set in the shown range.</summary>
    public int Count => Bits.Count(b => b);
}

/// <summary>The measured cost of a bitmap for one million users.</summary>
/// <param name="ExpectedBytes">1,000,000 bits / 8 = 125,000 bytes.</param>
/// <param name="StringLength">STRLEN after SETBIT at offset 999,999.</param>
/// <param name="MemoryUsage">MEMORY USAGE as Redis reports it (value plus key and object overhead), or null if the server refused.</param>
public sealed record BitmapMemory(long ExpectedBytes, long StringLength, long? MemoryUsage);
