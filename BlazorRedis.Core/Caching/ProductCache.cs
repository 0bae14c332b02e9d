using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BlazorRedis.Core;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Metrics;
using BlazorRedis.Core.Tracing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching;

/// <summary>The product cache on Redis. Reads are cache-aside; every write removes (or rewrites) exactly what it made stale.</summary>
public sealed class ProductCache : IProductCache
{
    /// <summary>Keys one SCAN step asks for.</summary>
    public const int ScanBatch = 250;

    /// <summary>Longest invalidation pattern accepted.</summary>
    public const int MaxPatternLength = 200;

    private readonly IConnectionMultiplexer _mux;
    private readonly RedisGate _redis;
    private readonly IProductDatabase _database;
    private readonly RedisTracer _tracer;
    private readonly CacheMetrics _metrics;
    private readonly PendingInvalidations _pending;
    private readonly ILogger<ProductCache> _logger;

    public ProductCache(
        IConnectionMultiplexer mux,
        RedisGate redis,
        IProductDatabase database,
        RedisTracer tracer,
        CacheMetrics metrics,
        CacheKeys keys,
        PendingInvalidations pending,
        IOptions<CachingOptions> options,
        ILogger<ProductCache> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _mux = mux;
        _redis = redis;
        _database = database;
        _tracer = tracer;
        _metrics = metrics;
        _pending = pending;
        _logger = logger;
        Keys = keys;
        DefaultTtl = TimeSpan.FromSeconds(options.Value.DefaultTtlSeconds);
    }

    public TimeSpan DefaultTtl { get; }

    public CacheKeys Keys { get; }

    private long TtlSeconds => (long)DefaultTtl.TotalSeconds;

    public async Task<Traced<ProductRead>> GetAsync(int id, bool bypassCache = false, CancellationToken cancellationToken = default)
    {
        var recorder = _tracer.Start(bypassCache ? $"Read product {id} from the database" : $"Read product {id} (cache-aside)");
        var read = await ReadAsync(id, bypassCache, recorder, cancellationToken).ConfigureAwait(false);
        var product = read.Product ?? (read.Json is null ? null : JsonSerializer.Deserialize(read.Json, CachingJsonContext.Default.Product));
        return new(new ProductRead(product, read.Source, read.Elapsed, read.RedisAvailable), recorder.Finish());
    }

    public async Task<ProductJsonRead> GetJsonAsync(int id, bool bypassCache = false, CancellationToken cancellationToken = default)
    {
        var read = await ReadAsync(id, bypassCache, TraceRecorder.None, cancellationToken).ConfigureAwait(false);
        var json = read.Json ?? (read.Product is null ? null : JsonSerializer.Serialize(read.Product, CachingJsonContext.Default.Product));
        return new ProductJsonRead(json, read.Source, read.Elapsed, read.RedisAvailable);
    }

    /// <summary>
    /// Cache-aside: GET the key; on a miss load the database and SETEX the value. A hit returns the cached JSON as it
    /// is (no parse), a database load the product; <see cref="GetAsync"/> and <see cref="GetJsonAsync"/> convert.
    /// </summary>
    private async Task<(string? Json, Product? Product, ReadSource Source, TimeSpan Elapsed, bool RedisAvailable)> ReadAsync(
        int id, bool bypassCache, TraceRecorder recorder, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var key = Keys.Product(id);
        var redisUp = true;

        // A key whose invalidation is still pending may hold an old value: read past it, and do not refill it yet.
        var stale = !bypassCache && _pending.Contains(key);
        if (!bypassCache)
        {
            try
            {
                var cached = stale ? RedisValue.Null : await _redis.RunAsync(
                    recorder,
                    RedisCommandText.Format("GET", key),
                    $"await db.StringGetAsync({Cs(key)}); // the JSON, or (nil) on a miss",
                    db => db.StringGetAsync(key),
                    RedisCommandText.Reply).ConfigureAwait(false);
                if (!cached.IsNull)
                {
                    total.Stop();
                    _metrics.RecordHit(total.Elapsed);
                    return ((string)cached!, null, ReadSource.Cache, total.Elapsed, true);
                }
            }
            catch (Exception ex) when (RedisFailures.IsUnavailable(ex))
            {
                redisUp = false;
                _logger.LogDebug(ex, "Cache read of product {Id} failed; reading the database", id);
            }

            _metrics.RecordMiss();
        }

        var loaded = await LoadAsync(() => _database.GetAsync(id, cancellationToken)).ConfigureAwait(false);
        if (loaded is not null && !bypassCache && redisUp && !stale)
        {
            await TryFillAsync(recorder, loaded, cancellationToken).ConfigureAwait(false);
        }

        total.Stop();
        return (null, loaded, ReadSource.Database, total.Elapsed, redisUp);
    }

