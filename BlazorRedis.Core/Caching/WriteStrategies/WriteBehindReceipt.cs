using BlazorRedis.Core.Caching.Catalog;

namespace BlazorRedis.Core.Caching.WriteStrategies;

/// <summary>A write accepted by write-behind: already in the cache, queued for the database.</summary>
/// <param name="EntryId">The stream entry id (also the write's id for exactly-once application).</param>
/// <param name="Product">The new value, as the cache now holds it.</param>
public sealed record WriteBehindReceipt(string EntryId, Product Product);
