using System.Globalization;
using BlazorRedis.Core;
using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.Hashes;

/// <summary>The hashes demo on real Redis, under the learner's own keys (area <c>hashes</c>).</summary>
public sealed class HashesDemoService(IConnectionMultiplexer mux, RedisTracer tracer, RedisKeyspace keyspace, KeyspaceJanitor janitor) : IHashesDemo
{
    /// <summary>The demo's key area (its slug).</summary>
    public const string Area = "hashes";

    /// <summary>The profile's user id, as in the lecture (<c>user:profile:77</c>).</summary>
    public const string UserId = "77";

    /// <inheritdoc/>
    public async Task<Traced<HashState>> SetFieldsAsync(LearnerId learner, IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Count is 0 or > IHashesDemo.MaxFieldsPerSet)
        {
            throw new LearnerInputException(string.Create(CultureInfo.InvariantCulture, $"HSET takes between 1 and {IHashesDemo.MaxFieldsPerSet} fields here."), nameof(fields));
        }

        var entries = fields.Select(f => new HashEntry(DemoInput.Name(f.Key, "field name"), DemoInput.Value(f.Value, "field value"))).ToArray();
        if (entries.Select(e => (string)e.Name!).Distinct(StringComparer.Ordinal).Count() != entries.Length)
        {
            throw new LearnerInputException("Each field may appear only once in one HSET.", nameof(fields));
        }

