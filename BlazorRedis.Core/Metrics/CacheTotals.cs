namespace BlazorRedis.Core.Metrics;

/// <summary>Cumulative counts since the app started or since <see cref="ICacheMetricsFeed.ResetTotals"/>.</summary>
/// <param name="Hits">Reads answered by Redis.</param>
/// <param name="Misses">Reads Redis could not answer.</param>
/// <param name="HitRate">Hits / (hits + misses), from 0 to 1; 0 before the first read.</param>
/// <param name="DatabaseLoads">Loads from the database.</param>
/// <param name="Since">When counting started (app start or the last reset).</param>
public sealed record CacheTotals(long Hits, long Misses, double HitRate, long DatabaseLoads, DateTimeOffset Since);
