using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Tracing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching.WriteStrategies;

/// <summary>
/// Write-behind on a Redis Stream with a consumer group: a write updates the cache at once and appends an entry (one
/// Lua script, which refuses the write when <see cref="CachingOptions.WriteBehindMaxQueue"/> writes already wait);
/// a worker reads batches with XREADGROUP, applies each batch to the database in one round trip, and only then
/// acknowledges and deletes its entries (XACK + XDEL), so the stream holds exactly the writes not yet applied and no
/// accepted write is ever trimmed. An entry read but never acknowledged stays pending and is read again (id 0) when
/// the worker restarts, or claimed with XAUTOCLAIM from a consumer that died. The database remembers the applied
/// writes' own ids (<see cref="WriteIdField"/>), so a replay never applies a write twice, and orders a product's writes
/// by their entry ids.
/// </summary>
public sealed class WriteBehindService
{
    /// <summary>The consumer group of database writers.</summary>
    public const string Group = "database-writers";

    /// <summary>
    /// The entry field with the write's own id (a GUID the app gives each write). The app tracks accepted writes by it,
    /// and the database remembers applied writes by it, not by the stream entry id: a stream Redis lost and made again
    /// in the same millisecond (or on a Redis whose clock is behind) gives out the lost entries' ids again, to other
    /// writes, which must not be taken for replays.
    /// </summary>
    public const string WriteIdField = "wid";

    /// <summary>
    /// KEYS: stream, product key, list key, the product's category tag set, the tag set of the category the database
    /// holds now (the same key when the write keeps the category). ARGV: bound, write JSON, product JSON,
    /// TTL seconds, deadline (Unix ms on Redis's clock; past it the script returns Redis's time), the stream's TTL
    /// seconds (a learner's lab: the learner key TTL, renewed by every write; 0: none), the write's own id (stored in
    /// the entry beside the write: entry ids can come again in a remade stream, see <see cref="WriteIdField"/>). The bound check, the cache update (the product, its tag set as a fill adds
    /// it, the old category's tag set left as a write-through leaves it, the list dropped) and the append are one atomic step: a refused write changes nothing, an accepted one is
    /// queued. Past the deadline the app has already told the caller the write failed (the command waited in the
    /// client's backlog while Redis was away), so Redis must not run it late: it changes nothing.
    /// </summary>
    internal const string EnqueueScript =
        "local t = redis.call('TIME') " +
        "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) " +
        "if now > tonumber(ARGV[5]) then return now end " +
        "if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[1]) then return false end " +
        "redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4]) " +
        "redis.call('SADD', KEYS[4], KEYS[2]) " +
        "redis.call('EXPIRE', KEYS[4], ARGV[4]) " +
        "if KEYS[5] ~= KEYS[4] then redis.call('SREM', KEYS[5], KEYS[2]) end " +
        "redis.call('UNLINK', KEYS[3]) " +
        "local id = redis.call('XADD', KEYS[1], '*', 'write', ARGV[2], 'wid', ARGV[7]) " +
        "if tonumber(ARGV[6]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[6]) end " +
        "return id";

    /// <summary>
    /// KEYS: list key, then the product keys of an applied batch. ARGV: each product's row as the database now holds
    /// it (JSON; empty when the product is gone). Run after a batch is applied: a list cached meanwhile may have been
    /// loaded from the database before the batch, so it goes; a product key goes when it holds an older copy than the
    /// row (it expired and a read filled it from the database before the worker ran). A copy as new as the row, or
    /// newer (a write accepted since, not yet applied), stays: the cache keeps the newest accepted value.
    /// </summary>
    internal const string RefreshAfterApplyScript =
        "redis.call('UNLINK', KEYS[1]) " +
        "local n = 0 " +
        "for i = 2, #KEYS do " +
        "  local row = ARGV[i - 1] " +
        "  local ok, v = pcall(redis.call, 'GET', KEYS[i]) " +
        "  if ok and v and v ~= row then " +
        "    local stale = true " +
        "    if row ~= '' then " +
        "      local okc, c = pcall(cjson.decode, v) " +
        "      local r = cjson.decode(row) " +
        "      if okc and type(c) == 'table' and type(c.updatedAt) == 'string' and c.updatedAt > r.updatedAt then stale = false end " +
        "    end " +
        "    if stale then redis.call('UNLINK', KEYS[i]) n = n + 1 end " +
        "  end " +
        "end " +
        "return n";

