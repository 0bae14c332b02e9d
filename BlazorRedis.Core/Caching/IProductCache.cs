using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Caching;

/// <summary>Where a read was answered from.</summary>
public enum ReadSource
{
    /// <summary>Redis had the value.</summary>
    Cache,

    /// <summary>The slow database was asked.</summary>
    Database,
}

/// <summary>One product read.</summary>
/// <param name="Product">The product, or null when it does not exist.</param>
/// <param name="Source">Who answered.</param>
/// <param name="Elapsed">Measured time of the whole read.</param>
/// <param name="RedisAvailable">False when Redis was down and the read fell back to the database.</param>
public sealed record ProductRead(Product? Product, ReadSource Source, TimeSpan Elapsed, bool RedisAvailable = true);

/// <summary>A product read as JSON: the cached text as Redis returned it (no parse on a hit), or the loaded product serialized.</summary>
/// <param name="Json">The product as JSON, or null when it does not exist.</param>
/// <param name="Source">Who answered: the cache or the database.</param>
/// <param name="Elapsed">The whole read, measured.</param>
/// <param name="RedisAvailable">False when Redis failed and the database answered instead.</param>
public sealed record ProductJsonRead(string? Json, ReadSource Source, TimeSpan Elapsed, bool RedisAvailable = true);

/// <summary>The product list read.</summary>
public sealed record ProductListRead(IReadOnlyList<Product> Products, ReadSource Source, TimeSpan Elapsed, bool RedisAvailable = true);

/// <summary>What a write did to the database and to the cache.</summary>
/// <param name="Product">The product after the write (null when it did not exist).</param>
/// <param name="DatabaseTime">How long the database write took.</param>
/// <param name="KeysInvalidated">Cache keys the write deleted (whether or not they were cached).</param>
/// <param name="KeysDeleted">How many of them existed (the DEL reply).</param>
/// <param name="KeysWritten">Cache keys the write (re)filled.</param>
public sealed record ProductWriteResult(Product? Product, TimeSpan DatabaseTime, IReadOnlyList<string> KeysInvalidated, long KeysDeleted, IReadOnlyList<string> KeysWritten)
{
    /// <summary>
    /// Keys the write could not invalidate because Redis failed after the database had changed. Reads skip them and
    /// a background retry deletes them (<see cref="PendingInvalidations"/>). Empty when the cache was cleared.
    /// </summary>
    public IReadOnlyList<string> KeysPending { get; init; } = [];
}

/// <summary>What a pattern invalidation did.</summary>
/// <param name="Pattern">The full MATCH pattern used.</param>
/// <param name="Batches">SCAN round trips.</param>
/// <param name="Deleted">Keys removed.</param>
public sealed record PatternInvalidation(string Pattern, int Batches, long Deleted);

/// <summary>A key of the cache and its remaining time to live.</summary>
public sealed record CachedKey(string Key, TimeSpan? TimeToLive);

/// <summary>The product cache: cache-aside reads, writes that invalidate, write-through and invalidation by key, tag and pattern.</summary>
public interface IProductCache
{
    /// <summary>The TTL of cached values.</summary>
    TimeSpan DefaultTtl { get; }

    /// <summary>The key names.</summary>
    CacheKeys Keys { get; }

    /// <summary>Cache-aside read: GET; on a miss load from the database and SETEX. <paramref name="bypassCache"/> always reads the database.</summary>
    Task<Traced<ProductRead>> GetAsync(int id, bool bypassCache = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// The same cache-aside read as <see cref="GetAsync"/>, untraced, returning JSON: a hit passes the cached text
    /// through without parsing it (the API's and the load generator's hot path).
    /// </summary>
    Task<ProductJsonRead> GetJsonAsync(int id, bool bypassCache = false, CancellationToken cancellationToken = default);

    /// <summary>Cache-aside read of the whole list.</summary>
    Task<Traced<ProductListRead>> GetAllAsync(bool bypassCache = false, CancellationToken cancellationToken = default);

    /// <summary>Inserts a product and drops the cached list.</summary>
    Task<Traced<ProductWriteResult>> CreateAsync(ProductInput input, CancellationToken cancellationToken = default);

    /// <summary>Updates the database, then deletes the product key and the list key (the next read refills them).</summary>
    Task<Traced<ProductWriteResult>> UpdateAsync(int id, ProductInput input, CancellationToken cancellationToken = default);

    /// <summary>Sets one product's stock, then invalidates (the load generator's write).</summary>
    Task<Traced<ProductWriteResult>> UpdateStockAsync(int id, int stock, CancellationToken cancellationToken = default);

    /// <summary>Deletes a product and its cache entries.</summary>
    Task<Traced<ProductWriteResult>> DeleteAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>Write-through: the database and the cache are updated in one operation (the new value is written to Redis, not deleted).</summary>
    Task<Traced<ProductWriteResult>> WriteThroughAsync(int id, ProductInput input, CancellationToken cancellationToken = default);

    /// <summary>PTTL of a product's key (null when it is not cached).</summary>
    Task<Traced<TimeSpan?>> GetTimeToLiveAsync(int id);

    /// <summary>Deletes one product's key and the list key.</summary>
    Task<Traced<long>> InvalidateProductAsync(int id);

    /// <summary>Deletes every cached product of a category (the members of its tag set), the set itself and the list.</summary>
    Task<Traced<long>> InvalidateTagAsync(string category);

    /// <summary>Deletes the cache keys matching <paramref name="pattern"/> (relative to <c>{prefix}cache:</c>) with SCAN in batches.</summary>
    Task<Traced<PatternInvalidation>> InvalidatePatternAsync(string pattern, CancellationToken cancellationToken = default);

    /// <summary>The product and list keys currently cached (SCAN), with their TTLs.</summary>
    Task<Traced<IReadOnlyList<CachedKey>>> ListCachedKeysAsync(int max = 200, CancellationToken cancellationToken = default);
}
