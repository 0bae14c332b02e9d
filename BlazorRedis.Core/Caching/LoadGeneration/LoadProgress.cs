namespace BlazorRedis.Core.Caching.LoadGeneration;

/// <summary>Progress of a run.</summary>
public sealed record LoadProgress(int Completed, int Total, TimeSpan Elapsed, long DatabaseLoads, long CacheHits)
{
    /// <summary>0–100.</summary>
    public double Percent => Total == 0 ? 100 : 100.0 * Completed / Total;
}
