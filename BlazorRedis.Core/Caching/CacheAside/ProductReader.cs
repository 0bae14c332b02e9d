using System.Diagnostics;
using System.Text.Json;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.Invalidation;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Metrics;
using BlazorRedis.Core.Tracing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching.CacheAside;

/// <summary>Cache-aside on Redis: a hit is one GET; a miss loads the slow database and fills the cache for the next reader.</summary>
public sealed class ProductReader(
    RedisGate redis,
    IProductDatabase database,
    RedisTracer tracer,
    CacheMetrics metrics,
    CacheKeys keys,
    PendingInvalidations pending,
    IOptions<CachingOptions> options,
    ILogger<ProductReader> logger) : IProductReader
{
    public TimeSpan DefaultTtl { get; } = TimeSpan.FromSeconds(options.Value.DefaultTtlSeconds);

    private long TtlSeconds => (long)DefaultTtl.TotalSeconds;

    public async Task<Traced<ProductRead>> GetAsync(int id, bool bypassCache = false, CancellationToken cancellationToken = default)
    {
        var recorder = tracer.Start(bypassCache ? $"Read product {id} from the database" : $"Read product {id} (cache-aside)");
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
        var key = keys.Product(id);
        var redisUp = true;

        // A key whose invalidation is still pending may hold an old value: read past it, and do not refill it yet.
        var stale = !bypassCache && pending.Contains(key);
        if (!bypassCache)
        {
            try
            {
                var cached = stale ? RedisValue.Null : await redis.RunAsync(
                    recorder,
                    RedisCommandText.Format("GET", key),
                    $"await db.StringGetAsync({Cs(key)}); // the JSON, or (nil) on a miss",
                    db => db.StringGetAsync(key),
                    RedisCommandText.Reply).ConfigureAwait(false);
                if (!cached.IsNull)
                {
                    total.Stop();
                    metrics.RecordHit(total.Elapsed);
                    return ((string)cached!, null, ReadSource.Cache, total.Elapsed, true);
                }
            }
            catch (Exception ex) when (RedisFailures.IsUnavailable(ex))
            {
                redisUp = false;
                logger.LogDebug(ex, "Cache read of product {Id} failed; reading the database", id);
            }

            metrics.RecordMiss();
        }

        var loaded = await recorder.TimeAsync("Database", $"read product {id}", () => LoadAsync(() => database.GetAsync(id, cancellationToken))).ConfigureAwait(false);
        if (loaded is not null && !bypassCache && redisUp && !stale)
        {
            await TryFillAsync(recorder, loaded, cancellationToken).ConfigureAwait(false);
        }

        total.Stop();
        return (null, loaded, ReadSource.Database, total.Elapsed, redisUp);
    }

    public async Task<Traced<ProductListRead>> GetAllAsync(bool bypassCache = false, CancellationToken cancellationToken = default)
    {
        var recorder = tracer.Start(bypassCache ? "Read all products from the database" : "Read all products (cache-aside)");
        var total = Stopwatch.StartNew();
        var key = keys.List;
        var redisUp = true;
        var stale = !bypassCache && pending.Contains(key);
        if (!bypassCache)
        {
            try
            {
                var cached = stale ? RedisValue.Null : await redis.RunAsync(
                    recorder,
                    RedisCommandText.Format("GET", key),
                    $"await db.StringGetAsync({Cs(key)}); // the JSON, or (nil) on a miss",
                    db => db.StringGetAsync(key),
                    v => v.IsNull ? "(nil)" : $"\"[…]\" ({v.Length()} bytes)").ConfigureAwait(false);
                if (!cached.IsNull)
                {
                    var list = JsonSerializer.Deserialize((string)cached!, CachingJsonContext.Default.ListProduct) ?? [];
                    total.Stop();
                    metrics.RecordHit(total.Elapsed);
                    return new(new ProductListRead(list, ReadSource.Cache, total.Elapsed), recorder.Finish());
                }
            }
            catch (Exception ex) when (RedisFailures.IsUnavailable(ex))
            {
                redisUp = false;
                logger.LogDebug(ex, "Cache read of the product list failed; reading the database");
            }

            metrics.RecordMiss();
        }

        var products = await recorder.TimeAsync("Database", "read every product", () => LoadAsync(() => database.GetAllAsync(cancellationToken))).ConfigureAwait(false);
        if (!bypassCache && redisUp && !stale)
        {
            var json = JsonSerializer.Serialize(products.ToList(), CachingJsonContext.Default.ListProduct);
            try
            {
                await redis.RunAsync(
                    recorder,
                    RedisCommandText.Format("SETEX", key, TtlSeconds, json),
                    $"await db.StringSetAsync({Cs(key)}, {Cs(json)}, TimeSpan.FromSeconds({TtlSeconds})); // the list as JSON",
                    db => db.StringSetAsync(key, json, DefaultTtl),
                    ok => ok ? "OK" : "(nil)").ConfigureAwait(false);
            }
            catch (Exception ex) when (RedisFailures.IsUnavailable(ex) || RedisFailures.IsRefusal(ex))
            {
                // The reader has the list from the database (the trace shows the failed SETEX); the next read misses again.
                logger.LogDebug(ex, "Could not cache the product list");
            }
        }

        total.Stop();
        return new(new ProductListRead(products, ReadSource.Database, total.Elapsed, redisUp), recorder.Finish());
    }

    private async Task<T> LoadAsync<T>(Func<Task<T>> load)
    {
        var sw = Stopwatch.StartNew();
        var value = await load().ConfigureAwait(false);
        sw.Stop();
        metrics.RecordDatabaseLoad(sw.Elapsed);
        return value;
    }

    private async Task TryFillAsync(TraceRecorder recorder, Product product, CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            await CacheCommands.FillAsync(redis, recorder, keys, product, DefaultTtl).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisFailures.IsUnavailable(ex) || RedisFailures.IsRefusal(ex))
        {
            // The reader has its value (the trace shows the refused or failed command: OOM, READONLY, WRONGTYPE on
            // the tag set…); the next read simply misses again.
            logger.LogDebug(ex, "Could not cache product {Id}", product.Id);
        }
    }

    private static string Cs(string? text) => RedisCommandText.CSharpString(text);
}
