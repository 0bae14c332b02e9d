using System.Diagnostics;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.Invalidation;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Tracing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching.WriteStrategies;

/// <summary>The catalog's writes on Redis: each removes (or, write-through, rewrites) exactly the cache keys it made stale.</summary>
public sealed class ProductWriter(
    RedisGate redis,
    IProductDatabase database,
    RedisTracer tracer,
    CacheKeys keys,
    PendingInvalidations pending,
    IOptions<CachingOptions> options,
    ILogger<ProductWriter> logger) : IProductWriter
{
    private readonly TimeSpan _ttl = TimeSpan.FromSeconds(options.Value.DefaultTtlSeconds);

    public async Task<Traced<ProductWriteResult>> CreateAsync(ProductInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.EnsureValid();
        redis.EnsureConnected();
        var recorder = tracer.Start("Create a product, then drop the cached list");
        var sw = Stopwatch.StartNew();
        var product = await database.CreateAsync(input, cancellationToken).ConfigureAwait(false);
        sw.Stop();
        recorder.AddStep("Database", "insert a product", sw.Elapsed);
        var (removed, stillPending) = await AfterDatabaseWriteAsync([keys.List], null, () => CacheCommands.UnlinkAsync(redis, recorder, [keys.List])).ConfigureAwait(false);
        return new(new ProductWriteResult(product, sw.Elapsed, [(string)keys.List!], removed, []) { KeysPending = stillPending }, recorder.Finish());
    }

    public async Task<Traced<ProductWriteResult>> UpdateAsync(int id, ProductInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.EnsureValid();
        redis.EnsureConnected();
        var recorder = tracer.Start($"Update product {id}, then invalidate");
        var before = await database.PeekAsync(id, cancellationToken).ConfigureAwait(false);
        var sw = Stopwatch.StartNew();
        var product = await database.UpdateAsync(id, input, cancellationToken).ConfigureAwait(false);
        sw.Stop();
        recorder.AddStep("Database", $"update product {id}", sw.Elapsed);
        if (product is null)
        {
            return new(new ProductWriteResult(null, sw.Elapsed, [], 0, []), recorder.Finish());
        }

        var (removed, stillPending) = await InvalidateAfterWriteAsync(recorder, id, before?.Category).ConfigureAwait(false);
        return new(new ProductWriteResult(product, sw.Elapsed, InvalidatedKeys(id), removed, []) { KeysPending = stillPending }, recorder.Finish());
    }

    public async Task<Traced<ProductWriteResult>> UpdateStockAsync(int id, int stock, CancellationToken cancellationToken = default)
    {
        if (stock < 0 || stock > ProductInput.MaxStock)
        {
            throw new LearnerInputException($"The stock must be between 0 and {ProductInput.MaxStock}.", nameof(stock));
        }

        redis.EnsureConnected();
        var recorder = tracer.Start($"Set the stock of product {id}, then invalidate");
        var sw = Stopwatch.StartNew();
        var product = await database.UpdateStockAsync(id, stock, cancellationToken).ConfigureAwait(false);
        sw.Stop();
        recorder.AddStep("Database", $"set the stock of product {id}", sw.Elapsed);
        var (removed, stillPending) = product is null ? (0, []) : await InvalidateAfterWriteAsync(recorder, id, null).ConfigureAwait(false);
        return new(
            new ProductWriteResult(product, sw.Elapsed, product is null ? [] : InvalidatedKeys(id), removed, []) { KeysPending = stillPending },
            recorder.Finish());
    }

    public async Task<Traced<ProductWriteResult>> DeleteAsync(int id, CancellationToken cancellationToken = default)
    {
        redis.EnsureConnected();
        var recorder = tracer.Start($"Delete product {id}, then invalidate");
        var before = await database.PeekAsync(id, cancellationToken).ConfigureAwait(false);
        var sw = Stopwatch.StartNew();
        var deleted = await database.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        sw.Stop();
        recorder.AddStep("Database", $"delete product {id}", sw.Elapsed);
        if (!deleted)
        {
            return new(new ProductWriteResult(null, sw.Elapsed, [], 0, []), recorder.Finish());
        }

        var (removed, stillPending) = await InvalidateAfterWriteAsync(recorder, id, before?.Category).ConfigureAwait(false);
        return new(new ProductWriteResult(before, sw.Elapsed, InvalidatedKeys(id), removed, []) { KeysPending = stillPending }, recorder.Finish());
    }

    public async Task<Traced<ProductWriteResult>> WriteThroughAsync(int id, ProductInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.EnsureValid();
        redis.EnsureConnected();
        var recorder = tracer.Start($"Write-through product {id}");
        var before = await database.PeekAsync(id, cancellationToken).ConfigureAwait(false);
        var sw = Stopwatch.StartNew();
        var product = await database.UpdateAsync(id, input, cancellationToken).ConfigureAwait(false);
        sw.Stop();
        recorder.AddStep("Database", $"update product {id}", sw.Elapsed);
        if (product is null)
        {
            return new(new ProductWriteResult(null, sw.Elapsed, [], 0, []), recorder.Finish());
        }

        var moved = before is not null && before.Category != product.Category;
        var (removed, stillPending) = await AfterDatabaseWriteAsync([keys.Product(id), keys.List], moved ? before!.Category : null, async () =>
        {
            var deleted = await CacheCommands.UnlinkAsync(redis, recorder, [keys.List]).ConfigureAwait(false);
            if (moved)
            {
                await CacheCommands.RemoveFromTagAsync(redis, recorder, keys.Tag(before!.Category), keys.Product(id)).ConfigureAwait(false);
            }

            await CacheCommands.FillAsync(redis, recorder, keys, product, _ttl).ConfigureAwait(false);
            return deleted;
        }).ConfigureAwait(false);
        return new(
            new ProductWriteResult(product, sw.Elapsed, [(string)keys.List!], removed, stillPending.Count == 0 ? [(string)keys.Product(id)!] : []) { KeysPending = stillPending },
            recorder.Finish());
    }

    private IReadOnlyList<string> InvalidatedKeys(int id) => [(string)keys.Product(id)!, (string)keys.List!];

    private Task<(long Deleted, IReadOnlyList<string> Pending)> InvalidateAfterWriteAsync(TraceRecorder recorder, int id, string? oldCategory)
    {
        var key = keys.Product(id);
        return AfterDatabaseWriteAsync([key, keys.List], oldCategory, async () =>
        {
            var removed = await CacheCommands.UnlinkAsync(redis, recorder, [key, keys.List]).ConfigureAwait(false);
            if (oldCategory is not null)
            {
                await CacheCommands.RemoveFromTagAsync(redis, recorder, keys.Tag(oldCategory), key).ConfigureAwait(false);
            }

            return removed;
        });
    }

    /// <summary>
    /// Runs the cache half of a write whose database half is already done. The write cannot be undone, so if Redis
    /// fails now, or refuses a command (OOM, READONLY after a failover, WRONGTYPE on a tag set…), the keys go to
    /// <see cref="PendingInvalidations"/> (reads skip them, a retry deletes them) and the result says so, instead of
    /// reporting an error for a write that happened.
    /// </summary>
    private async Task<(long Deleted, IReadOnlyList<string> Pending)> AfterDatabaseWriteAsync(RedisKey[] stale, string? oldCategory, Func<Task<long>> invalidate)
    {
        try
        {
            return (await invalidate().ConfigureAwait(false), []);
        }
        catch (Exception ex) when (RedisFailures.IsUnavailable(ex) || RedisFailures.IsRefusal(ex))
        {
            pending.Add(stale, oldCategory is null ? (RedisKey?)null : keys.Tag(oldCategory));
            logger.LogWarning("The database was written but Redis failed or refused a command before the cache was updated ({Message}); {Keys} will be invalidated when Redis accepts it", ex.Message, string.Join(", ", stale));
            return (0, [.. stale.Select(k => (string)k!)]);
        }
    }
}
