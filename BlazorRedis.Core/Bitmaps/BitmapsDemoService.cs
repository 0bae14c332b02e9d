using System.Globalization;
using BlazorRedis.Core.Budgets;
using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Text;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.Bitmaps;

/// <summary>The Redis implementation of <see cref="IBitmapsDemo"/>: keys <c>…:bitmaps:logins:{yyyy-MM-dd}</c>.</summary>
public sealed class BitmapsDemoService(IConnectionMultiplexer mux, RedisKeyspace keyspace, RedisTracer tracer, KeyspaceJanitor janitor, ActionBudget? budget = null) : IBitmapsDemo
{
    /// <summary>
    /// A bitmap longer than this many bits (125 KB) is large demo data: counted against the class's budget of demo memory
    /// and kept for <see cref="LargeDataLife"/> (an hour) instead of a day, the key and its reservation
    /// ending together.
    /// </summary>
    public const long BudgetedFromBits = 1_000_000;

    /// <summary>The highest user id the demo accepts: 10,000,000 bits is a 1.25 MB string.</summary>
    public const long MaxUserId = 10_000_000;

    /// <summary>The most users one call may mark (the scenario needs a few dozen).</summary>
    public const int MaxBatch = 10_000;

    /// <summary>The offset that makes a bitmap long enough for one million users (0 … 999,999).</summary>
    public const long MillionthOffset = 999_999;

    private const string Area = BitmapsDemoModule.Slug;

    /// <inheritdoc/>
    public string Slug => Area;

    /// <inheritdoc/>
    public TimeSpan LargeDataLife => budget is not null && budget.LargeDemoDataLife < keyspace.LearnerKeyTtl ? budget.LargeDemoDataLife : keyspace.LearnerKeyTtl;

    /// <inheritdoc/>
    public async Task<Traced<long>> ResetAsync(LearnerId learner, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var keys = keyspace.ForLearner(learner);
        var reset = await janitor.ResetAsync(keys, Area).ConfigureAwait(false);

        // The long bitmaps are gone: the learner's share of the class's demo memory is free again.
        budget?.Release(BudgetKind.DemoMemory, learner.Value, keys.AreaPrefix(Area));
        return reset;
    }

