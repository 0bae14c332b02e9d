using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Caching.CacheAside;

/// <summary>Cache-aside reads of the catalog: GET; on a miss load the database and SETEX the value.</summary>
public interface IProductReader
{
    /// <summary>The TTL of cached values.</summary>
    TimeSpan DefaultTtl { get; }

    /// <summary>Cache-aside read of one product. <paramref name="bypassCache"/> always reads the database.</summary>
    Task<Traced<ProductRead>> GetAsync(int id, bool bypassCache = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// The same cache-aside read as <see cref="GetAsync"/>, untraced, returning JSON: a hit passes the cached text
    /// through without parsing it (the API's and the load generator's hot path).
    /// </summary>
    Task<ProductJsonRead> GetJsonAsync(int id, bool bypassCache = false, CancellationToken cancellationToken = default);

    /// <summary>Cache-aside read of the whole list.</summary>
    Task<Traced<ProductListRead>> GetAllAsync(bool bypassCache = false, CancellationToken cancellationToken = default);
}
