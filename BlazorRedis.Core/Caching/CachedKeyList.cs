namespace BlazorRedis.Core.Caching;

/// <summary>What a listing of the cache's keys found, and whether it saw them all.</summary>
/// <param name="Keys">The keys found, sorted by name, with their remaining TTLs.</param>
/// <param name="Complete">
/// False when the walk stopped at a cap (<see cref="CacheInspector.MaxScanSteps"/> SCAN steps, or more keys than
/// asked for) so that one listing stays quick on a big shared Redis, or when a primary could not be walked
/// (<see cref="Unreachable"/>): the cache may hold keys the list does not show.
/// </param>
/// <param name="Batches">The SCAN round trips the walk took.</param>
public sealed record CachedKeyList(IReadOnlyList<CachedKey> Keys, bool Complete, int Batches)
{
    /// <summary>
    /// The Redis Cluster primaries (<c>host:port</c>) that could not be reached, so their keys are not in the list;
    /// empty when every primary was walked.
    /// </summary>
    public IReadOnlyList<string> Unreachable { get; init; } = [];

    /// <summary>
    /// What to tell the reader when <see cref="Unreachable"/> is not empty ("Node unreachable: … the list is
    /// incomplete"), in the words of the cluster lab; null when every primary was walked.
    /// </summary>
    public string? UnreachableMessage { get; init; }
}