    public async Task<Traced<ProductListRead>> GetAllAsync(bool bypassCache = false, CancellationToken cancellationToken = default)
    {
        var recorder = _tracer.Start(bypassCache ? "Read all products from the database" : "Read all products (cache-aside)");
        var total = Stopwatch.StartNew();
        var key = Keys.List;
        var redisUp = true;
        var stale = !bypassCache && _pending.Contains(key);
        if (!bypassCache)
        {
            try
            {
                var cached = stale ? RedisValue.Null : await _redis.RunAsync(
                    recorder,
                    RedisCommandText.Format("GET", key),
                    $"await db.StringGetAsync({Cs(key)}); // the JSON, or (nil) on a miss",
                    db => db.StringGetAsync(key),
                    v => v.IsNull ? "(nil)" : $"\"[…]\" ({v.Length()} bytes)").ConfigureAwait(false);
                if (!cached.IsNull)
                {
                    var list = JsonSerializer.Deserialize((string)cached!, CachingJsonContext.Default.ListProduct) ?? [];
                    total.Stop();
                    _metrics.RecordHit(total.Elapsed);
                    return new(new ProductListRead(list, ReadSource.Cache, total.Elapsed), recorder.Finish());
                }
            }
            catch (Exception ex) when (RedisFailures.IsUnavailable(ex))
            {
                redisUp = false;
                _logger.LogDebug(ex, "Cache read of the product list failed; reading the database");
            }

            _metrics.RecordMiss();
        }

        var products = await LoadAsync(() => _database.GetAllAsync(cancellationToken)).ConfigureAwait(false);
        if (!bypassCache && redisUp && !stale)
        {
            var json = JsonSerializer.Serialize(products.ToList(), CachingJsonContext.Default.ListProduct);
            try
            {
                await _redis.RunAsync(
                    recorder,
                    RedisCommandText.Format("SETEX", key, TtlSeconds, json),
                    $"await db.StringSetAsync({Cs(key)}, {Cs(json)}, TimeSpan.FromSeconds({TtlSeconds})); // the list as JSON",
                    db => db.StringSetAsync(key, json, DefaultTtl),
                    ok => ok ? "OK" : "(nil)").ConfigureAwait(false);
            }
            catch (Exception ex) when (RedisFailures.IsUnavailable(ex))
            {
                _logger.LogDebug(ex, "Could not cache the product list");
            }
        }

        total.Stop();
        return new(new ProductListRead(products, ReadSource.Database, total.Elapsed, redisUp), recorder.Finish());
    }

    public async Task<Traced<ProductWriteResult>> CreateAsync(ProductInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.EnsureValid();
        _redis.EnsureConnected();
        var recorder = _tracer.Start("Create a product, then drop the cached list");
        var sw = Stopwatch.StartNew();
        var product = await _database.CreateAsync(input, cancellationToken).ConfigureAwait(false);
        sw.Stop();
        var (removed, pending) = await AfterDatabaseWriteAsync([Keys.List], null, () => DeleteKeysAsync(recorder, [Keys.List])).ConfigureAwait(false);
        return new(new ProductWriteResult(product, sw.Elapsed, [(string)Keys.List!], removed, []) { KeysPending = pending }, recorder.Finish());
    }

    public async Task<Traced<ProductWriteResult>> UpdateAsync(int id, ProductInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.EnsureValid();
        _redis.EnsureConnected();
        var recorder = _tracer.Start($"Update product {id}, then invalidate");
        var before = _database.Peek(id);
        var sw = Stopwatch.StartNew();
        var product = await _database.UpdateAsync(id, input, cancellationToken).ConfigureAwait(false);
        sw.Stop();
        if (product is null)
        {
            return new(new ProductWriteResult(null, sw.Elapsed, [], 0, []), recorder.Finish());
        }

        var (removed, pending) = await InvalidateAfterWriteAsync(recorder, id, before?.Category).ConfigureAwait(false);
        return new(new ProductWriteResult(product, sw.Elapsed, InvalidatedKeys(id), removed, []) { KeysPending = pending }, recorder.Finish());
    }

