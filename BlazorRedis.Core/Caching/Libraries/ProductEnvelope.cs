using BlazorRedis.Core.Caching.Catalog;

namespace BlazorRedis.Core.Caching.Libraries;

/// <summary>
/// What the libraries cache for a product id: the product, or null when it does not exist (so a miss is cached too).
/// Immutable, so HybridCache hands back the instance in its L1 instead of deserializing a copy on every hit.
/// </summary>
[System.ComponentModel.ImmutableObject(true)]
public sealed record ProductEnvelope(Product? Product);
