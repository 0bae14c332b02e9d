namespace BlazorRedis.Core.Caching.LoadGeneration;

/// <summary>What a run measured. <see cref="Cancelled"/>: the caller stopped it; <see cref="StoppedAtTimeLimit"/>: it ran out of <see cref="LoadRequest.TimeLimit"/>.</summary>
public sealed record LoadResult(
    LoadRequest Request,
    int Completed,
    int Errors,
    bool Cancelled,
    bool StoppedAtTimeLimit,
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
