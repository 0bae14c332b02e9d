using BlazorRedis.Core.Caching.Catalog;

namespace BlazorRedis.Core.Caching.WriteStrategies;

/// <summary>What a write did to the database and to the cache.</summary>
/// <param name="Product">The product after the write (null when it did not exist).</param>
/// <param name="DatabaseTime">How long the database write took.</param>
/// <param name="KeysInvalidated">Cache keys the write deleted (whether or not they were cached).</param>
/// <param name="KeysDeleted">How many of them existed (the DEL reply).</param>
/// <param name="KeysWritten">Cache keys the write (re)filled.</param>
public sealed record ProductWriteResult(Product? Product, TimeSpan DatabaseTime, IReadOnlyList<string> KeysInvalidated, long KeysDeleted, IReadOnlyList<string> KeysWritten)
{
    /// <summary>
    /// Keys the write could not invalidate because Redis failed after the database had changed. Reads skip them and
    /// a background retry deletes them (<see cref="Invalidation.PendingInvalidations"/>). Empty when the cache was cleared.
    /// </summary>
    public IReadOnlyList<string> KeysPending { get; init; } = [];
}
