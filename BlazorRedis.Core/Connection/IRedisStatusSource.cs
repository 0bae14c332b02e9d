namespace BlazorRedis.Core.Connection;

/// <summary>
/// The app-wide Redis status, refreshed by a single probe (every second, and at once when a connection fails or comes
/// back); what the status chip and banners read.
/// </summary>
public interface IRedisStatusSource
{
    /// <summary>The latest status.</summary>
    RedisStatus Current { get; }

    /// <summary>Raised after every published probe, on a background thread.</summary>
    event Action<RedisStatus>? Changed;
}
