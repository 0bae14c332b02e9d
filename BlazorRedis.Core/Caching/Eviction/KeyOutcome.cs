namespace BlazorRedis.Core.Caching.Eviction;

/// <summary>What happened to one key the lab tried to write.</summary>
public enum KeyOutcome
{
    /// <summary>Still there after the run (SCAN found it).</summary>
    Survived,

    /// <summary>Written, then evicted by Redis to make room.</summary>
    Evicted,

    /// <summary>Never stored: Redis refused the write (OOM under noeviction, or no volatile key left to evict).</summary>
    Rejected,
}
