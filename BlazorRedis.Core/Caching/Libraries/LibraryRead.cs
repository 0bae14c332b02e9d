using BlazorRedis.Core.Caching.Catalog;

namespace BlazorRedis.Core.Caching.Libraries;

/// <summary>One product read through one library on one node.</summary>
/// <param name="Library">Which way it was read.</param>
/// <param name="Node">The simulated app node that read it ("A" or "B").</param>
/// <param name="Product">The product, or null when it does not exist.</param>
/// <param name="Layer">Where it was answered, from what really happened: the factory ran, or commands went to Redis, or neither.</param>
/// <param name="Elapsed">The whole read, measured.</param>
/// <param name="RedisCommands">Commands sent to Redis during the read (StackExchange.Redis profiling).</param>
public sealed record LibraryRead(CacheLibrary Library, string Node, Product? Product, CacheLayer Layer, TimeSpan Elapsed, int RedisCommands);
