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
