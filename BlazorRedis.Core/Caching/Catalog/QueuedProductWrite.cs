namespace BlazorRedis.Core.Caching.Catalog;

/// <summary>One write queued for the database by write-behind.</summary>
/// <param name="ProductId">The product to change.</param>
/// <param name="Values">Its new fields.</param>
/// <param name="QueuedAt">When the write was accepted.</param>
public sealed record QueuedProductWrite(int ProductId, ProductInput Values, DateTimeOffset QueuedAt);
