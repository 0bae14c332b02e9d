namespace BlazorRedis.Core.Caching.CacheAside;

/// <summary>A product read as JSON: the cached text as Redis returned it (no parse on a hit), or the loaded product serialized.</summary>
/// <param name="Json">The product as JSON, or null when it does not exist.</param>
/// <param name="Source">Who answered: the cache or the database.</param>
/// <param name="Elapsed">The whole read, measured.</param>
/// <param name="RedisAvailable">False when Redis failed and the database answered instead.</param>
public sealed record ProductJsonRead(string? Json, ReadSource Source, TimeSpan Elapsed, bool RedisAvailable = true);
