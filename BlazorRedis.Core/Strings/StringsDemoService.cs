using System.Globalization;
using System.Security.Cryptography;
using BlazorRedis.Core;
using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Text;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.Strings;

/// <summary>The strings demo on real Redis. Every key lives under the learner's own prefix, area <c>strings</c>.</summary>
public sealed class StringsDemoService(IConnectionMultiplexer mux, RedisTracer tracer, RedisKeyspace keyspace, KeyspaceJanitor janitor) : IStringsDemo
{
    /// <summary>The demo's key area (its slug).</summary>
    public const string Area = "strings";

    /// <inheritdoc/>
    public async Task<Traced<SessionToken>> IssueTokenAsync(LearnerId learner, string userId, int ttlSeconds)
    {
        var user = DemoInput.Name(userId, "user id");
        DemoInput.Range(ttlSeconds, 1, IStringsDemo.MaxTokenSeconds, "token lifetime in seconds");
        var keys = keyspace.ForLearner(learner);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var key = keys.Key(Area, "token", token);
        var value = "user_id:" + user;
        var db = mux.GetDatabase();
        var rec = tracer.Start("Issue a session token");

        // StringSetAsync with an expiry is sent as SETEX (the same as SET … EX on the server).
        await rec.RunAsync(
            RedisCommandText.Format("SETEX", key, ttlSeconds, value),
            $"await db.StringSetAsync(key, {RedisCommandText.CSharpString(value)}, TimeSpan.FromSeconds({ttlSeconds}));",
            () => db.StringSetAsync(key, value, TimeSpan.FromSeconds(ttlSeconds)),
            ok => ok ? "OK" : "(nil)").ConfigureAwait(false);
        var ttl = await PttlAsync(rec, db, key).ConfigureAwait(false);
        return new(new SessionToken(token, key.ToString(), value, ttl < 0 ? null : ttl), rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<SessionToken>> ReadTokenAsync(LearnerId learner, string token)
    {
        var key = TokenKey(learner, token);
        var db = mux.GetDatabase();
        var rec = tracer.Start("Read the session token");
        var value = await rec.RunAsync(
            RedisCommandText.Format("GET", key),
            "await db.StringGetAsync(key);",
            () => db.StringGetAsync(key),
            RedisCommandText.Reply).ConfigureAwait(false);
        var ttl = await PttlAsync(rec, db, key).ConfigureAwait(false);
        return new(new SessionToken(token, key.ToString(), value.IsNull ? null : value.ToString(), ttl < 0 ? null : ttl), rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<long>> TokenTtlAsync(LearnerId learner, string token)
    {
        var key = TokenKey(learner, token);
        var rec = tracer.Start("Check the token's time to live");
        var ttl = await PttlAsync(rec, mux.GetDatabase(), key).ConfigureAwait(false);
        return new(ttl, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<long>> IncrementViewsAsync(LearnerId learner)
    {
        var key = ViewsKey(learner);
        var db = mux.GetDatabase();
        var rec = tracer.Start("Count a page view");
        var views = await rec.RunAsync(
            RedisCommandText.Format("INCR", key),
            "await db.StringIncrementAsync(key);",
            () => db.StringIncrementAsync(key),
            RedisCommandText.IntegerReply).ConfigureAwait(false);
        await DemoSteps.ExpireAsync(rec, db, key, keyspace.LearnerKeyTtl).ConfigureAwait(false);
        return new(views, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<ConcurrentIncrements>> IncrementViewsConcurrentlyAsync(LearnerId learner, int count)
    {
        DemoInput.Range(count, 1, IStringsDemo.MaxConcurrentIncrements, "number of INCRs");
        var key = ViewsKey(learner);
        var db = mux.GetDatabase();
        var rec = tracer.Start(string.Create(CultureInfo.InvariantCulture, $"{count:N0} concurrent page views"));
        var before = await GetNumberAsync(rec, db, key).ConfigureAwait(false);

        // All INCRs are in flight at once on the shared multiplexer; Redis runs each one atomically, so none is lost.
        var replies = await rec.RunAsync(
            RedisCommandText.Format("INCR", key) + string.Create(CultureInfo.InvariantCulture, $"   (×{count:N0}, all in flight at once)"),
            string.Create(CultureInfo.InvariantCulture, $"await Task.WhenAll(Enumerable.Range(0, {count}).Select(_ => db.StringIncrementAsync(key)));"),
            () => Task.WhenAll(Enumerable.Range(0, count).Select(_ => db.StringIncrementAsync(key))),
            r => string.Create(CultureInfo.InvariantCulture, $"{Wording.Count(r.Length, "reply", "replies")}, {r.Min()} … {r.Max()}")).ConfigureAwait(false);
        await DemoSteps.ExpireAsync(rec, db, key, keyspace.LearnerKeyTtl).ConfigureAwait(false);
        var after = await GetNumberAsync(rec, db, key).ConfigureAwait(false);
        return new(new ConcurrentIncrements(before, after, count, replies.Distinct().Count()), rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<StringEntry>> SetAsync(LearnerId learner, string name, string value, int? ttlSeconds = null)
    {
        var key = ValueKey(learner, name, out var shortName);
        var text = DemoInput.Value(value);
        var ttl = ttlSeconds is { } s
            ? TimeSpan.FromSeconds(DemoInput.Range(s, 1, (long)keyspace.LearnerKeyTtl.TotalSeconds, "expiry in seconds"))
            : keyspace.LearnerKeyTtl;
        var db = mux.GetDatabase();
        var rec = tracer.Start("SET a value");
        await rec.RunAsync(
            RedisCommandText.Format("SETEX", key, (long)ttl.TotalSeconds, text),
            $"await db.StringSetAsync(key, {RedisCommandText.CSharpString(text)}, TimeSpan.FromSeconds({(long)ttl.TotalSeconds})); // sent as SETEX",
            () => db.StringSetAsync(key, text, ttl),
            ok => ok ? "OK" : "(nil)").ConfigureAwait(false);
        var ttlLeft = await PttlAsync(rec, db, key).ConfigureAwait(false);
        return new(new StringEntry(shortName, key.ToString(), text, System.Text.Encoding.UTF8.GetByteCount(text), ttlLeft < 0 ? null : ttlLeft), rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<StringEntry>> GetAsync(LearnerId learner, string name)
    {
        var key = ValueKey(learner, name, out var shortName);
        var db = mux.GetDatabase();
        var rec = tracer.Start("GET a value");
        var entry = await ReadEntryAsync(rec, db, key, shortName).ConfigureAwait(false);
        return new(entry, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<IReadOnlyList<StringEntry>>> SetManyAsync(LearnerId learner, IReadOnlyList<KeyValuePair<string, string>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count is 0 or > 20)
        {
            throw new LearnerInputException("MSET takes between 1 and 20 name/value pairs here.", nameof(values));
        }

        var pairs = new List<(string Name, RedisKey Key, string Value)>();
        foreach (var (name, value) in values)
        {
            var key = ValueKey(learner, name, out var shortName);
            pairs.Add((shortName, key, DemoInput.Value(value)));
        }

        if (pairs.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count() != pairs.Count)
        {
            throw new LearnerInputException("Each name may appear only once in one MSET.", nameof(values));
        }

        var db = mux.GetDatabase();
        var rec = tracer.Start(pairs.Count == 1 ? "MSET of one pair (sent as SET)" : "MSET several values");
        var kv = pairs.Select(p => new KeyValuePair<RedisKey, RedisValue>(p.Key, p.Value)).ToArray();
        await DemoSteps.SetStringsAsync(rec, db, kv).ConfigureAwait(false);

        // MSET has no expiry option: each demo key gets its TTL in the same round of pipelined EXPIREs.
        await ExpireManyAsync(rec, db, pairs.Select(p => p.Key).ToArray(), keyspace.LearnerKeyTtl).ConfigureAwait(false);
        var entries = pairs.Select(p => new StringEntry(p.Name, p.Key.ToString(), p.Value, System.Text.Encoding.UTF8.GetByteCount(p.Value), (long)keyspace.LearnerKeyTtl.TotalMilliseconds)).ToList();
        return new(entries, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<StringEntry>> AppendAsync(LearnerId learner, string name, string suffix)
    {
        var key = ValueKey(learner, name, out var shortName);
        var text = DemoInput.Value(suffix, "text to append");
        var db = mux.GetDatabase();
        var rec = tracer.Start("APPEND to a value");

        // Checked before writing, so repeated appends cannot grow a demo value past the limit.
        var current = await rec.RunAsync(
            RedisCommandText.Format("STRLEN", key),
            "await db.StringLengthAsync(key);",
            () => db.StringLengthAsync(key),
            RedisCommandText.IntegerReply).ConfigureAwait(false);
        if (current + System.Text.Encoding.UTF8.GetByteCount(text) > DemoInput.MaxValueBytes)
        {
            throw new LearnerInputException($"APPEND would make the value longer than {DemoInput.MaxValueBytes / 1024} KB, so nothing was written.", nameof(suffix));
        }

        await rec.RunAsync(
            RedisCommandText.Format("APPEND", key, text),
            $"await db.StringAppendAsync(key, {RedisCommandText.CSharpString(text)});",
            () => db.StringAppendAsync(key, text),
            RedisCommandText.IntegerReply).ConfigureAwait(false);
        await DemoSteps.ExpireAsync(rec, db, key, keyspace.LearnerKeyTtl).ConfigureAwait(false);
        var entry = await ReadEntryAsync(rec, db, key, shortName).ConfigureAwait(false);
        return new(entry, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<long>> LengthAsync(LearnerId learner, string name)
    {
        var key = ValueKey(learner, name, out _);
        var db = mux.GetDatabase();
        var rec = tracer.Start("STRLEN of a value");
        var length = await rec.RunAsync(
            RedisCommandText.Format("STRLEN", key),
            "await db.StringLengthAsync(key);",
            () => db.StringLengthAsync(key),
            RedisCommandText.IntegerReply).ConfigureAwait(false);
        return new(length, rec.Finish());
    }

    /// <inheritdoc/>
    public string Slug => Area;

    /// <inheritdoc/>
    public Task<Traced<long>> ResetAsync(LearnerId learner, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return janitor.ResetAsync(keyspace.ForLearner(learner), Area);
    }

    private RedisKey TokenKey(LearnerId learner, string token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 32 || !token.All(char.IsAsciiHexDigitLower))
        {
            throw new LearnerInputException("That is not a token this demo issued.", nameof(token));
        }

        return keyspace.ForLearner(learner).Key(Area, "token", token);
    }

    private RedisKey ViewsKey(LearnerId learner) => keyspace.ForLearner(learner).Key(Area, "views", "homepage");

    private RedisKey ValueKey(LearnerId learner, string name, out string shortName)
    {
        shortName = DemoInput.Name(name, "key name");
        return keyspace.ForLearner(learner).Key(Area, "kv", shortName);
    }

    private static async Task<StringEntry> ReadEntryAsync(TraceRecorder rec, IDatabase db, RedisKey key, string name)
    {
        var value = await rec.RunAsync(
            RedisCommandText.Format("GET", key),
            "await db.StringGetAsync(key);",
            () => db.StringGetAsync(key),
            RedisCommandText.Reply).ConfigureAwait(false);
        if (value.IsNull)
        {
            return new StringEntry(name, key.ToString(), null, 0, null);
        }

        var ttl = await PttlAsync(rec, db, key).ConfigureAwait(false);
        var text = value.ToString();
        return new StringEntry(name, key.ToString(), text, System.Text.Encoding.UTF8.GetByteCount(text), ttl < 0 ? null : ttl);
    }

    private static async Task<long> GetNumberAsync(TraceRecorder rec, IDatabase db, RedisKey key)
    {
        var value = await rec.RunAsync(
            RedisCommandText.Format("GET", key),
            "await db.StringGetAsync(key);",
            () => db.StringGetAsync(key),
            RedisCommandText.Reply).ConfigureAwait(false);
        return value.IsNull ? 0 : (long)value;
    }

    /// <summary>PTTL: milliseconds left, -1 without expiry, -2 when the key does not exist (as Redis answers).</summary>
    private static Task<long> PttlAsync(TraceRecorder rec, IDatabase db, RedisKey key) =>
        rec.RunAsync(
            RedisCommandText.Format("PTTL", key),
            "await db.ExecuteAsync(\"PTTL\", key); // -2 once the key is gone",
            async () => (long)await db.ExecuteAsync("PTTL", key).ConfigureAwait(false),
            RedisCommandText.IntegerReply);

    private static Task<bool[]> ExpireManyAsync(TraceRecorder rec, IDatabase db, RedisKey[] keys, TimeSpan ttl) =>
        rec.RunAsync(
            RedisCommandText.Format("EXPIRE", "<each key>", (long)ttl.TotalSeconds) + string.Create(CultureInfo.InvariantCulture, $"   (×{keys.Length}, pipelined)"),
            string.Create(CultureInfo.InvariantCulture, $"await Task.WhenAll({RedisCommandText.CSharpArray("RedisKey", keys.Select(k => (string?)k))}.Select(k => db.KeyExpireAsync(k, TimeSpan.FromSeconds({(long)ttl.TotalSeconds}))));"),
            () => Task.WhenAll(keys.Select(k => db.KeyExpireAsync(k, ttl))),
            r => string.Create(CultureInfo.InvariantCulture, $"{r.Count(x => x)} × (integer) 1"));
}
