namespace BlazorRedis.Core.DataStructures;

/// <summary>The type of a capped demo key: which length (LLEN, SCARD, HLEN, ZCARD) its cap is read with.</summary>
public enum CappedKind
{
    /// <summary>A list (LLEN).</summary>
    List,

    /// <summary>A set (SCARD, SISMEMBER).</summary>
    Set,

    /// <summary>A hash (HLEN, HEXISTS).</summary>
    Hash,

    /// <summary>A sorted set, e.g. a geo set (ZCARD, ZSCORE).</summary>
    SortedSet,
}