        var key = ProfileKey(learner);
        var db = mux.GetDatabase();
        var rec = tracer.Start(entries.Length == 1 ? "HSET a profile field" : "HSET profile fields");
        // The check and the HSET are one atomic step: two writes at once cannot both take the profile's last room.
        await DemoSteps.WriteWithinCapAsync(rec, db, key, CappedKind.Hash, IHashesDemo.MaxFields,
            () => DemoSteps.EnsureRoomAsync(rec, RedisCommandText.Format("HLEN", key), "await db.HashLengthAsync(key);", () => db.HashLengthAsync(key),
                entries.Length, IHashesDemo.MaxFields,
                _ => string.Create(CultureInfo.InvariantCulture, $"The demo profile holds at most {IHashesDemo.MaxFields} fields; delete some first, or change a field it already has."), nameof(fields),
                () => CountNewFieldsAsync(rec, db, key, entries)),
            async tx => (long)await tx.ExecuteAsync("HSET", [key, .. entries.SelectMany(e => new object[] { e.Name, e.Value })]).ConfigureAwait(false),
            RedisCommandText.Format("HSET", entries.SelectMany(e => new object?[] { e.Name, e.Value }).Prepend(key)),
            $"tx.ExecuteAsync(\"HSET\", key, {string.Join(", ", entries.SelectMany(e => new[] { RedisCommandText.CSharpString(e.Name), RedisCommandText.CSharpString(e.Value) }))}) /* HashSetAsync(key, HashEntry[]) would send the deprecated HMSET */",
            n => RedisCommandText.IntegerReply(n) + " new fields").ConfigureAwait(false);
        await DemoSteps.ExpireAsync(rec, db, key, keyspace.LearnerKeyTtl).ConfigureAwait(false);
        var state = await ReadAsync(rec, db, key).ConfigureAwait(false);
        return new(state, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<HashState>> ReadProfileAsync(LearnerId learner)
    {
        var rec = tracer.Start("HGETALL the profile");
        var state = await ReadAsync(rec, mux.GetDatabase(), ProfileKey(learner)).ConfigureAwait(false);
        return new(state, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<HashState>> IncrementAsync(LearnerId learner, string field, long by)
    {
        var name = DemoInput.Name(field, "field name");
        DemoInput.Range(by, -IHashesDemo.MaxIncrement, IHashesDemo.MaxIncrement, "increment");
        var key = ProfileKey(learner);
        var db = mux.GetDatabase();
        var rec = tracer.Start($"HINCRBY {name}");

        // Redis refuses HINCRBY on a field that is not an integer and changes nothing; the page shows its error.
        await rec.RunAsync(
            RedisCommandText.Format("HINCRBY", key, name, by),
            string.Create(CultureInfo.InvariantCulture, $"await db.HashIncrementAsync(key, {RedisCommandText.CSharpString(name)}, {by});"),
            () => db.HashIncrementAsync(key, name, by),
            RedisCommandText.IntegerReply).ConfigureAwait(false);
        await DemoSteps.ExpireAsync(rec, db, key, keyspace.LearnerKeyTtl).ConfigureAwait(false);
        var state = await ReadAsync(rec, db, key).ConfigureAwait(false);
        return new(state, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<HashState>> DeleteFieldAsync(LearnerId learner, string field)
    {
        var name = DemoInput.Name(field, "field name");
        var key = ProfileKey(learner);
        var db = mux.GetDatabase();
        var rec = tracer.Start($"HDEL {name}");
        await rec.RunAsync(
            RedisCommandText.Format("HDEL", key, name),
            $"await db.HashDeleteAsync(key, {RedisCommandText.CSharpString(name)});",
            () => db.HashDeleteAsync(key, name),
            RedisCommandText.Flag).ConfigureAwait(false);
        var state = await ReadAsync(rec, db, key).ConfigureAwait(false);
        return new(state, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<MemoryComparison>> CompareMemoryAsync(LearnerId learner)
    {
        var keys = keyspace.ForLearner(learner);
        var key = ProfileKey(learner);
        var db = mux.GetDatabase();
        var rec = tracer.Start("Compare memory: one hash vs one string per field");
        var profile = await ReadAsync(rec, db, key).ConfigureAwait(false);
        if (profile.Fields.Count == 0)
        {
            throw new LearnerInputException("The profile is empty: HSET some fields first, then compare.");
        }

        var copies = profile.Fields.Select(f => (Field: f.Key, Key: keys.Key(Area, "user-as-strings", UserId, f.Key), f.Value)).ToList();
        await DemoSteps.SetStringsAsync(rec, db, copies.Select(c => new KeyValuePair<RedisKey, RedisValue>(c.Key, c.Value)).ToArray()).ConfigureAwait(false);
        await rec.RunAsync(
            RedisCommandText.Format("EXPIRE", "<each copy>", (long)keyspace.LearnerKeyTtl.TotalSeconds) + string.Create(CultureInfo.InvariantCulture, $"   (×{copies.Count}, pipelined)"),
            string.Create(CultureInfo.InvariantCulture, $"await Task.WhenAll({RedisCommandText.CSharpArray("RedisKey", copies.Select(c => (string?)c.Key))}.Select(k => db.KeyExpireAsync(k, TimeSpan.FromSeconds({(long)keyspace.LearnerKeyTtl.TotalSeconds}))));"),
            () => Task.WhenAll(copies.Select(c => db.KeyExpireAsync(c.Key, keyspace.LearnerKeyTtl))),
            r => string.Create(CultureInfo.InvariantCulture, $"{r.Count(x => x)} × (integer) 1")).ConfigureAwait(false);

        var hashBytes = await MemoryUsageAsync(rec, db, key).ConfigureAwait(false);
        var encoding = await rec.RunAsync(
            RedisCommandText.Format("OBJECT", "ENCODING", key),
            "await db.ExecuteAsync(\"OBJECT\", \"ENCODING\", key);",
            async () => (string?)await db.ExecuteAsync("OBJECT", "ENCODING", key).ConfigureAwait(false) ?? "",
            e => RedisCommandText.Reply(e)).ConfigureAwait(false);
        var strings = new List<StringKeyMemory>();
        foreach (var copy in copies)
        {
            strings.Add(new StringKeyMemory(copy.Field, copy.Key.ToString(), await MemoryUsageAsync(rec, db, copy.Key).ConfigureAwait(false)));
        }

        return new(new MemoryComparison(key.ToString(), hashBytes, encoding, strings), rec.Finish());
    }

    /// <inheritdoc/>
    public string Slug => Area;

    /// <inheritdoc/>
    public Task<Traced<long>> ResetAsync(LearnerId learner, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return janitor.ResetAsync(keyspace.ForLearner(learner), Area);
    }

    private RedisKey ProfileKey(LearnerId learner) => keyspace.ForLearner(learner).Key(Area, "user", "profile", UserId);

    private static Task<long> MemoryUsageAsync(TraceRecorder rec, IDatabase db, RedisKey key) =>
        rec.RunAsync(
            RedisCommandText.Format("MEMORY", "USAGE", key),
            "await db.ExecuteAsync(\"MEMORY\", \"USAGE\", key); // bytes, including Redis's own bookkeeping",
            async () =>
            {
                var reply = await db.ExecuteAsync("MEMORY", "USAGE", key).ConfigureAwait(false);
                return reply.IsNull ? 0L : (long)reply;
            },
            RedisCommandText.IntegerReply);

    private static async Task<HashState> ReadAsync(TraceRecorder rec, IDatabase db, RedisKey key)
    {
        var entries = await rec.RunAsync(
            RedisCommandText.Format("HGETALL", key),
            "await db.HashGetAllAsync(key);",
            () => db.HashGetAllAsync(key),
            r => r.Length == 0 ? "(empty array)" : RedisCommandText.List(r.SelectMany(e => new[] { e.Name.ToString(), e.Value.ToString() }), 12)).ConfigureAwait(false);
        return new HashState(key.ToString(), entries.Select(e => new KeyValuePair<string, string>(e.Name.ToString(), e.Value.ToString())).ToList());
    }

    /// <summary>
    /// How many of the fields are not in the profile yet (HMGET answers nil for those): on a full profile, changing a
    /// field it already has does not grow the hash, so only new fields need room.
    /// </summary>
    private static async Task<RoomCheck> CountNewFieldsAsync(TraceRecorder rec, IDatabase db, RedisKey key, HashEntry[] entries)
    {
        var names = entries.Select(e => e.Name).ToArray();
        var values = await rec.RunAsync(
            RedisCommandText.Format("HMGET", names.Cast<object?>().Prepend(key)),
            $"await db.HashGetAsync(key, {RedisCommandText.CSharpArray("RedisValue", names.Select(n => (string?)n))}); // nil: a new field, so HSET adds it",
            () => db.HashGetAsync(key, names),
            v => RedisCommandText.List(v.Select(x => x.IsNull ? "(nil)" : RedisCommandText.Argument(x)))).ConfigureAwait(false);
        return new RoomCheck(values.Count(v => v.IsNull), [.. names.Where((_, i) => !values[i].IsNull)]);
    }
}
