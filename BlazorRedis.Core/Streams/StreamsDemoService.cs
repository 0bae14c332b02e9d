using System.Globalization;
using System.Text.RegularExpressions;
using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Text;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.Streams;

/// <summary>The Redis implementation of <see cref="IStreamsDemo"/>: one stream per learner, <c>…:streams:sensor</c>.</summary>
public sealed partial class StreamsDemoService(IConnectionMultiplexer mux, RedisKeyspace keyspace, RedisTracer tracer, KeyspaceJanitor janitor) : IStreamsDemo
{
    /// <summary>XADD trims the stream to about this many entries (MAXLEN ~), so a generator left on cannot grow it for ever.</summary>
    public const int MaxLength = 10_000;

    /// <summary>The most entries one read returns.</summary>
    public const int MaxCount = 1000;

    private const string Area = StreamsDemoModule.Slug;

    /// <inheritdoc/>
    public string Slug => Area;

    /// <inheritdoc/>
    public Task<Traced<long>> ResetAsync(LearnerId learner, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return janitor.ResetAsync(keyspace.ForLearner(learner), Area);
    }

    /// <inheritdoc/>
    public async Task<Traced<SensorEntry>> AddAsync(LearnerId learner, SensorReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        reading.Validate();
        var keys = keyspace.ForLearner(learner);
        var key = Key(keys);
        var db = mux.GetDatabase();
        var t = Num(reading.Temperature);
        var h = Num(reading.Humidity);
        var rec = tracer.Start($"Reading {t} °C, {h} %");
        NameValueEntry[] fields = [new("temperature", t), new("humidity", h)];
        var id = await rec.RunAsync(
            RedisCommandText.Format("XADD", key, "MAXLEN", "~", MaxLength, "*", "temperature", t, "humidity", h),
            $"await db.StreamAddAsync(key, [new(\"temperature\", {t}), new(\"humidity\", {h})], maxLength: {MaxLength}, useApproximateMaxLength: true);",
            () => db.StreamAddAsync(key, fields, maxLength: MaxLength, useApproximateMaxLength: true),
            RedisCommandText.Reply).ConfigureAwait(false);
        await DemoSteps.ExpireAsync(rec, db, key, keys.KeyTtl).ConfigureAwait(false);
        return new(new SensorEntry(id.ToString(), reading.Temperature, reading.Humidity), rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<IReadOnlyList<SensorEntry>>> AddManyAsync(LearnerId learner, IReadOnlyList<SensorReading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        if (readings.Count is 0 or > MaxCount)
        {
            throw new LearnerInputException($"Add between 1 and {MaxCount} readings at once.", nameof(readings));
        }

        foreach (var reading in readings)
        {
            ArgumentNullException.ThrowIfNull(reading, nameof(readings));
            reading.Validate();
        }

        var keys = keyspace.ForLearner(learner);
        var key = Key(keys);
        var db = mux.GetDatabase();
        var rec = tracer.Start(Wording.Count(readings.Count, "reading"));
        var first = readings[0];
        var shown = RedisCommandText.Format("XADD", key, "MAXLEN", "~", MaxLength, "*", "temperature", Num(first.Temperature), "humidity", Num(first.Humidity));

        // One connection keeps the order, so the ids come back increasing in the order the readings were given.
        var ids = await rec.RunAsync(
            $"{shown} … ({readings.Count} × XADD, pipelined)",
            $"var readings = new[] {{ {string.Join(", ", readings.Take(10).Select(r => $"(Temperature: {Num(r.Temperature)}, Humidity: {Num(r.Humidity)})"))}{(readings.Count > 10 ? $" /* … {readings.Count - 10} more */" : "")} }};\nawait Task.WhenAll(readings.Select(r => db.StreamAddAsync(key, [new(\"temperature\", r.Temperature), new(\"humidity\", r.Humidity)], maxLength: {MaxLength}, useApproximateMaxLength: true)));",
            () => Task.WhenAll(readings.Select(r => db.StreamAddAsync(key, [new("temperature", Num(r.Temperature)), new("humidity", Num(r.Humidity))], maxLength: MaxLength, useApproximateMaxLength: true))),
            v => $"{v.Length} ids, {v[0]} … {v[^1]}").ConfigureAwait(false);
        await DemoSteps.ExpireAsync(rec, db, key, keys.KeyTtl).ConfigureAwait(false);
        return new(ids.Select((id, i) => new SensorEntry(id.ToString(), readings[i].Temperature, readings[i].Humidity)).ToList(), rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<long>> LengthAsync(LearnerId learner)
    {
        var key = Key(keyspace.ForLearner(learner));
        var db = mux.GetDatabase();
        var rec = tracer.Start("How many readings?");
        var length = await rec.RunAsync(
            RedisCommandText.Format("XLEN", key),
            "await db.StreamLengthAsync(key);",
            () => db.StreamLengthAsync(key),
            RedisCommandText.IntegerReply).ConfigureAwait(false);
        return new(length, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<IReadOnlyList<SensorEntry>>> RangeAsync(LearnerId learner, string from, string to, int count = 100)
    {
        var start = StreamIds.ValidateBound(from, nameof(from));
        var end = StreamIds.ValidateBound(to, nameof(to));
        ValidateCount(count);
        if (StreamIds.TryParse(start, true, out var a, out var sa) && StreamIds.TryParse(end, true, out var b, out var sb) && (a > b || (a == b && sa > sb && end.Contains('-', StringComparison.Ordinal))))
        {
            throw new LearnerInputException("The start id is after the end id: XRANGE would return nothing. Swap them.", nameof(from));
        }

        var key = Key(keyspace.ForLearner(learner));
        var db = mux.GetDatabase();
        var rec = tracer.Start($"Readings from {start} to {end}");
        var entries = await rec.RunAsync(
            RedisCommandText.Format("XRANGE", key, start, end, "COUNT", count),
            $"await db.StreamRangeAsync(key, {RedisCommandText.CSharpString(start)}, {RedisCommandText.CSharpString(end)}, count: {count});",
            () => db.StreamRangeAsync(key, start, end, count),
            DescribeEntries).ConfigureAwait(false);
        return new(Map(entries), rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<IReadOnlyList<SensorEntry>>> LatestAsync(LearnerId learner, int count = 60)
    {
        ValidateCount(count);
        var key = Key(keyspace.ForLearner(learner));
        var db = mux.GetDatabase();
        var rec = tracer.Start($"The latest {Wording.Count(count, "reading")}");
        var entries = await rec.RunAsync(
            RedisCommandText.Format("XREVRANGE", key, "+", "-", "COUNT", count),
            $"await db.StreamRangeAsync(key, \"-\", \"+\", count: {count}, messageOrder: Order.Descending);",
            () => db.StreamRangeAsync(key, "-", "+", count, Order.Descending),
            DescribeEntries).ConfigureAwait(false);
        var list = Map(entries);
        list.Reverse();
        return new(list, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<IReadOnlyList<SensorEntry>>> ReadAfterAsync(LearnerId learner, string afterId, int count = 100)
    {
        var after = StreamIds.ValidateEntryId(afterId, nameof(afterId));
        ValidateCount(count);
        var key = Key(keyspace.ForLearner(learner));
        var db = mux.GetDatabase();
        var rec = tracer.Start("Tail: new readings");

        // No BLOCK: a blocking XREAD would stall the multiplexer's shared connection for every learner.
        // The page polls once a second instead, always asking for entries after the last id it saw.
        var entries = await rec.RunAsync(
            RedisCommandText.Format("XREAD", "COUNT", count, "STREAMS", key, after),
            $"await db.StreamReadAsync(key, {RedisCommandText.CSharpString(after)}, count: {count}); // no BLOCK on a shared connection",
            () => db.StreamReadAsync(key, after, count),
            DescribeEntries).ConfigureAwait(false);
        return new(Map(entries), rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<bool>> CreateGroupAsync(LearnerId learner, string group)
    {
        ValidateName(group, nameof(group), "group");
        var keys = keyspace.ForLearner(learner);
        var key = Key(keys);
        var db = mux.GetDatabase();
        var rec = tracer.Start($"Create the group {group}");
        bool created;
        try
        {
            created = await rec.RunAsync(
                RedisCommandText.Format("XGROUP", "CREATE", key, group, "0", "MKSTREAM"),
                $"await db.StreamCreateConsumerGroupAsync(key, {RedisCommandText.CSharpString(group)}, \"0\", createStream: true);",
                () => db.StreamCreateConsumerGroupAsync(key, group, "0", createStream: true),
                ok => ok ? "OK" : "(error)").ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // The trace already holds the BUSYGROUP reply; an existing group is fine for the demo.
            created = false;
        }

        await DemoSteps.ExpireAsync(rec, db, key, keys.KeyTtl).ConfigureAwait(false);
        return new(created, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<IReadOnlyList<SensorEntry>>> ReadGroupAsync(LearnerId learner, string group, string consumer, int count)
    {
        ValidateName(group, nameof(group), "group");
        ValidateName(consumer, nameof(consumer), "consumer");
        ValidateCount(count);
        var key = Key(keyspace.ForLearner(learner));
        var db = mux.GetDatabase();
        var rec = tracer.Start($"{consumer} reads up to {count}");
        var entries = await rec.RunAsync(
            RedisCommandText.Format("XREADGROUP", "GROUP", group, consumer, "COUNT", count, "STREAMS", key, ">"),
            $"await db.StreamReadGroupAsync(key, {RedisCommandText.CSharpString(group)}, {RedisCommandText.CSharpString(consumer)}, StreamPosition.NewMessages, count: {count});",
            () => db.StreamReadGroupAsync(key, group, consumer, StreamPosition.NewMessages, count),
            DescribeEntries).ConfigureAwait(false);
        return new(Map(entries), rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<long>> AckAsync(LearnerId learner, string group, IReadOnlyCollection<string> ids)
    {
        ValidateName(group, nameof(group), "group");
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count is 0 or > MaxCount)
        {
            throw new LearnerInputException($"Acknowledge between 1 and {MaxCount} ids.", nameof(ids));
        }

        var valid = ids.Select(id => StreamIds.ValidateEntryId(id, nameof(ids))).ToArray();
        var key = Key(keyspace.ForLearner(learner));
        var db = mux.GetDatabase();
        var rec = tracer.Start($"Acknowledge {valid.Length} {(valid.Length == 1 ? "entry" : "entries")}");
        var values = Array.ConvertAll(valid, v => (RedisValue)v);
        var acked = await rec.RunAsync(
            RedisCommandText.Format("XACK", [key, group, .. valid]),
            $"await db.StreamAcknowledgeAsync(key, {RedisCommandText.CSharpString(group)}, {RedisCommandText.CSharpArray("RedisValue", valid)});",
            () => db.StreamAcknowledgeAsync(key, group, values),
            RedisCommandText.IntegerReply).ConfigureAwait(false);
        return new(acked, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<IReadOnlyList<string>>> GroupsAsync(LearnerId learner)
    {
        var key = Key(keyspace.ForLearner(learner));
        var db = mux.GetDatabase();
        var rec = tracer.Start("The stream's consumer groups");
        var groups = await rec.RunAsync(
            RedisCommandText.Format("XINFO", "GROUPS", key),
            "await db.StreamGroupInfoAsync(key);",
            () => db.StreamGroupInfoAsync(key),
            g => g.Length == 0 ? "(empty array)" : string.Join(", ", g.Select(x => x.Name))).ConfigureAwait(false);
        return new(groups.Select(g => g.Name).ToList(), rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<IReadOnlyList<PendingEntry>>> PendingAsync(LearnerId learner, string group)
    {
        ValidateName(group, nameof(group), "group");
        var key = Key(keyspace.ForLearner(learner));
        var db = mux.GetDatabase();
        var rec = tracer.Start($"Pending in {group}");
        StreamPendingMessageInfo[] pending;
        try
        {
            pending = await rec.RunAsync(
                RedisCommandText.Format("XPENDING", key, group, "-", "+", 100),
                $"await db.StreamPendingMessagesAsync(key, {RedisCommandText.CSharpString(group)}, 100, RedisValue.Null);",
                () => db.StreamPendingMessagesAsync(key, group, 100, RedisValue.Null),
                p => p.Length == 0 ? "(empty array)" : string.Join(", ", p.Take(8).Select(x => $"{x.MessageId} → {x.ConsumerName}")) + (p.Length > 8 ? $" … ({p.Length})" : "")).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
        {
            // No such group (or no stream) yet: nothing can be pending. The trace keeps Redis's NOGROUP reply.
            pending = [];
        }

        return new(pending.Select(p => new PendingEntry(p.MessageId.ToString(), p.ConsumerName.ToString(), p.IdleTimeInMilliseconds, p.DeliveryCount)).ToList(), rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<AutoClaimResult>> AutoClaimAsync(LearnerId learner, string group, string consumer, TimeSpan minIdle)
    {
        ValidateName(group, nameof(group), "group");
        ValidateName(consumer, nameof(consumer), "consumer");
        if (minIdle < TimeSpan.Zero || minIdle > TimeSpan.FromDays(1))
        {
            throw new LearnerInputException("The minimum idle time must be between 0 and 24 hours.", nameof(minIdle));
        }

        var idleMs = (long)minIdle.TotalMilliseconds;
        var key = Key(keyspace.ForLearner(learner));
        var db = mux.GetDatabase();
        var rec = tracer.Start($"{consumer} claims entries idle ≥ {idleMs} ms");
        var result = await rec.RunAsync(
            RedisCommandText.Format("XAUTOCLAIM", key, group, consumer, idleMs, "0-0", "COUNT", 100),
            $"await db.StreamAutoClaimAsync(key, {RedisCommandText.CSharpString(group)}, {RedisCommandText.CSharpString(consumer)}, minIdleTimeInMs: {idleMs}, startAtId: \"0-0\", count: 100);",
            () => db.StreamAutoClaimAsync(key, group, consumer, idleMs, "0-0", 100),
            r => $"next {r.NextStartId}; claimed {DescribeEntries(r.ClaimedEntries)}").ConfigureAwait(false);
        return new(new AutoClaimResult(Map(result.ClaimedEntries), result.DeletedIds.Select(d => d.ToString()).ToList(), result.NextStartId.ToString()), rec.Finish());
    }

    /// <summary>Throws unless <paramref name="name"/> is 1–64 letters, digits, '-' or '_'.</summary>
    public static void ValidateName(string? name, string parameter, string what)
    {
        if (string.IsNullOrWhiteSpace(name) || !NamePattern().IsMatch(name))
        {
            throw new LearnerInputException($"A {what} name must be 1–64 letters, digits, '-' or '_'.", parameter);
        }
    }

    private static void ValidateCount(int count)
    {
        if (count is < 1 or > MaxCount)
        {
            throw new LearnerInputException($"Ask for between 1 and {MaxCount} entries.", nameof(count));
        }
    }

    private static List<SensorEntry> Map(StreamEntry[] entries) =>
        entries.Where(e => !e.IsNull).Select(e => new SensorEntry(e.Id.ToString(), Parse(e["temperature"]), Parse(e["humidity"]))).ToList();

    private static double? Parse(RedisValue value) =>
        !value.IsNull && double.TryParse(value.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    private static string DescribeEntries(StreamEntry[] entries) =>
        entries.Length == 0 ? "(empty array)" : entries.Length == 1 ? $"1 entry {entries[0].Id}" : $"{entries.Length} entries {entries[0].Id} … {entries[^1].Id}";

    private static string Num(double value) => value.ToString("0.0##", CultureInfo.InvariantCulture);

    private static RedisKey Key(LearnerKeyspace keys) => keys.Key(Area, "sensor");

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
