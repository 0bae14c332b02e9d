namespace BlazorRedis.Core.Caching.Libraries;

/// <summary>Where a read was answered.</summary>
public enum CacheLayer
{
    /// <summary>The node's own memory (L1): nothing went to Redis.</summary>
    Memory,

    /// <summary>Redis (L2): the value came over the network, the database was not asked.</summary>
    Redis,

    /// <summary>The slow database: the factory ran.</summary>
    Database,

    /// <summary>An expired value served because the database failed (FusionCache's fail-safe).</summary>
    FailSafe,
}