    public async Task<Traced<ProductWriteResult>> UpdateStockAsync(int id, int stock, CancellationToken cancellationToken = default)
    {
        if (stock < 0 || stock > ProductInput.MaxStock)
        {
            throw new LearnerInputException($"The stock must be between 0 and {ProductInput.MaxStock}.", nameof(stock));
        }

        _redis.EnsureConnected();
        var recorder = _tracer.Start($"Set the stock of product {id}, then invalidate");
        var sw = Stopwatch.StartNew();
        var product = await _database.UpdateStockAsync(id, stock, cancellationToken).ConfigureAwait(false);
        sw.Stop();
        var (removed, pending) = product is null ? (0, []) : await InvalidateAfterWriteAsync(recorder, id, null).ConfigureAwait(false);
        return new(
            new ProductWriteResult(product, sw.Elapsed, product is null ? [] : InvalidatedKeys(id), removed, []) { KeysPending = pending },
            recorder.Finish());
    }

    public async Task<Traced<ProductWriteResult>> DeleteAsync(int id, CancellationToken cancellationToken = default)
    {
        _redis.EnsureConnected();
        var recorder = _tracer.Start($"Delete product {id}, then invalidate");
        var before = _database.Peek(id);
        var sw = Stopwatch.StartNew();
        var deleted = await _database.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        sw.Stop();
        if (!deleted)
        {
            return new(new ProductWriteResult(null, sw.Elapsed, [], 0, []), recorder.Finish());
        }

        var (removed, pending) = await InvalidateAfterWriteAsync(recorder, id, before?.Category).ConfigureAwait(false);
        return new(new ProductWriteResult(before, sw.Elapsed, InvalidatedKeys(id), removed, []) { KeysPending = pending }, recorder.Finish());
    }

    public async Task<Traced<ProductWriteResult>> WriteThroughAsync(int id, ProductInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.EnsureValid();
        _redis.EnsureConnected();
        var recorder = _tracer.Start($"Write-through product {id}");
        var before = _database.Peek(id);
        var sw = Stopwatch.StartNew();
        var product = await _database.UpdateAsync(id, input, cancellationToken).ConfigureAwait(false);
        sw.Stop();
        if (product is null)
        {
            return new(new ProductWriteResult(null, sw.Elapsed, [], 0, []), recorder.Finish());
        }

        var moved = before is not null && before.Category != product.Category;
        var (removed, pending) = await AfterDatabaseWriteAsync([Keys.Product(id), Keys.List], moved ? before!.Category : null, async () =>
        {
            var deleted = await DeleteKeysAsync(recorder, [Keys.List]).ConfigureAwait(false);
            if (moved)
            {
                await RemoveFromTagAsync(recorder, before!.Category, Keys.Product(id)).ConfigureAwait(false);
            }

            await FillAsync(recorder, product).ConfigureAwait(false);
            return deleted;
        }).ConfigureAwait(false);
        return new(
            new ProductWriteResult(product, sw.Elapsed, [(string)Keys.List!], removed, pending.Count == 0 ? [(string)Keys.Product(id)!] : []) { KeysPending = pending },
            recorder.Finish());
    }

    public async Task<Traced<TimeSpan?>> GetTimeToLiveAsync(int id)
    {
        var recorder = _tracer.Start($"Time to live of product {id}");
        var key = Keys.Product(id);
        var ttl = await _redis.RunAsync(
            recorder,
            RedisCommandText.Format("PTTL", key),
            $"TimeSpan? ttl = await db.KeyTimeToLiveAsync({Cs(key)});",
            db => db.KeyTimeToLiveAsync(key),
            t => t is null ? "(integer) -2" : RedisCommandText.IntegerReply((long)t.Value.TotalMilliseconds)).ConfigureAwait(false);
        return new(ttl, recorder.Finish());
    }

    public async Task<Traced<long>> InvalidateProductAsync(int id)
    {
        var recorder = _tracer.Start($"Invalidate product {id}");
        var removed = await DeleteKeysAsync(recorder, [Keys.Product(id), Keys.List]).ConfigureAwait(false);
        return new(removed, recorder.Finish());
    }

