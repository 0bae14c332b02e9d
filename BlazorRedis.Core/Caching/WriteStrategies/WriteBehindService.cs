using System.Globalization;
using System.Text.Json;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Tracing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching.WriteStrategies;

/// <summary>
/// Write-behind on a Redis Stream with a consumer group: a write updates the cache at once and appends an entry;
/// a worker reads entries with XREADGROUP, applies each to the database, and only then XACKs it. An entry read but
/// never acknowledged stays pending and is read again (id 0) when the worker restarts, or claimed with XAUTOCLAIM
/// from a consumer that died. The database remembers applied entry ids, so a replay never applies a write twice.
/// </summary>
public sealed class WriteBehindService
{
    /// <summary>The consumer group of database writers.</summary>
    public const string Group = "database-writers";

    /// <summary>The stream is capped near this length (applied entries are history).</summary>
    public const int MaxStreamLength = 10_000;

    private readonly RedisGate _redis;
    private readonly IProductDatabase _database;
    private readonly RedisTracer _tracer;
    private readonly CacheKeys _keys;
    private readonly CachingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WriteBehindService> _logger;
    private readonly TimeSpan _ttl;
    private volatile bool _groupReady;
    private volatile bool _paused;

    public WriteBehindService(RedisGate redis, IProductDatabase database, RedisTracer tracer, CacheKeys keys, IOptions<CachingOptions> options, TimeProvider time, ILogger<WriteBehindService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _redis = redis;
        _database = database;
        _tracer = tracer;
        _keys = keys;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _ttl = TimeSpan.FromSeconds(_options.DefaultTtlSeconds);
    }

    /// <summary>The stream key.</summary>
    public RedisKey StreamKey => _keys.WriteBehindStream;

    /// <summary>True while the learner has paused the worker (writes keep queueing).</summary>
    public bool Paused => _paused;

    /// <summary>Pauses or resumes the worker, so the learner can watch the queue grow and drain.</summary>
    public void SetPaused(bool paused) => _paused = paused;

    /// <summary>Writes the new value to the cache and queues it for the database. Returns as soon as Redis has both.</summary>
    public async Task<Traced<WriteBehindReceipt>> EnqueueAsync(int id, ProductInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.EnsureValid();
        if (!_database.Contains(id))
        {
            throw new LearnerInputException($"There is no product {id}.", nameof(id));
        }

        var recorder = _tracer.Start($"Write-behind product {id}");
        var now = _time.GetUtcNow();
        var product = new Product(id, input.Name!.Trim(), input.Price!.Value, input.Category!.Trim(), input.Stock!.Value, now);
        var productJson = JsonSerializer.Serialize(product, CachingJsonContext.Default.Product);
        var writeJson = JsonSerializer.Serialize(new QueuedProductWrite(id, input, now), CachingJsonContext.Default.QueuedProductWrite);
        var key = _keys.Product(id);
        var ttl = (long)_ttl.TotalSeconds;
        await _redis.RunAsync(
            recorder,
            RedisCommandText.Format("SETEX", key, ttl, productJson),
            $"await db.StringSetAsync({Cs(key)}, {Cs(productJson)}, TimeSpan.FromSeconds({ttl})); // the product as JSON",
            db => db.StringSetAsync(key, productJson, _ttl),
            ok => ok ? "OK" : "(nil)").ConfigureAwait(false);
        await _redis.RunAsync(
            recorder,
            RedisCommandText.Format("UNLINK", _keys.List),
            $"await db.KeyDeleteAsync({Cs(_keys.List)}); // sent as UNLINK",
            db => db.KeyDeleteAsync(_keys.List),
            RedisCommandText.Flag).ConfigureAwait(false);
        var entryId = await _redis.RunAsync(
            recorder,
            RedisCommandText.Format("XADD", StreamKey, "MAXLEN", "~", MaxStreamLength, "*", "write", writeJson),
            $"var id = await db.StreamAddAsync({Cs(StreamKey)}, \"write\", {Cs(writeJson)}, maxLength: {MaxStreamLength}, useApproximateMaxLength: true);",
            db => db.StreamAddAsync(StreamKey, "write", writeJson, maxLength: MaxStreamLength, useApproximateMaxLength: true),
            RedisCommandText.Reply).ConfigureAwait(false);
        return new(new WriteBehindReceipt(entryId!, product), recorder.Finish());
    }

