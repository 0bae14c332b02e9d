using BlazorRedis.Core.Caching.Catalog;

namespace BlazorRedis.Core.Caching.CacheAside;

/// <summary>One product read.</summary>
/// <param name="Product">The product, or null when it does not exist.</param>
/// <param name="Source">Who answered.</param>
/// <param name="Elapsed">Measured time of the whole read.</param>
/// <param name="RedisAvailable">False when Redis was down and the read fell back to the database.</param>
public sealed record ProductRead(Product? Product, ReadSource Source, TimeSpan Elapsed, bool RedisAvailable = true);