    /// <inheritdoc/>
    public async Task<Traced<bool>> SetLoginAsync(LearnerId learner, DateOnly day, long userId, bool loggedIn = true)
    {
        ValidateUser(userId);
        var keys = Learner(learner);
        var key = DayKey(keys, ValidateDay(day));
        var ttl = Reserve(keys, key, userId);
        var db = mux.GetDatabase();
        var rec = tracer.Start(loggedIn ? $"User {userId} logs in" : $"Clear user {userId}");
        var previous = await rec.RunAsync(
            RedisCommandText.Format("SETBIT", key, userId, loggedIn ? 1 : 0),
            $"await db.StringSetBitAsync(key, {userId}, {(loggedIn ? "true" : "false")});",
            () => db.StringSetBitAsync(key, userId, loggedIn),
            RedisCommandText.Flag).ConfigureAwait(false);
        await DemoSteps.ExpireAsync(rec, db, key, ttl).ConfigureAwait(false);
        return new(previous, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<int>> SetLoginsAsync(LearnerId learner, DateOnly day, IReadOnlyCollection<long> userIds)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        if (userIds.Count == 0)
        {
            throw new LearnerInputException("Give at least one user id.", nameof(userIds));
        }

        if (userIds.Count > MaxBatch)
        {
            throw new LearnerInputException($"Mark at most {MaxBatch:N0} users at once.", nameof(userIds));
        }

        foreach (var id in userIds)
        {
            ValidateUser(id);
        }

        var keys = Learner(learner);
        var key = DayKey(keys, ValidateDay(day));
        var ttl = Reserve(keys, key, userIds.Max());
        var db = mux.GetDatabase();
        var rec = tracer.Start($"{Wording.Count(userIds.Count, "user")} log in on {day:ddd d MMM}");

        // One SETBIT per user, all sent at once (pipelined): one trace row whose wire list shows every SETBIT.
        var ids = userIds.ToArray();
        var shown = string.Join(" · ", ids.Take(3).Select(id => RedisCommandText.Format("SETBIT", key, id, 1)));
        var previous = await rec.RunAsync(
            $"{shown} … ({ids.Length} × SETBIT, pipelined)",
            $"await Task.WhenAll(new long[] {{ {string.Join(", ", ids.Take(10))}{(ids.Length > 10 ? $" /* … {ids.Length - 10} more user ids */" : "")} }}.Select(id => db.StringSetBitAsync(key, id, true))); // pipelined",
            () => Task.WhenAll(ids.Select(id => db.StringSetBitAsync(key, id, true))),
            bits => $"{bits.Count(b => !b)} bits changed from 0 to 1").ConfigureAwait(false);
        await DemoSteps.ExpireAsync(rec, db, key, ttl).ConfigureAwait(false);
        return new(previous.Count(b => !b), rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<bool>> GetLoginAsync(LearnerId learner, DateOnly day, long userId)
    {
        ValidateUser(userId);
        var key = DayKey(Learner(learner), ValidateDay(day));
        var db = mux.GetDatabase();
        var rec = tracer.Start($"Did user {userId} log in?");
        var bit = await rec.RunAsync(
            RedisCommandText.Format("GETBIT", key, userId),
            $"await db.StringGetBitAsync(key, {userId});",
            () => db.StringGetBitAsync(key, userId),
            RedisCommandText.Flag).ConfigureAwait(false);
        return new(bit, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<long>> CountAsync(LearnerId learner, DateOnly day)
    {
        var key = DayKey(Learner(learner), ValidateDay(day));
        var db = mux.GetDatabase();
        var rec = tracer.Start($"Logins on {day:ddd d MMM}");
        var count = await rec.RunAsync(
            RedisCommandText.Format("BITCOUNT", key),
            "await db.StringBitCountAsync(key);",
            () => db.StringBitCountAsync(key),
            RedisCommandText.IntegerReply).ConfigureAwait(false);
        return new(count, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<Retention>> RetentionAsync(LearnerId learner, DateOnly first, DateOnly second)
    {
        ValidateDay(first);
        ValidateDay(second);
        if (first == second)
        {
            throw new LearnerInputException("Pick two different days to compare.", nameof(second));
        }

        var keys = Learner(learner);
        var a = DayKey(keys, first);
        var b = DayKey(keys, second);

        // The destination shares the learner's hash tag, so on a cluster all three keys are in one slot.
        var dest = keys.Key(Area, "retention", Day(first), Day(second));
        var db = mux.GetDatabase();
        var rec = tracer.Start($"Retention {first:ddd} → {second:ddd}");

        // BITOP writes a destination as long as the longest source: held against the class's demo memory like a SETBIT.
        var longest = 0L;
        foreach (var key in new[] { a, b })
        {
            longest = Math.Max(longest, await rec.RunAsync(
                RedisCommandText.Format("STRLEN", key),
                "await db.StringLengthAsync(key); // BITOP's result is as long as its longest source",
                () => db.StringLengthAsync(key),
                RedisCommandText.IntegerReply).ConfigureAwait(false));
        }

        var ttl = Reserve(keys, dest, Math.Max(0, (longest * 8) - 1));

        await rec.RunAsync(
            RedisCommandText.Format("BITOP", "AND", dest, a, b),
            $"await db.StringBitOperationAsync(Bitwise.And, {RedisCommandText.CSharpString(dest)}, {RedisCommandText.CSharpString(a)}, {RedisCommandText.CSharpString(b)});",
            () => db.StringBitOperationAsync(Bitwise.And, dest, a, b),
            n => RedisCommandText.IntegerReply(n) + " bytes").ConfigureAwait(false);
        await DemoSteps.ExpireAsync(rec, db, dest, ttl).ConfigureAwait(false);
        var counts = new List<long>(3);
        foreach (var key in new[] { a, b, dest })
        {
            counts.Add(await rec.RunAsync(
                RedisCommandText.Format("BITCOUNT", key),
                "await db.StringBitCountAsync(key);",
                () => db.StringBitCountAsync(key),
                RedisCommandText.IntegerReply).ConfigureAwait(false));
        }

        return new(new Retention(counts[0], counts[1], counts[2], dest.ToString()), rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<BitGrid>> SnapshotAsync(LearnerId learner, IReadOnlyList<DateOnly> days, int users = BitGrid.DefaultUsers)
    {
        ArgumentNullException.ThrowIfNull(days);
        if (users is < 8 or > 4096 || users % 8 != 0)
        {
            throw new LearnerInputException("Show between 8 and 4096 users, a multiple of 8.", nameof(users));
        }

        if (days.Count > 31)
        {
            throw new LearnerInputException("Show at most 31 days.", nameof(days));
        }

        var keys = Learner(learner);
        var db = mux.GetDatabase();
        var rec = tracer.Start("Read the bit grid");
        var lastByte = (users / 8) - 1;
        var rows = new List<BitGridDay>(days.Count);
        foreach (var day in days)
        {
            var key = DayKey(keys, ValidateDay(day));
            var value = await rec.RunAsync(
                RedisCommandText.Format("GETRANGE", key, 0, lastByte),
                $"byte[] bytes = (await db.StringGetRangeAsync(key, 0, {lastByte}))!;",
                () => db.StringGetRangeAsync(key, 0, lastByte),
                v => v.IsNullOrEmpty ? "\"\" (no bits set yet)" : $"{((byte[])v!).Length} bytes").ConfigureAwait(false);
            var bytes = value.IsNullOrEmpty ? [] : (byte[])value!;
            rows.Add(new BitGridDay(day, BitGrid.Decode(bytes, users), bytes));
        }

        return new(new BitGrid(users, rows), rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<BitmapMemory>> MeasureMillionUsersAsync(LearnerId learner)
    {
        var keys = Learner(learner);
        var key = keys.Key(Area, "million");
        var db = mux.GetDatabase();
        var rec = tracer.Start("Memory for one million users");
        await rec.RunAsync(
            RedisCommandText.Format("SETBIT", key, MillionthOffset, 1),
            $"await db.StringSetBitAsync(key, {MillionthOffset}, true); // Redis grows the string to cover the offset",
            () => db.StringSetBitAsync(key, MillionthOffset, true),
            RedisCommandText.Flag).ConfigureAwait(false);
        await DemoSteps.ExpireAsync(rec, db, key, keys.KeyTtl).ConfigureAwait(false);
        var length = await rec.RunAsync(
            RedisCommandText.Format("STRLEN", key),
            "await db.StringLengthAsync(key);",
            () => db.StringLengthAsync(key),
            RedisCommandText.IntegerReply).ConfigureAwait(false);
        var usage = await DemoSteps.MemoryUsageAsync(rec, db, key).ConfigureAwait(false);
        return new(new BitmapMemory((MillionthOffset + 1) / 8, length, usage), rec.Finish());
    }

    /// <summary>The day's key name part, e.g. <c>2026-11-23</c>.</summary>
    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Throws when <paramref name="userId"/> is not a user the demo tracks.</summary>
    public static void ValidateUser(long userId)
    {
        if (userId is < 0 or > MaxUserId)
        {
            throw new LearnerInputException($"A user id must be a whole number from 0 to {MaxUserId:N0} (it is the bit's offset).", nameof(userId));
        }
    }

    /// <summary>
    /// A SETBIT at <paramref name="offset"/> grows the key to cover it: past <see cref="BudgetedFromBits"/> the key's
    /// size is held against the class's demo memory, so a learner cannot fill Redis with 1.25 MB bitmaps on every day
    /// from 2000 to 2100. Returns the TTL to give the key after the write: for large data (this write, or any write to a
    /// key already held as large) <see cref="LargeDataLife"/>, for which the reservation was just made or renewed, so the
    /// key and its reservation end together and a tab closed mid-lesson frees the room within the hour, not the day; for
    /// small data the learner's usual day.
    /// </summary>
    private TimeSpan Reserve(LearnerKeyspace keys, RedisKey key, long offset)
    {
        if (budget is null)
        {
            return keys.KeyTtl;
        }

        var life = LargeDataLife;
        if (offset >= BudgetedFromBits)
        {
            budget.Reserve(BudgetKind.DemoMemory, keys.Learner.Value, key.ToString(), (offset / 8) + 1, life);
            return life;
        }

        return budget.Renew(BudgetKind.DemoMemory, keys.Learner.Value, key.ToString(), life) ? life : keys.KeyTtl;
    }

    private static DateOnly ValidateDay(DateOnly day) =>
        day.Year is < 2000 or > 2100 ? throw new LearnerInputException("Pick a day between the years 2000 and 2100.", nameof(day)) : day;

    private LearnerKeyspace Learner(LearnerId learner) => keyspace.ForLearner(learner);

    private static RedisKey DayKey(LearnerKeyspace keys, DateOnly day) => keys.Key(Area, "logins", Day(day));
}
