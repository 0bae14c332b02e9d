using StackExchange.Redis;

namespace BlazorRedis.Core.Connection;

/// <summary>
/// The one "Redis is unavailable" policy. Only a connection failure or a timeout (the client's own, or one of our
/// deadlines) means Redis cannot be used right now: reads fall back, writes answer 503, pages show the outage. A
/// reply such as <c>WRONGTYPE</c> or <c>OOM</c> (<see cref="RedisServerException"/>) comes from a Redis that is up
/// and refused the command: it is shown as Redis's error, never as an outage.
/// </summary>
public static class RedisFailures
{
    /// <summary>Seconds a client should wait before retrying after an outage (the one Retry-After rule of the API).</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>True for a connection failure or a timeout.</summary>
    public static bool IsUnavailable(Exception ex) => ex is RedisConnectionException or RedisTimeoutException or TimeoutException;

    /// <summary>True when Redis answered with an error reply (WRONGTYPE, OOM, NOSCRIPT…).</summary>
    public static bool IsRefusal(Exception ex) => ex is RedisServerException;
}
