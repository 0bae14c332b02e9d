namespace BlazorRedis.Core.Caching.Libraries;

/// <summary>The three ways the libraries lab reads a product.</summary>
public enum CacheLibrary
{
    /// <summary>Our cache-aside: GET, and on a miss the database then SET … EX. One Redis round trip per hit.</summary>
    HandWritten,

    /// <summary><c>Microsoft.Extensions.Caching.Hybrid</c>: an in-process L1 in front of Redis (L2), stampede protection per process, tags.</summary>
    Hybrid,

    /// <summary>FusionCache: L1 in front of Redis (L2), a Redis backplane that evicts other nodes' L1, fail-safe, tags.</summary>
    Fusion,
}
