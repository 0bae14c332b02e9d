using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Caching;

/// <summary>Looks at the cache without changing it: a key's time to live, and which keys are cached now.</summary>
public interface ICacheInspector
{
    /// <summary>PTTL of a product's key (null when it is not cached).</summary>
    Task<Traced<TimeSpan?>> GetTimeToLiveAsync(int id);

    /// <summary>
    /// The product, list and tag keys currently cached (SCAN), with their TTLs: at most <paramref name="max"/> keys and
    /// <see cref="CacheInspector.MaxScanSteps"/> SCAN steps, so one listing stays quick on a shared Redis with millions of
    /// keys; <see cref="CachedKeyList.Complete"/> says whether it saw them all.
    /// </summary>
    Task<Traced<CachedKeyList>> ListCachedKeysAsync(int max = 200, CancellationToken cancellationToken = default);
}
