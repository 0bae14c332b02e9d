namespace BlazorRedis.Core.Caching.CacheAside;

/// <summary>Where a read was answered from.</summary>
public enum ReadSource
{
    /// <summary>Redis had the value.</summary>
    Cache,

    /// <summary>The slow database was asked.</summary>
    Database,
}
