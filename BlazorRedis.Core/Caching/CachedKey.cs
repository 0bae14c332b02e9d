namespace BlazorRedis.Core.Caching;

/// <summary>A key of the cache and its remaining time to live.</summary>
public sealed record CachedKey(string Key, TimeSpan? TimeToLive);
