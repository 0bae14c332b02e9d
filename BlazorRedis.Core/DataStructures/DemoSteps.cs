using System.Globalization;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.DataStructures;

/// <summary>Traced steps several demos share.</summary>
public static class DemoSteps
{
    /// <summary>
    /// EXPIRE a demo key after a write, so a learner's abandoned data disappears by itself. Commands such as
    /// LPUSH, HSET or ZADD have no expiry option, hence a second command (shown in the trace like any other).
    /// </summary>
    public static Task ExpireAsync(TraceRecorder recorder, IDatabase db, RedisKey key, TimeSpan ttl)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(db);
        var seconds = (long)ttl.TotalSeconds;
        return recorder.RunAsync(
            RedisCommandText.Format("EXPIRE", key, seconds),
            string.Create(CultureInfo.InvariantCulture, $"await db.KeyExpireAsync(key, TimeSpan.FromSeconds({seconds})); // abandoned demo data expires"),
            () => db.KeyExpireAsync(key, TimeSpan.FromSeconds(seconds)),
            RedisCommandText.Flag);
    }

    /// <summary>
    /// A demo's cap on one key, checked before it is written: one traced length read (<paramref name="command"/>, e.g.
    /// <c>LLEN key</c>), then a <see cref="LearnerInputException"/> saying <paramref name="refusal"/> of the length read
    /// when <paramref name="adding"/> more would take the key past <paramref name="max"/>. Nothing is written then.
    /// Rewriting a member already in the key does not grow it: when the plain count does not fit and
    /// <paramref name="countNew"/> is given, it is asked (one traced read of its own) how many of the members written are
    /// not in the key yet, and only those need room.
    /// </summary>
    public static async Task EnsureRoomAsync(TraceRecorder recorder, string command, string csharp, Func<Task<long>> length,
        long adding, int max, Func<long, string> refusal, string paramName, Func<Task<long>>? countNew = null)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(refusal);
        var current = await recorder.RunAsync(command, csharp, length, RedisCommandText.IntegerReply).ConfigureAwait(false);
        if (current + adding > max && (countNew is null || current + await countNew().ConfigureAwait(false) > max))
        {
            throw new LearnerInputException(refusal(current), paramName);
        }
    }

    /// <summary>
    /// Writes string keys with one <c>StringSetAsync(KeyValuePair[])</c>. StackExchange.Redis sends MSET for two or
    /// more pairs but a plain SET for a single pair, so the trace names the command that really goes on the wire.
    /// </summary>
    public static Task<bool> SetStringsAsync(TraceRecorder recorder, IDatabase db, IReadOnlyList<KeyValuePair<RedisKey, RedisValue>> pairs)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(pairs);
        var single = pairs.Count == 1;
        var array = pairs.ToArray();
        return recorder.RunAsync(
            RedisCommandText.Format(single ? "SET" : "MSET", pairs.SelectMany(p => new object?[] { p.Key, p.Value })),
            $"await db.StringSetAsync(new KeyValuePair<RedisKey, RedisValue>[] {{ {string.Join(", ", pairs.Select(p => $"new({RedisCommandText.CSharpString(p.Key)}, {RedisCommandText.CSharpString(p.Value)})"))} }});"
                + (single ? " // one pair: StackExchange.Redis sends SET, not MSET" : ""),
            () => db.StringSetAsync(array),
            ok => ok ? "OK" : "(nil)");
    }

    /// <summary>
    /// MEMORY USAGE of a key in bytes, or null when the key is gone or the server refuses MEMORY (some managed
    /// services disable it; the trace then shows the refusal).
    /// </summary>
    public static async Task<long?> MemoryUsageAsync(TraceRecorder recorder, IDatabase db, RedisKey key)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(db);
        try
        {
            var reply = await recorder.RunAsync(
                RedisCommandText.Format("MEMORY", "USAGE", key),
                "await db.ExecuteAsync(\"MEMORY\", \"USAGE\", key);",
                () => db.ExecuteAsync("MEMORY", "USAGE", key),
                r => r.IsNull ? "(nil)" : RedisCommandText.IntegerReply((long)r) + " bytes").ConfigureAwait(false);
            return reply.IsNull ? null : (long)reply;
        }
        catch (RedisServerException)
        {
            return null;
        }
    }
}
