using BlazorRedis.Core.Caching.Catalog;

namespace BlazorRedis.Core.Caching.Libraries;

/// <summary>What the libraries cache for a product id: the product, or null when it does not exist (so a miss is cached too).</summary>
public sealed record ProductEnvelope(Product? Product);
