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
    /// <param name="recorder">The trace the step is shown in.</param>
    /// <param name="db">The database.</param>
    /// <param name="key">The key written.</param>
    /// <param name="ttl">Its time to live.</param>
    /// <param name="onlyIfNone">
    /// <c>EXPIRE … NX</c>: only a key without a TTL gets one, so a write never lengthens the life of data whose memory
    /// is held against the class's budget until its first TTL runs out.
    /// </param>
    public static Task ExpireAsync(TraceRecorder recorder, IDatabase db, RedisKey key, TimeSpan ttl, bool onlyIfNone = false)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(db);
        var seconds = (long)ttl.TotalSeconds;
        return onlyIfNone
            ? recorder.RunAsync(
                RedisCommandText.Format("EXPIRE", key, seconds, "NX"),
                string.Create(CultureInfo.InvariantCulture, $"await db.KeyExpireAsync(key, TimeSpan.FromSeconds({seconds}), ExpireWhen.HasNoExpiry); // a new key expires; a live one keeps its TTL"),
                () => db.KeyExpireAsync(key, TimeSpan.FromSeconds(seconds), ExpireWhen.HasNoExpiry),
                RedisCommandText.Flag)
            : recorder.RunAsync(
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
    /// not in the key yet, and only those need room. The answer feeds <see cref="WriteWithinCapAsync"/>, which makes
    /// the check and the write one atomic step.
    /// </summary>
    public static async Task<RoomCheck> EnsureRoomAsync(TraceRecorder recorder, string command, string csharp, Func<Task<long>> length,
        long adding, int max, Func<long, string> refusal, string paramName, Func<Task<RoomCheck>>? countNew = null)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(refusal);
        var current = await recorder.RunAsync(command, csharp, length, RedisCommandText.IntegerReply).ConfigureAwait(false);
        if (current + adding <= max)
        {
            return new RoomCheck(adding, []);
        }

        var room = countNew is null ? null : await countNew().ConfigureAwait(false);
        if (room is null || current + room.Adding > max)
        {
            throw new LearnerInputException(refusal(current), paramName);
        }

        return room;
    }

    /// <summary>
    /// A demo's capped write made atomic. <paramref name="check"/> reads the key (traced) and refuses, as
    /// <see cref="EnsureRoomAsync"/> does, when the write cannot fit; it answers how many members the write adds and which
    /// of the written members the key already holds. The write then runs in a transaction (WATCH, MULTI … EXEC) that
    /// Redis applies only while what the check saw still holds: the key is short enough for the members it adds, and
    /// the members it counted as already there still are. So two writes at once never both take the last room: the one
    /// that loses is checked again, and refused with the check's own message once the key is full.
    /// </summary>
    /// <param name="recorder">The operation's trace.</param>
    /// <param name="db">The database.</param>
    /// <param name="key">The capped key.</param>
    /// <param name="kind">Which length the transaction's condition reads.</param>
    /// <param name="max">The cap.</param>
    /// <param name="check">The traced check: throws the learner's refusal when there is no room.</param>
    /// <param name="write">Queues the write on the transaction (its reply arrives with EXEC).</param>
    /// <param name="writeText">The write as redis-cli shows it, e.g. <c>LPUSH key a b</c>.</param>
    /// <param name="writeCSharp">The write's C# on <c>tx</c>, e.g. <c>tx.ListLeftPushAsync(key, "a")</c> (no await, no semicolon).</param>
    /// <param name="describe">Summarises the write's reply.</param>
    public static async Task<T> WriteWithinCapAsync<T>(TraceRecorder recorder, IDatabase db, RedisKey key, CappedKind kind, int max,
        Func<Task<RoomCheck>> check, Func<ITransaction, Task<T>> write, string writeText, string writeCSharp, Func<T, string> describe)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(describe);
        while (true)
        {
            var room = await check().ConfigureAwait(false);
            var below = max - room.Adding + 1;
            var (lengthCommand, lengthCondition, lengthCSharp) = kind switch
            {
                CappedKind.List => ("LLEN", Condition.ListLengthLessThan(key, below), "ListLengthLessThan"),
                CappedKind.Set => ("SCARD", Condition.SetLengthLessThan(key, below), "SetLengthLessThan"),
                CappedKind.Hash => ("HLEN", Condition.HashLengthLessThan(key, below), "HashLengthLessThan"),
                _ => ("ZCARD", Condition.SortedSetLengthLessThan(key, below), "SortedSetLengthLessThan"),
            };
            var held = room.Held.Distinct().ToArray();
            var tx = db.CreateTransaction();
            tx.AddCondition(lengthCondition);
            foreach (var member in held)
            {
                tx.AddCondition(kind switch
                {
                    CappedKind.Set => Condition.SetContains(key, member),
                    CappedKind.Hash => Condition.HashExists(key, member),
                    _ => Condition.SortedSetContains(key, member),
                });
            }

            var pending = write(tx);
            var memberCommand = kind switch { CappedKind.Set => "SISMEMBER", CappedKind.Hash => "HEXISTS", _ => "ZSCORE" };
            var memberCSharp = kind switch { CappedKind.Set => "SetContains", CappedKind.Hash => "HashExists", _ => "SortedSetContains" };
            var text = string.Join("\n", new[] { RedisCommandText.Format("WATCH", key), RedisCommandText.Format(lengthCommand, key) }
                .Concat(held.Select(m => RedisCommandText.Format(memberCommand, key, m)))
                .Concat(["MULTI", writeText, "EXEC"]));
            var csharp = "var tx = db.CreateTransaction();\n"
                + string.Create(CultureInfo.InvariantCulture, $"tx.AddCondition(Condition.{lengthCSharp}(key, {below})); // EXEC only while it has room for the {room.Adding} added\n")
                + string.Concat(held.Select(m => $"tx.AddCondition(Condition.{memberCSharp}(key, {RedisCommandText.CSharpString(m)})); // counted as already there\n"))
                + $"var written = {writeCSharp};\n"
                + "if (await tx.ExecuteAsync()) { await written; } // false: another write took the room first, and nothing was written";
            var (applied, value) = await recorder.RunAsync(
                text,
                csharp,
                async () => await tx.ExecuteAsync().ConfigureAwait(false) ? (true, await pending.ConfigureAwait(false)) : (false, default(T)),
                r => r.Item1 ? "EXEC: " + describe(r.Item2!) : "(nil) EXEC refused: the key changed first, nothing written").ConfigureAwait(false);
            if (applied)
            {
                return value!;
            }

            // The aborted write's task is cancelled: observe it, then check again (the check refuses once it is full).
            _ = pending.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
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
