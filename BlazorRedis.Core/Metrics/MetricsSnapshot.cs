namespace BlazorRedis.Core.Metrics;

/// <summary>One second of cache traffic, as the live charts and the SignalR hub see it.</summary>
/// <param name="Timestamp">When the second ended.</param>
/// <param name="Hits">Reads answered by Redis in that second.</param>
/// <param name="Misses">Reads Redis could not answer.</param>
/// <param name="DatabaseLoads">Loads from the (slow) database: misses, bypasses and uncached reads.</param>
/// <param name="HitRate">Hits / (hits + misses), from 0 to 1; null in a second without cache reads.</param>
/// <param name="RequestsPerSecond">Reads per second: hits, misses, and database loads that no miss explains (bypass, uncached).</param>
/// <param name="CacheLatency">Percentiles of the cache-hit latencies recorded in that second.</param>
/// <param name="DatabaseLatency">Percentiles of the database-load latencies recorded in that second.</param>
/// <param name="Totals">Counts since start or the last reset.</param>
public sealed record MetricsSnapshot(
    DateTimeOffset Timestamp,
    long Hits,
    long Misses,
    long DatabaseLoads,
    double? HitRate,
    double RequestsPerSecond,
    LatencySummary CacheLatency,
    LatencySummary DatabaseLatency,
    CacheTotals Totals);

/// <summary>Percentiles (milliseconds) of the latencies recorded in one second; null when nothing was recorded.</summary>
/// <param name="Count">How many latencies were recorded (all of them, not only the sampled ones).</param>
/// <param name="P50">Half of the reads were at least this fast.</param>
/// <param name="P95">95 % of the reads were at least this fast.</param>
/// <param name="P99">99 % of the reads were at least this fast.</param>
public sealed record LatencySummary(long Count, double? P50, double? P95, double? P99)
{
    /// <summary>A second with no recorded latency.</summary>
    public static LatencySummary None { get; } = new(0, null, null, null);
}

/// <summary>Cumulative counts since the app started or since <see cref="ICacheMetricsFeed.ResetTotals"/>.</summary>
/// <param name="Hits">Reads answered by Redis.</param>
/// <param name="Misses">Reads Redis could not answer.</param>
/// <param name="HitRate">Hits / (hits + misses), from 0 to 1; 0 before the first read.</param>
/// <param name="DatabaseLoads">Loads from the database.</param>
/// <param name="Since">When counting started (app start or the last reset).</param>
public sealed record CacheTotals(long Hits, long Misses, double HitRate, long DatabaseLoads, DateTimeOffset Since);
