using System.ComponentModel.DataAnnotations;

namespace BlazorRedis.Core.Metrics;

/// <summary>How the per-second metrics are kept. Bound from <c>Metrics</c>.</summary>
public sealed class CacheMetricsOptions
{
    /// <summary>How many one-second snapshots are remembered, so a newly opened chart starts filled. Default 60.</summary>
    [Range(10, 3600, ErrorMessage = "Metrics:WindowSeconds must be between 10 and 3600.")]
    public int WindowSeconds { get; set; } = 60;

    /// <summary>
    /// How many latencies per path and second are kept for the percentiles. Up to this many every value counts;
    /// beyond it a uniform random sample (reservoir sampling) of this size stands for the second. Default 4096.
    /// </summary>
    [Range(16, 1_000_000, ErrorMessage = "Metrics:ReservoirSize must be between 16 and 1000000.")]
    public int ReservoirSize { get; set; } = 4096;
}
