namespace BlazorRedis.Core.Connection;

/// <summary>The app-wide Redis status, refreshed by a single probe; what the status chip and banners read.</summary>
public interface IRedisStatusSource
{
    /// <summary>The latest status.</summary>
    RedisStatus Current { get; }

    /// <summary>Raised after every probe, on a background thread.</summary>
    event Action<RedisStatus>? Changed;
}