    /// <summary>The queue: stream length, pending and undelivered entries, and the age of the oldest unapplied write.</summary>
    public async Task<Traced<WriteBehindStatus>> GetStatusAsync()
    {
        var recorder = _tracer.Start("Write-behind queue status");
        await EnsureGroupAsync(recorder).ConfigureAwait(false);
        var length = await _redis.RunAsync(
            recorder,
            RedisCommandText.Format("XLEN", StreamKey),
            $"long length = await db.StreamLengthAsync({Cs(StreamKey)});",
            db => db.StreamLengthAsync(StreamKey),
            RedisCommandText.IntegerReply).ConfigureAwait(false);
        var groups = await _redis.RunAsync(
            recorder,
            RedisCommandText.Format("XINFO", "GROUPS", StreamKey),
            $"var groups = await db.StreamGroupInfoAsync({Cs(StreamKey)});",
            db => db.StreamGroupInfoAsync(StreamKey),
            g => string.Join(", ", g.Select(x => $"{x.Name}: pending {x.PendingMessageCount}, lag {x.Lag?.ToString(CultureInfo.InvariantCulture) ?? "?"}"))).ConfigureAwait(false);
        var group = groups.FirstOrDefault(g => g.Name == Group);
        long pending = group.PendingMessageCount;
        var undelivered = group.Lag ?? 0;

        // The oldest unapplied write is the oldest pending entry, or else the first entry after the last delivered one.
        string? oldestId = null;
        if (pending > 0)
        {
            var summary = await _redis.RunAsync(
                recorder,
                RedisCommandText.Format("XPENDING", StreamKey, Group),
                $"var summary = await db.StreamPendingAsync({Cs(StreamKey)}, \"{Group}\");",
                db => db.StreamPendingAsync(StreamKey, Group),
                s => $"{s.PendingMessageCount} pending, oldest {s.LowestPendingMessageId}").ConfigureAwait(false);
            oldestId = (string?)summary.LowestPendingMessageId;
        }
        else if (undelivered > 0 && group.LastDeliveredId is { Length: > 0 } last)
        {
            var next = await _redis.RunAsync(
                recorder,
                RedisCommandText.Format("XRANGE", StreamKey, "(" + last, "+", "COUNT", 1),
                $"var next = await db.StreamRangeAsync({Cs(StreamKey)}, \"({last}\", \"+\", count: 1);",
                db => db.StreamRangeAsync(StreamKey, "(" + last, "+", 1),
                e => e.Length == 0 ? "(empty array)" : e[0].Id!).ConfigureAwait(false);
            oldestId = next.Length == 0 ? null : (string?)next[0].Id;
        }

        TimeSpan? age = oldestId is null ? null : _time.GetUtcNow() - EntryTime(oldestId);
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        return new(new WriteBehindStatus(length, pending, undelivered, age, _database.AppliedWriteIds.Count, _paused), recorder.Finish());
    }

    /// <summary>
    /// One worker pass: first this consumer's own pending entries (a restart replays them), then entries other
    /// consumers left idle too long (XAUTOCLAIM), then new ones (<c>&gt;</c>). Each entry is applied, then acknowledged.
    /// </summary>
    public async Task<WriteBehindPass> ProcessOnceAsync(string consumer, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        try
        {
            return await ProcessCoreAsync(consumer, cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("NOGROUP", StringComparison.Ordinal))
        {
            // The stream was deleted under us: create the group again on the next pass.
            _groupReady = false;
            throw;
        }
    }

    private async Task<WriteBehindPass> ProcessCoreAsync(string consumer, CancellationToken cancellationToken)
    {
        await EnsureGroupAsync(TraceRecorder.None).ConfigureAwait(false);
        var count = _options.WriteBehindBatchSize;
        var replay = true;
        var entries = await _redis.RunAsync(TraceRecorder.None, "", "", db => db.StreamReadGroupAsync(StreamKey, Group, consumer, "0", count), _ => "").ConfigureAwait(false);
        if (entries.Length == 0)
        {
            var claimed = await _redis.RunAsync(TraceRecorder.None, "", "", db => db.StreamAutoClaimAsync(StreamKey, Group, consumer, _options.WriteBehindClaimIdleMs, "0-0", count), _ => "").ConfigureAwait(false);
            entries = claimed.ClaimedEntries;
        }

        if (entries.Length == 0)
        {
            replay = false;
            entries = await _redis.RunAsync(TraceRecorder.None, "", "", db => db.StreamReadGroupAsync(StreamKey, Group, consumer, ">", count), _ => "").ConfigureAwait(false);
        }

        int applied = 0, skipped = 0;
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var write = Parse(entry);
            if (write is not null && await _database.ApplyQueuedWriteAsync(entry.Id!, write, cancellationToken).ConfigureAwait(false))
            {
                applied++;
            }
            else
            {
                skipped++;
            }

            // Acknowledge only now: had the app died before this line, the entry would still be pending and be replayed.
            await _redis.RunAsync(TraceRecorder.None, "", "", db => db.StreamAcknowledgeAsync(StreamKey, Group, entry.Id), _ => "").ConfigureAwait(false);
        }

        return new WriteBehindPass(entries.Length, applied, skipped, replay && entries.Length > 0);
    }

    private QueuedProductWrite? Parse(StreamEntry entry)
    {
        var json = (string?)entry["write"];
        try
        {
            var write = json is null ? null : JsonSerializer.Deserialize(json, CachingJsonContext.Default.QueuedProductWrite);
            if (write?.Values.Validate().Count == 0)
            {
                return write;
            }
        }
        catch (JsonException ex)
        {
            _logger.LogWarning(ex, "Write-behind entry {Id} is not a valid write; acknowledging it without applying", entry.Id);
            return null;
        }

        _logger.LogWarning("Write-behind entry {Id} is not a valid write; acknowledging it without applying", entry.Id);
        return null;
    }

    private async Task EnsureGroupAsync(TraceRecorder recorder)
    {
        if (_groupReady)
        {
            return;
        }

        try
        {
            await _redis.RunAsync(
                recorder,
                RedisCommandText.Format("XGROUP", "CREATE", StreamKey, Group, "0", "MKSTREAM"),
                $"await db.StreamCreateConsumerGroupAsync({Cs(StreamKey)}, \"{Group}\", \"0\", createStream: true);",
                db => db.StreamCreateConsumerGroupAsync(StreamKey, Group, "0", createStream: true),
                ok => ok ? "OK" : "(error)").ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
        {
            // The group exists already (another start created it): exactly what we need.
        }

        _groupReady = true;
    }

    private static DateTimeOffset EntryTime(string id) =>
        DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(id.AsSpan(0, id.IndexOf('-', StringComparison.Ordinal)), CultureInfo.InvariantCulture));

    private static string Cs(string? text) => RedisCommandText.CSharpString(text);
}