    /// <summary>
    /// KEYS: a product key, the tag set of its category now, then the tag sets of the other categories it had while a
    /// batch was applied. ARGV: its category now, then those other categories (in the order of their KEYS). Run after
    /// a batch that moved a product to another category (after <see cref="RefreshAfterApplyScript"/>): the key leaves
    /// every tag set but the one of the category its cached copy has (so invalidating the old category no longer drops
    /// it), and joins the new category's tag set when its cached copy is in that category, as a write-through moves it.
    /// A copy of a newer write, not yet applied, keeps the tag set its write put it in.
    /// </summary>
    internal const string MoveTagsScript =
        "local ok, v = pcall(redis.call, 'GET', KEYS[1]) " +
        "local c = false " +
        "if ok and v then " +
        "  local okc, p = pcall(cjson.decode, v) " +
        "  if okc and type(p) == 'table' and type(p.category) == 'string' then c = p.category end " +
        "end " +
        "local n = 0 " +
        "for i = 3, #KEYS do " +
        "  if ARGV[i - 1] ~= c then n = n + redis.call('SREM', KEYS[i], KEYS[1]) end " +
        "end " +
        "if c == ARGV[1] then " +
        "  redis.call('SADD', KEYS[2], KEYS[1]) " +
        "  local ttl = redis.call('PTTL', KEYS[1]) " +
        "  if ttl > 0 and redis.call('PTTL', KEYS[2]) < ttl then redis.call('PEXPIRE', KEYS[2], ttl) end " +
        "end " +
        "return n";

    /// <summary>KEYS: stream. ARGV: group, entry ids. Acknowledged entries leave the stream: it only holds unapplied writes.</summary>
    internal const string AcknowledgeScript =
        "local n = redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 2)) " +
        "redis.call('XDEL', KEYS[1], unpack(ARGV, 2)) " +
        "return n";

    /// <summary>
    /// KEYS: stream. ARGV: group, consumer. Removes the consumer from the group only when it holds no pending entry
    /// (XGROUP DELCONSUMER would drop them), so a stopped instance leaves no empty consumer behind and no write either.
    /// </summary>
    internal const string LeaveScript =
        "if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end " +
        "local ok, p = pcall(redis.call, 'XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) " +
        "if not ok then return -1 end " +
        "if #p > 0 then return -2 end " +
        "return redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])";

    // What this app knows of the consumer group (_group): not checked yet (at start, after Redis lost it), there, or
    // not there because there is no stream (nothing was queued yet). Only the first state costs an XGROUP CREATE.
    private const int GroupUnchecked = 0;
    private const int GroupReady = 1;
    private const int NoStream = 2;

    private readonly RedisGate _redis;
    private readonly IProductDatabase _database;
    private readonly RedisTracer _tracer;
    private readonly CacheKeys _keys;
    private readonly CachingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WriteBehindService> _logger;
    private readonly TimeSpan _ttl;
    private readonly TimeSpan _maxPause;
    // Accepted writes not applied yet, by their own id (WriteIdField), each with the order this app accepted it in.
    private readonly ConcurrentDictionary<string, long> _unapplied = new(StringComparer.Ordinal);
    private long _accepted;
    private readonly Lock _pauseLock = new();
    private DateTimeOffset? _pausedUntil;
    private string? _pausedBy;
    private int _group = GroupUnchecked;
    private int _generation;
    private long _lostWrites;
    private long _foundGoneAtTicks;

