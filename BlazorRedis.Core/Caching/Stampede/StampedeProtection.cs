namespace BlazorRedis.Core.Caching.Stampede;

/// <summary>How concurrent readers of one missing key are kept from all loading it.</summary>
public enum StampedeProtection
{
    /// <summary>Every reader that misses loads from the database.</summary>
    None,

    /// <summary>A Redis lock (SET NX PX): one reader loads, the others poll the cache with back-off.</summary>
    Lock,

    /// <summary>Readers in this process share one in-flight load (request coalescing).</summary>
    Coalescing,

    /// <summary>Probabilistic early recomputation (XFetch, Vattani et al., VLDB 2015) on a key about to expire.</summary>
    XFetch,
}
