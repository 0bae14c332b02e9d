namespace BlazorRedis.Core.Caching.Eviction;

/// <summary>The eight <c>maxmemory-policy</c> values Redis knows.</summary>
public static class EvictionPolicies
{
    public const string NoEviction = "noeviction";
    public const string AllKeysLru = "allkeys-lru";
    public const string AllKeysLfu = "allkeys-lfu";
    public const string AllKeysRandom = "allkeys-random";
    public const string VolatileLru = "volatile-lru";
    public const string VolatileLfu = "volatile-lfu";
    public const string VolatileRandom = "volatile-random";
    public const string VolatileTtl = "volatile-ttl";

    /// <summary>All eight, in the order Redis documents them.</summary>
    public static IReadOnlyList<string> All { get; } =
        [NoEviction, AllKeysLru, AllKeysLfu, AllKeysRandom, VolatileLru, VolatileLfu, VolatileRandom, VolatileTtl];

    /// <summary>True for the policies that only evict keys with a TTL.</summary>
    public static bool OnlyVolatile(string policy) => policy.StartsWith("volatile-", StringComparison.Ordinal);
}