    // How far Redis's clock runs ahead of this app's (learned from a write refused as late that was not): the
    // enqueue deadline is checked by Redis on its own clock.
    private long _redisClockAheadMs;

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
        _maxPause = TimeSpan.FromSeconds(_options.WriteBehindMaxPauseSeconds);
    }

    /// <summary>The stream key.</summary>
    public RedisKey StreamKey => _keys.WriteBehindStream;

    /// <summary>Raised after each batch is applied and acknowledged (on the worker's thread), so a diagram can show the worker's half.</summary>
    public event Action<WriteBehindBatchApplied>? BatchApplied;

    /// <summary>The bound on writes waiting for the database.</summary>
    public int MaxQueue => _options.WriteBehindMaxQueue;

    /// <summary>True while the worker is paused (writes keep queueing, up to <see cref="MaxQueue"/>).</summary>
    public bool Paused => CurrentPause() is not null;

    /// <summary>Bumped each time the stream had to be created again (Redis lost it): the worker replays from id 0.</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>Writes this app accepted that the worker has not applied yet (a lab with some is never dropped).</summary>
    public int UnappliedCount => _unapplied.Count;

    /// <summary>Writes accepted by this app that Redis lost before they were applied, over every loss since the app started.</summary>
    public long LostWrites => Interlocked.Read(ref _lostWrites);

    /// <summary>
    /// Pauses or resumes the worker, so the learner can watch the queue grow and drain. A pause ends by itself after
    /// <c>Caching:WriteBehindMaxPauseSeconds</c>; <paramref name="who"/> is shown to everyone (a learner's short id, "API").
    /// </summary>
    public void SetPaused(bool paused, string? who = null)
    {
        lock (_pauseLock)
        {
            if (paused)
            {
                _pausedUntil = _time.GetUtcNow() + _maxPause;
                _pausedBy = string.IsNullOrWhiteSpace(who) ? "the app" : who.Trim();
                _logger.LogInformation("Write-behind worker paused by {Who} until {Until:O}", _pausedBy, _pausedUntil);
            }
            else
            {
                _pausedUntil = null;
                _pausedBy = null;
            }
        }
    }

    private (string By, DateTimeOffset Until)? CurrentPause()
    {
        lock (_pauseLock)
        {
            if (_pausedUntil is not { } until)
            {
                return null;
            }

            if (_time.GetUtcNow() < until)
            {
                return (_pausedBy ?? "the app", until);
            }

            _logger.LogInformation("Write-behind worker resumed by itself: the pause by {Who} reached its limit ({Seconds} s)", _pausedBy, _options.WriteBehindMaxPauseSeconds);
            _pausedUntil = null;
            _pausedBy = null;
            return null;
        }
    }

    /// <summary>
    /// Writes the new value to the cache and queues it for the database, in one atomic script. Returns as soon as
    /// Redis has both; throws <see cref="WriteBehindQueueFullException"/> (and changes nothing) when the queue is full.
    /// </summary>
    public async Task<Traced<WriteBehindReceipt>> EnqueueAsync(int id, ProductInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.EnsureValid();
        var current = await _database.PeekAsync(id).ConfigureAwait(false) ?? throw new LearnerInputException($"There is no product {id}.", nameof(id));

        var recorder = _tracer.Start($"Write-behind product {id}");
        var now = _time.GetUtcNow();
        var product = new Product(id, input.Name!.Trim(), input.Price!.Value, input.Category!.Trim(), input.Stock!.Value, now);
        var productJson = JsonSerializer.Serialize(product, CachingJsonContext.Default.Product);
        var writeJson = JsonSerializer.Serialize(new QueuedProductWrite(id, input, now), CachingJsonContext.Default.QueuedProductWrite);
        var key = _keys.Product(id);
        var tag = _keys.Tag(product.Category);
        var oldTag = current.Category != product.Category ? _keys.Tag(current.Category) : tag;
        var ttl = (long)_ttl.TotalSeconds;
        var max = _options.WriteBehindMaxQueue;
        var streamTtl = (long)(_keys.KeyTtl?.TotalSeconds ?? 0);
        var writeId = Guid.NewGuid().ToString("N");
        RedisResult reply;
        var attempt = 0;
        while (true)
        {
            var sent = _time.GetUtcNow();
            var deadline = (sent + _redis.Timeout).ToUnixTimeMilliseconds() + Interlocked.Read(ref _redisClockAheadMs);
            reply = await _redis.RunAsync(
                recorder,
                RedisCommandText.Format("EVAL", EnqueueScript, 5, StreamKey, key, _keys.List, tag, oldTag, max, writeJson, productJson, ttl, deadline, streamTtl, writeId),
                $"var id = await db.ScriptEvaluateAsync({RedisCommandText.CSharpLiteral(EnqueueScript)}, [{Cs(StreamKey)}, {Cs(key)}, {Cs(_keys.List)}, {Cs(tag)}, {Cs(oldTag)}], [{max}, {Cs(writeJson)}, {Cs(productJson)}, {ttl}, {deadline}L, {streamTtl}, {Cs(writeId)}]); // queue full: (nil) and nothing changes",
                db => db.ScriptEvaluateAsync(EnqueueScript, [StreamKey, key, _keys.List, tag, oldTag], [max, writeJson, productJson, ttl, deadline, streamTtl, writeId]),
                r => r.IsNull ? "(nil)" : r.ToString()).ConfigureAwait(false);
            if (reply.Resp2Type != ResultType.Integer)
            {
                break;
            }

            // Refused as late (it changed nothing). If the reply came back within the timeout, the write was not
            // late: Redis's clock is ahead of this app's. Learn by how much and send it once more.
            var answered = _time.GetUtcNow();
            if (attempt++ > 0 || answered - sent >= _redis.Timeout)
            {
                throw new TimeoutException("Redis ran the write-behind write after its deadline, so it changed nothing.");
            }

            var ahead = (long)reply - answered.ToUnixTimeMilliseconds();
            Interlocked.Exchange(ref _redisClockAheadMs, ahead);
            _logger.LogWarning("Redis's clock is {Ahead} ms ahead of this app's; write-behind deadlines now allow for it", ahead);
        }

        if (reply.IsNull)
        {
            var pause = CurrentPause();
            var retry = pause is { } p ? p.Until - _time.GetUtcNow() : await _database.GetLatencyAsync().ConfigureAwait(false);
            throw new WriteBehindQueueFullException(max, retry < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retry, pause is not null);
        }

        var entryId = reply.ToString();
        _unapplied.TryAdd(writeId, Interlocked.Increment(ref _accepted));
        if (_unapplied.Count > max + 1000)
        {
            ForgetOldestAccepted(max);
        }

        return new(new WriteBehindReceipt(entryId, product) { WriteId = writeId }, recorder.Finish());
    }

    /// <summary>
    /// The queue: stream length, pending and undelivered entries, and the age of the oldest unapplied write. A read
    /// creates nothing: before the first write there is no stream (and no key) at all.
    /// </summary>
    public async Task<Traced<WriteBehindStatus>> GetStatusAsync()
    {
        var recorder = _tracer.Start("Write-behind queue status");
        Task<long> LengthAsync() => _redis.RunAsync(
            recorder,
            RedisCommandText.Format("XLEN", StreamKey),
            $"long length = await db.StreamLengthAsync({Cs(StreamKey)});",
            db => db.StreamLengthAsync(StreamKey),
            RedisCommandText.IntegerReply);
        var length = await LengthAsync().ConfigureAwait(false);
        if (length > 0 && Volatile.Read(ref _group) != GroupReady && await EnsureGroupAsync(recorder, streamSeen: true).ConfigureAwait(false))
        {
            // A queue this app meets for the first time: the group is there now, and entries an older version kept are gone.
            length = await LengthAsync().ConfigureAwait(false);
        }

        StreamGroupInfo? group = null;
        for (var attempt = 0; attempt < 2 && group is null; attempt++)
        {
            StreamGroupInfo[] groups;
            var noStream = false;
            try
            {
                groups = await _redis.RunAsync(
                    recorder,
                    RedisCommandText.Format("XINFO", "GROUPS", StreamKey),
                    $"var groups = await db.StreamGroupInfoAsync({Cs(StreamKey)});",
                    db => db.StreamGroupInfoAsync(StreamKey),
                    g => string.Join(", ", g.Select(x => $"{x.Name}: pending {x.PendingMessageCount}"))).ConfigureAwait(false);
            }
            catch (RedisServerException ex) when (ex.Message.Contains("no such key", StringComparison.OrdinalIgnoreCase))
            {
                groups = [];
                noStream = true;
            }

            group = groups.Any(g => g.Name == Group) ? groups.First(g => g.Name == Group) : null;
            if (group is null && noStream && Volatile.Read(ref _group) != GroupReady)
            {
                // Nothing was ever queued (or the loss is already counted): nothing to recover, nothing to create.
                break;
            }

            if (group is null)
            {
                // The stream or the group is gone (Redis restarted empty): create it again and say what was lost.
                await RecoverAsync(recorder).ConfigureAwait(false);
            }
        }

        long pending = group?.PendingMessageCount ?? 0;

        // Applied entries are deleted, so the stream holds exactly the unapplied writes and its first entry is the oldest.
        var undelivered = Math.Max(0, length - pending);
        string? oldestId = null;
        if (length > 0)
        {
            var first = await _redis.RunAsync(
                recorder,
                RedisCommandText.Format("XRANGE", StreamKey, "-", "+", "COUNT", 1),
                $"var first = await db.StreamRangeAsync({Cs(StreamKey)}, \"-\", \"+\", count: 1);",
                db => db.StreamRangeAsync(StreamKey, "-", "+", 1),
                e => e.Length == 0 ? "(empty array)" : e[0].Id!).ConfigureAwait(false);
            oldestId = first.Length == 0 ? null : (string?)first[0].Id;
        }

        TimeSpan? age = oldestId is null ? null : _time.GetUtcNow() - EntryTime(oldestId);
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        var pause = CurrentPause();
        var foundGoneAt = Interlocked.Read(ref _foundGoneAtTicks);
        var appliedWrites = (int)Math.Min(int.MaxValue, await _database.CountAppliedWritesAsync().ConfigureAwait(false));
        return new(
            new WriteBehindStatus(length, pending, undelivered, age, appliedWrites, pause is not null)
            {
                MaxQueue = _options.WriteBehindMaxQueue,
                PausedBy = pause?.By,
                ResumesAt = pause?.Until,
                LostWrites = LostWrites,
                SupersededWrites = _database.SupersededWrites,
                StreamFoundGoneAt = foundGoneAt == 0 ? null : new DateTimeOffset(foundGoneAt, TimeSpan.Zero),
            },
            recorder.Finish());
    }

    /// <summary>
    /// One worker pass: first this consumer's own pending entries (a restart replays them), then entries other
    /// consumers left idle too long (XAUTOCLAIM), then new ones (<c>&gt;</c>). The batch is applied, then acknowledged.
    /// </summary>
    public async Task<WriteBehindPass> ProcessOnceAsync(string consumer, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        var replay = true;
        var entries = await ReadAsync(consumer, "0").ConfigureAwait(false);
        if (entries.Length == 0 && Volatile.Read(ref _group) == NoStream)
        {
            // Nothing was ever queued: nothing pending, nothing to claim, nothing new.
            return new WriteBehindPass(0, 0, 0, false);
        }

        if (entries.Length == 0)
        {
            entries = await ClaimIdleAsync(consumer).ConfigureAwait(false);
        }

        if (entries.Length == 0)
        {
            replay = false;
            entries = await ReadAsync(consumer, ">").ConfigureAwait(false);
        }

        var pass = await ApplyAsync(entries, cancellationToken).ConfigureAwait(false);
        return pass with { Replayed = replay && entries.Length > 0 };
    }

    /// <summary>
    /// Reads up to a batch: <paramref name="position"/> <c>&gt;</c> for new entries, or an id for this consumer's
    /// pending entries after it (replay). When Redis lost the stream, recovers and returns nothing (see <see cref="Generation"/>).
    /// </summary>
    public async Task<StreamEntry[]> ReadAsync(string consumer, RedisValue position) =>
        await WithGroupAsync(db => db.StreamReadGroupAsync(StreamKey, Group, consumer, position, _options.WriteBehindBatchSize)).ConfigureAwait(false) ?? [];

    /// <summary>
    /// Called when a worker stops: removes <paramref name="consumer"/> from the group if it holds nothing pending
    /// (true), or leaves it with its entries for another worker to claim (false).
    /// </summary>
    public async Task<bool> LeaveAsync(string consumer)
    {
        var reply = await _redis.RunAsync(
            TraceRecorder.None,
            "",
            "",
            db => db.ScriptEvaluateAsync(LeaveScript, [StreamKey], [Group, consumer]),
            _ => "").ConfigureAwait(false);
        return (long)reply != -2;
    }

    /// <summary>
    /// Claims entries another consumer has held longer than <c>Caching:WriteBehindClaimIdleMs</c>. Sends nothing when
    /// the last read found no stream: no stream, no entry to claim.
    /// </summary>
    public async Task<StreamEntry[]> ClaimIdleAsync(string consumer) => Volatile.Read(ref _group) == NoStream ? [] :
        await WithGroupAsync(async db => (await db.StreamAutoClaimAsync(StreamKey, Group, consumer, _options.WriteBehindClaimIdleMs, "0-0", _options.WriteBehindBatchSize).ConfigureAwait(false)).ClaimedEntries).ConfigureAwait(false) ?? [];

    /// <summary>
    /// Applies a batch in one database round trip (each entry at most once), then acknowledges and deletes the
    /// entries in one script. Had the app died in between, the entries would still be pending and be replayed.
    /// </summary>
    public async Task<WriteBehindPass> ApplyAsync(IReadOnlyList<StreamEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return new WriteBehindPass(0, 0, 0, false);
        }

        var writes = new List<QueuedWriteEntry>(entries.Count);
        foreach (var entry in entries)
        {
            if (Parse(entry) is { } write)
            {
                writes.Add(new QueuedWriteEntry(WriteIdOf(entry), write, entry.Id!));
            }
        }

        // Each product's category before the batch: a write that moves it to another category moves its tag set too.
        // Rows are read for the whole batch at once: one database call (one Redis command for a shared database), not one per product.
        var ids = writes.Select(w => w.Write.ProductId).Distinct().ToList();
        var rowsBefore = await _database.PeekAsync(ids, cancellationToken).ConfigureAwait(false);
        var categoriesBefore = ids.Select((id, i) => (id, rowsBefore[i]?.Category)).ToDictionary(x => x.id, x => x.Category);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var supersededBefore = _database.SupersededWrites;
        var applied = await _database.ApplyBatchAsync(writes, cancellationToken).ConfigureAwait(false);
        var databaseTime = clock.Elapsed;
        if (_database.SupersededWrites is var superseded && superseded > supersededBefore)
        {
            _logger.LogInformation(
                "Write-behind skipped queued writes accepted before their product's last change (a newer write won); {Total} superseded so far",
                superseded);
        }
        foreach (var entry in entries)
        {
            _unapplied.TryRemove(WriteIdOf(entry), out _);
        }

        RedisValue[] args = [Group, .. entries.Select(e => e.Id)];
        clock.Restart();
        await WithGroupAsync(db => db.ScriptEvaluateAsync(AcknowledgeScript, [StreamKey], args)).ConfigureAwait(false);
        var acknowledgeTime = clock.Elapsed;
        var rowsAfter = await _database.PeekAsync(ids, CancellationToken.None).ConfigureAwait(false);
        await RefreshCacheAsync(ids, rowsAfter).ConfigureAwait(false);
        await MoveTagsAsync(writes, categoriesBefore, rowsAfter).ConfigureAwait(false);
        if (BatchApplied is { } listeners)
        {
            var batch = new WriteBehindBatchApplied([.. entries.Select(e => e.Id.ToString())], applied, databaseTime, acknowledgeTime, _time.GetUtcNow());
            foreach (var listener in listeners.GetInvocationList().Cast<Action<WriteBehindBatchApplied>>())
            {
                try
                {
                    listener(batch);
                }
                catch (Exception ex)
                {
                    // A listener (a learner's page) must never stop the worker.
                    _logger.LogWarning(ex, "A write-behind batch listener failed");
                }
            }
        }

        return new WriteBehindPass(entries.Count, applied, entries.Count - applied, false);
    }

    /// <summary>
    /// After a batch: drops the cached list (it may have been loaded from the database before the batch) and any
    /// product copy older than its row now (see <see cref="RefreshAfterApplyScript"/>). Should Redis fail here, the
    /// batch is replayed: the database skips what it has, and this runs again.
    /// </summary>
    /// <param name="ids">The batch's products.</param>
    /// <param name="rowsNow">Their rows after the batch (in the order of <paramref name="ids"/>; null when gone).</param>
    private async Task RefreshCacheAsync(List<int> ids, IReadOnlyList<Product?> rowsNow)
    {
        RedisKey[] refreshKeys = [_keys.List, .. ids.Select(_keys.Product)];
        RedisValue[] rows = [.. rowsNow.Select(row => row is null ? RedisValue.EmptyString : (RedisValue)JsonSerializer.Serialize(row, CachingJsonContext.Default.Product))];
        await _redis.RunAsync(TraceRecorder.None, "", "", db => db.ScriptEvaluateAsync(RefreshAfterApplyScript, refreshKeys, rows), _ => "").ConfigureAwait(false);
    }

    /// <summary>
    /// After a batch: a product whose category changed while it was applied (its row's category before, or any of its
    /// queued writes', differs from the row's now) leaves the other categories' tag sets and stays in (or joins) its
    /// cached copy's, like a write-through (see <see cref="MoveTagsScript"/>). A product the batch did not move costs
    /// no command. Should Redis fail here, the batch is replayed and this runs again.
    /// </summary>
    private async Task MoveTagsAsync(List<QueuedWriteEntry> writes, Dictionary<int, string?> categoriesBefore, IReadOnlyList<Product?> rowsNow)
    {
        foreach (var ((id, before), i) in categoriesBefore.Select((x, i) => (x, i)))
        {
            if (rowsNow[i] is not { } row)
            {
                continue; // gone: no read can cache it again, and its delete removed it from its tag set
            }

            string[] others = [.. writes.Where(w => w.Write.ProductId == id).Select(w => w.Write.Values.Category?.Trim())
                .Append(before)
                .OfType<string>()
                .Where(c => c.Length > 0 && c != row.Category)
                .Distinct(StringComparer.Ordinal)];
            if (others.Length == 0)
            {
                continue;
            }

            RedisKey[] tagKeys = [_keys.Product(id), _keys.Tag(row.Category), .. others.Select(_keys.Tag)];
            RedisValue[] categories = [row.Category, .. others.Select(c => (RedisValue)c)];
            await _redis.RunAsync(TraceRecorder.None, "", "", db => db.ScriptEvaluateAsync(MoveTagsScript, tagKeys, categories), _ => "").ConfigureAwait(false);
        }
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

    /// <summary>
    /// Runs a command that needs the group; returns the default when no write was queued yet (no stream), and when
    /// NOGROUP says Redis lost the stream (after recovering).
    /// </summary>
    private async Task<T?> WithGroupAsync<T>(Func<IDatabase, Task<T>> call)
    {
        if (!await EnsureGroupAsync(TraceRecorder.None).ConfigureAwait(false))
        {
            return default;
        }

        try
        {
            return await _redis.RunAsync(TraceRecorder.None, "", "", call, _ => "").ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("NOGROUP", StringComparison.Ordinal))
        {
            await RecoverAsync(TraceRecorder.None).ConfigureAwait(false);
            return default;
        }
    }

    /// <summary>
    /// The stream or its group is gone although this app had it: Redis restarted without persistence (or someone
    /// deleted the key). Creates the group again if a write has made the stream again (from id 0, so writes added
    /// since are delivered; else the next write makes the stream and the worker the group), counts the writes
    /// this app accepted that are not in the new stream and were never applied, and logs it once.
    /// </summary>
    private async Task RecoverAsync(TraceRecorder recorder)
    {
        var hadGroup = Interlocked.Exchange(ref _group, GroupUnchecked) == GroupReady;
        await EnsureGroupAsync(recorder).ConfigureAwait(false);
        if (!hadGroup)
        {
            return;
        }

        Interlocked.Increment(ref _generation);

        // Taken before the new stream is read: a write accepted by then is in it unless Redis lost it. The new stream's
        // entry ids say nothing (a remake in the same millisecond gives the lost ids out again): its writes' own ids do.
        // The script keeps the stream within the bound, so reading all of it is bounded too.
        var accepted = _unapplied.Keys.ToList();
        var entries = await _redis.RunAsync(recorder, "", "", db => db.StreamRangeAsync(StreamKey, "-", "+"), _ => "").ConfigureAwait(false);
        var queued = entries.Select(WriteIdOf).ToHashSet(StringComparer.Ordinal);
        long lost = 0;
        foreach (var id in accepted)
        {
            // A write applied meanwhile has already left _unapplied (before its entry left the stream): not counted.
            if (!queued.Contains(id) && _unapplied.TryRemove(id, out _))
            {
                lost++;
            }
        }

        Interlocked.Add(ref _lostWrites, lost);
        Interlocked.Exchange(ref _foundGoneAtTicks, _time.GetUtcNow().UtcTicks);
        _logger.LogWarning(
            "The write-behind stream {Stream} or its group was gone (Redis restarted without persistence?): {Lost} accepted writes that were not yet applied are lost. The group was created again",
            (string?)StreamKey,
            lost);
    }

    /// <summary>
    /// Creates the group on the stream if this app has not yet. False when there is no stream: only a write makes
    /// it (the enqueue script's XADD, which also sets a learner's TTL), never a read, so no MKSTREAM here.
    /// </summary>
    /// <remarks>
    /// The group is made once, from id 0 (every entry the stream holds is delivered, the first write's too), and again
    /// only after Redis lost it (NOGROUP: see <see cref="RecoverAsync"/>). While there is no stream, the worker polls
    /// with EXISTS, which fails nothing, instead of an XGROUP CREATE Redis refuses at every poll; a stream that appears
    /// (this app's write or another instance's) gets its group at the next poll, from id 0.
    /// </remarks>
    /// <param name="recorder">Where the XGROUP CREATE is traced (a status read shows it).</param>
    /// <param name="streamSeen">True when the caller has just seen the stream (XLEN &gt; 0): no EXISTS first.</param>
    private async Task<bool> EnsureGroupAsync(TraceRecorder recorder, bool streamSeen = false)
    {
        var known = Volatile.Read(ref _group);
        if (known == GroupReady)
        {
            return true;
        }

        if (known == NoStream && !streamSeen && !await _redis.RunAsync(TraceRecorder.None, "", "", db => db.KeyExistsAsync(StreamKey), _ => "").ConfigureAwait(false))
        {
            return false;
        }

        try
        {
            await _redis.RunAsync(
                recorder,
                RedisCommandText.Format("XGROUP", "CREATE", StreamKey, Group, "0"),
                $"await db.StreamCreateConsumerGroupAsync({Cs(StreamKey)}, \"{Group}\", \"0\", createStream: false);",
                db => db.StreamCreateConsumerGroupAsync(StreamKey, Group, "0", createStream: false),
                ok => ok ? "OK" : "(error)").ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("requires the key to exist", StringComparison.Ordinal))
        {
            // No write queued yet: nothing to read, and nothing to create until a write makes the stream.
            Volatile.Write(ref _group, NoStream);
            return false;
        }
        catch (RedisServerException ex) when (ex.Message.Contains("BUSYGROUP", StringComparison.Ordinal))
        {
            // The group exists already (another start created it): exactly what we need.
            await TrimAcknowledgedAsync().ConfigureAwait(false);
        }

        Volatile.Write(ref _group, GroupReady);
        return true;
    }

    /// <summary>
    /// An existing stream may hold entries that were acknowledged but kept (earlier versions trimmed by length
    /// instead of deleting applied entries). They would count against the bound: remove exactly those, with
    /// XTRIM MINID at the oldest entry not yet applied (the oldest pending one, else the first one never delivered).
    /// </summary>
    private async Task TrimAcknowledgedAsync()
    {
        var groups = await _redis.RunAsync(TraceRecorder.None, "", "", db => db.StreamGroupInfoAsync(StreamKey), _ => "").ConfigureAwait(false);
        if (groups.FirstOrDefault(g => g.Name == Group) is not { LastDeliveredId: { Length: > 0 } lastDelivered } group)
        {
            return;
        }

        string minId;
        if (group.PendingMessageCount > 0)
        {
            var summary = await _redis.RunAsync(TraceRecorder.None, "", "", db => db.StreamPendingAsync(StreamKey, Group), _ => "").ConfigureAwait(false);
            minId = (string?)summary.LowestPendingMessageId ?? lastDelivered;
        }
        else
        {
            // Everything up to the last delivered id is acknowledged: keep what comes after it.
            var dash = lastDelivered.IndexOf('-', StringComparison.Ordinal);
            minId = dash < 0 ? lastDelivered + "-1" : string.Concat(lastDelivered.AsSpan(0, dash + 1), (long.Parse(lastDelivered.AsSpan(dash + 1), CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture));
        }

        var removed = await _redis.RunAsync(TraceRecorder.None, "", "", db => db.ExecuteAsync("XTRIM", StreamKey, "MINID", minId), _ => "").ConfigureAwait(false);
        if ((long)removed > 0)
        {
            _logger.LogInformation("Removed {Count} acknowledged entries from the write-behind stream {Stream} (they counted against the bound)", (long)removed, (string?)StreamKey);
        }
    }

    /// <summary>
    /// The record of accepted writes is only emptied by this instance's worker; when another instance applies them
    /// (or the worker is off) it would grow forever. The queue never holds more than the bound, so only the newest
    /// that many accepted writes can still be waiting: forget the older ones.
    /// </summary>
    private void ForgetOldestAccepted(int keep)
    {
        var oldest = _unapplied.OrderBy(w => w.Value).Select(w => w.Key).ToList();
        foreach (var id in oldest.Take(Math.Max(0, oldest.Count - keep)))
        {
            _unapplied.TryRemove(id, out _);
        }
    }

    /// <summary>The write's own id (<see cref="WriteIdField"/>); the entry id for an entry queued without one (by an older version).</summary>
    private static string WriteIdOf(StreamEntry entry) => entry[WriteIdField] is { IsNullOrEmpty: false } id ? (string)id! : (string)entry.Id!;

    private static DateTimeOffset EntryTime(string id) =>
        DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(id.AsSpan(0, id.IndexOf('-', StringComparison.Ordinal)), CultureInfo.InvariantCulture));

    private static string Cs(string? text) => RedisCommandText.CSharpString(text);
}
