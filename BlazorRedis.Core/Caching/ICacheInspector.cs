using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Caching;

/// <summary>Looks at the cache without changing it: a key's time to live, and which keys are cached now.</summary>
public interface ICacheInspector
{
    /// <summary>PTTL of a product's key (null when it is not cached).</summary>
    Task<Traced<TimeSpan?>> GetTimeToLiveAsync(int id);

    /// <summary>The product and list keys currently cached (SCAN), with their TTLs.</summary>
    Task<Traced<IReadOnlyList<CachedKey>>> ListCachedKeysAsync(int max = 200, CancellationToken cancellationToken = default);
}
