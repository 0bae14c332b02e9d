namespace BlazorRedis.Core.Caching.LoadGeneration;

/// <summary>What a run measured.</summary>
public sealed record LoadResult(
    LoadRequest Request,
    int Completed,
    int Errors,
    bool Cancelled,
    TimeSpan Elapsed,
    double RequestsPerSecond,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    long DatabaseLoads,
    long CacheHits,
    long CacheMisses,
    long Writes,
    double HitRate,
    string? FirstError);
