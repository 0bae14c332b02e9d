using BlazorRedis.Core.Caching.Catalog;

namespace BlazorRedis.Core.Caching.Stampede;

/// <summary>What the cache stores for XFetch: the value, how long it took to compute (delta) and when it logically expires.</summary>
/// <param name="Value">The product.</param>
/// <param name="DeltaMs">How long the last recomputation took.</param>
/// <param name="ExpiresAtMs">Unix milliseconds of the logical expiry.</param>
public sealed record XFetchEntry(Product Value, double DeltaMs, long ExpiresAtMs);
