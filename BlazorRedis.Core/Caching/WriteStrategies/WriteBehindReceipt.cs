using BlazorRedis.Core.Caching.Catalog;

namespace BlazorRedis.Core.Caching.WriteStrategies;

/// <summary>A write accepted by write-behind: already in the cache, queued for the database.</summary>
/// <param name="EntryId">The stream entry id (where the write stands in the queue).</param>
/// <param name="Product">The new value, as the cache now holds it.</param>
public sealed record WriteBehindReceipt(string EntryId, Product Product)
{
    /// <summary>The write's own id (<see cref="WriteBehindService.WriteIdField"/>): the id the database records once it applied the write.</summary>
    public string WriteId { get; init; } = EntryId;
}
