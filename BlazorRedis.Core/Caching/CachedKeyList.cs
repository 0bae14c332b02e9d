namespace BlazorRedis.Core.Caching;

/// <summary>What a listing of the cache's keys found, and whether it saw them all.</summary>
/// <param name="Keys">The keys found, sorted by name, with their remaining TTLs.</param>
/// <param name="Complete">
/// False when the walk stopped at a cap (<see cref="CacheInspector.MaxScanSteps"/> SCAN steps, or more keys than
/// asked for) so that one listing stays quick on a big shared Redis: the cache may hold keys the list does not show.
/// </param>
/// <param name="Batches">The SCAN round trips the walk took.</param>
public sealed record CachedKeyList(IReadOnlyList<CachedKey> Keys, bool Complete, int Batches);
