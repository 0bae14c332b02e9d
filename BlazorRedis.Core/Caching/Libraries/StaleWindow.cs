namespace BlazorRedis.Core.Caching.Libraries;

/// <summary>How long node B kept serving the old value after node A changed it.</summary>
/// <param name="Library">The library on both nodes.</param>
/// <param name="Backplane">True when the nodes share FusionCache's Redis backplane.</param>
/// <param name="StaleFor">From the change on A until B first answered with the new value (measured by reading B every 50 ms).</param>
/// <param name="StaleReads">Reads on B that returned the old value in that time.</param>
/// <param name="MemoryDuration">How long each node keeps a value in its L1: the longest B can be stale.</param>
public sealed record StaleWindow(CacheLibrary Library, bool Backplane, TimeSpan StaleFor, int StaleReads, TimeSpan MemoryDuration);
