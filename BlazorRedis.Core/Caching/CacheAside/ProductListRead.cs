using BlazorRedis.Core.Caching.Catalog;

namespace BlazorRedis.Core.Caching.CacheAside;

/// <summary>The product list read.</summary>
public sealed record ProductListRead(IReadOnlyList<Product> Products, ReadSource Source, TimeSpan Elapsed, bool RedisAvailable = true);
