namespace BlazorRedis.Core.Caching.Libraries;

/// <summary>Many concurrent readers of one cold key through one library.</summary>
/// <param name="Library">The library raced.</param>
/// <param name="Readers">How many readers asked at once.</param>
/// <param name="DatabaseLoads">How many times the factory (the slow database) ran.</param>
/// <param name="Elapsed">From the first reader's start to the last reader's answer.</param>
/// <param name="RedisCommands">Commands all the readers together sent to Redis.</param>
public sealed record LibraryStampede(CacheLibrary Library, int Readers, long DatabaseLoads, TimeSpan Elapsed, int RedisCommands);