    public async Task<Traced<long>> InvalidateTagAsync(string category)
    {
        if (string.IsNullOrWhiteSpace(category))
        {
            throw new LearnerInputException("Choose a category (tag) to invalidate.", nameof(category));
        }

        RedisKeyspace.Validate(category, nameof(category));
        var recorder = _tracer.Start($"Invalidate tag {category}");
        var tag = Keys.Tag(category);
        var members = await _redis.RunAsync(
            recorder,
            RedisCommandText.Format("SMEMBERS", tag),
            $"RedisValue[] keys = await db.SetMembersAsync({Cs(tag)});",
            db => db.SetMembersAsync(tag),
            m => RedisCommandText.List(m.Select(v => v.ToString()))).ConfigureAwait(false);
        var keys = members.Select(m => (string)m!)
            .Where(k => k.StartsWith(Keys.Root + "product:", StringComparison.Ordinal)) // a tag only ever names product keys
            .Select(k => (RedisKey)k)
            .ToArray();
        var removed = keys.Length == 0 ? 0 : await DeleteKeysAsync(recorder, keys).ConfigureAwait(false);
        await DeleteKeysAsync(recorder, [tag, Keys.List]).ConfigureAwait(false);
        return new(removed, recorder.Finish());
    }

    public async Task<Traced<PatternInvalidation>> InvalidatePatternAsync(string pattern, CancellationToken cancellationToken = default)
    {
        ValidatePattern(pattern);
        var recorder = _tracer.Start($"Invalidate cache:{pattern}");
        var match = EscapedRoot() + pattern;
        var protectedPrefix = Keys.Root + "writebehind:";
        long deleted = 0;
        var batches = await ScanAsync(recorder, match, async keys =>
        {
            // The write-behind queue lives under cache: too; a broad pattern must never drop queued writes.
            var doomed = keys.Where(k => !((string)k!).StartsWith(protectedPrefix, StringComparison.Ordinal)).ToArray();
            if (doomed.Length > 0)
            {
                _redis.EnsureConnected();
                deleted += await KeyScanner.UnlinkAsync(recorder, _redis.Db, doomed, _redis.Timeout).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
        return new(new PatternInvalidation(match, batches, deleted), recorder.Finish());
    }

    public async Task<Traced<IReadOnlyList<CachedKey>>> ListCachedKeysAsync(int max = 200, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var recorder = _tracer.Start("List cached keys");
        var found = new List<RedisKey>();
        var skip = new[] { Keys.Root + "writebehind:", Keys.Root + "stampede:" };
        await ScanAsync(recorder, EscapedRoot() + "*", keys =>
        {
            found.AddRange(keys.Where(k => !skip.Any(s => ((string)k!).StartsWith(s, StringComparison.Ordinal))));
            return Task.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        var shown = found.Select(k => (string)k!).Order(StringComparer.Ordinal).Take(max).Select(k => (RedisKey)k).ToArray();
        if (shown.Length == 0)
        {
            return new([], recorder.Finish());
        }

        var ttls = await _redis.RunAsync(
            recorder,
            $"PTTL <key> ×{shown.Length} (pipelined)",
            $"var ttls = await Task.WhenAll({RedisCommandText.CSharpArray("RedisKey", shown.Select(k => (string?)k))}.Select(k => db.KeyTimeToLiveAsync(k))); // pipelined",
            db => Task.WhenAll(shown.Select(k => db.KeyTimeToLiveAsync(k))),
            t => $"{t.Length} replies").ConfigureAwait(false);
        IReadOnlyList<CachedKey> result = shown.Select((k, i) => new CachedKey(k!, ttls[i])).ToList();
        return new(result, recorder.Finish());
    }

    /// <summary>Checks a pattern for <see cref="InvalidatePatternAsync"/>; throws <see cref="ArgumentException"/> with the reason.</summary>
    public static void ValidatePattern(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            throw new LearnerInputException("Enter a pattern, for example product:1* (it is matched under cache:).", nameof(pattern));
        }

        if (pattern.Length > MaxPatternLength)
        {
            throw new LearnerInputException($"A pattern must be at most {MaxPatternLength} characters.", nameof(pattern));
        }

        if (pattern.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            throw new LearnerInputException("A pattern must not contain spaces or control characters.", nameof(pattern));
        }
    }

    private string EscapedRoot() => RedisKeyspace.PrefixPattern(Keys.Root)[..^1];

    private Task<int> ScanAsync(TraceRecorder recorder, string match, Func<RedisKey[], Task> onBatch, CancellationToken cancellationToken)
    {
        _redis.EnsureConnected();
        return KeyScanner.ScanAsync(recorder, KeyScanner.Primaries(_mux), match, ScanBatch, Keys.Root, onBatch, cancellationToken);
    }

    private async Task<T> LoadAsync<T>(Func<Task<T>> load)
    {
        var sw = Stopwatch.StartNew();
        var value = await load().ConfigureAwait(false);
        sw.Stop();
        _metrics.RecordDatabaseLoad(sw.Elapsed);
        return value;
    }

    private async Task TryFillAsync(TraceRecorder recorder, Product product, CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            await FillAsync(recorder, product).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisFailures.IsUnavailable(ex))
        {
            // The reader has its value; the next read simply misses again.
            _logger.LogDebug(ex, "Could not cache product {Id}", product.Id);
        }
    }

    /// <summary>SETEX the product, and add its key to its category's tag set (which lives as long as its newest member).</summary>
    private async Task FillAsync(TraceRecorder recorder, Product product)
    {
        var key = Keys.Product(product.Id);
        var tag = Keys.Tag(product.Category);
        var json = JsonSerializer.Serialize(product, CachingJsonContext.Default.Product);
        await _redis.RunAsync(
            recorder,
            RedisCommandText.Format("SETEX", key, TtlSeconds, json),
            $"await db.StringSetAsync({Cs(key)}, {Cs(json)}, TimeSpan.FromSeconds({TtlSeconds})); // the product as JSON",
            db => db.StringSetAsync(key, json, DefaultTtl),
            ok => ok ? "OK" : "(nil)").ConfigureAwait(false);
        await _redis.RunAsync(
            recorder,
            RedisCommandText.Format("SADD", tag, key),
            $"await db.SetAddAsync({Cs(tag)}, {Cs(key)});",
            db => db.SetAddAsync(tag, (string)key!),
            RedisCommandText.Flag).ConfigureAwait(false);
        await _redis.RunAsync(
            recorder,
            RedisCommandText.Format("EXPIRE", tag, TtlSeconds),
            $"await db.KeyExpireAsync({Cs(tag)}, TimeSpan.FromSeconds({TtlSeconds}));",
            db => db.KeyExpireAsync(tag, DefaultTtl),
            RedisCommandText.Flag).ConfigureAwait(false);
    }

    private IReadOnlyList<string> InvalidatedKeys(int id) => [(string)Keys.Product(id)!, (string)Keys.List!];

    private Task<(long Deleted, IReadOnlyList<string> Pending)> InvalidateAfterWriteAsync(TraceRecorder recorder, int id, string? oldCategory)
    {
        var key = Keys.Product(id);
        return AfterDatabaseWriteAsync([key, Keys.List], oldCategory, async () =>
        {
            var removed = await DeleteKeysAsync(recorder, [key, Keys.List]).ConfigureAwait(false);
            if (oldCategory is not null)
            {
                await RemoveFromTagAsync(recorder, oldCategory, key).ConfigureAwait(false);
            }

            return removed;
        });
    }

    /// <summary>
    /// Runs the cache half of a write whose database half is already done. The write cannot be undone, so if Redis
    /// fails now the keys go to <see cref="PendingInvalidations"/> (reads skip them, a retry deletes them) and the
    /// result says so, instead of reporting an error for a write that happened.
    /// </summary>
    private async Task<(long Deleted, IReadOnlyList<string> Pending)> AfterDatabaseWriteAsync(RedisKey[] keys, string? oldCategory, Func<Task<long>> invalidate)
    {
        try
        {
            return (await invalidate().ConfigureAwait(false), []);
        }
        catch (Exception ex) when (RedisFailures.IsUnavailable(ex))
        {
            _pending.Add(keys, oldCategory is null ? (RedisKey?)null : Keys.Tag(oldCategory));
            _logger.LogWarning("The database was written but Redis failed before the cache was cleared ({Message}); {Keys} will be invalidated when Redis answers", ex.Message, string.Join(", ", keys));
            return (0, [.. keys.Select(k => (string)k!)]);
        }
    }

    private Task<bool> RemoveFromTagAsync(TraceRecorder recorder, string category, RedisKey key) =>
        CacheCommands.RemoveFromTagAsync(_redis, recorder, Keys.Tag(category), key);

    private Task<long> DeleteKeysAsync(TraceRecorder recorder, RedisKey[] keys) => CacheCommands.UnlinkAsync(_redis, recorder, keys);

    private static string Cs(string? text) => RedisCommandText.CSharpString(text);
}
