using StackExchange.Redis;

namespace BlazorRedis.Core.Connection;

/// <summary>
/// The one "Redis is unavailable" policy. A connection failure, a timeout (the client's own, or one of our deadlines)
/// or a reply that says the server cannot serve yet (<c>LOADING</c> while it reads its data back after a restart,
/// <c>MASTERDOWN</c>, <c>TRYAGAIN</c>, <c>CLUSTERDOWN</c>) means Redis cannot be used right now: reads fall back,
/// writes answer 503 with Retry-After, pages show the outage. Any other error reply such as <c>WRONGTYPE</c> or
/// <c>OOM</c> comes from a Redis that is up and refused the command: it is shown as Redis's error, never as an outage.
/// </summary>
public static class RedisFailures
{
    /// <summary>Seconds a client should wait before retrying after an outage (the one Retry-After rule of the API).</summary>
    public const int RetryAfterSeconds = 5;

    private static readonly string[] NotReadyReplies = ["LOADING", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN"];

    /// <summary>True for a connection failure, a timeout, or a server that is not ready to serve (<c>LOADING</c> …).</summary>
    public static bool IsUnavailable(Exception ex) =>
        ex is RedisConnectionException or RedisTimeoutException or TimeoutException || IsNotReady(ex);

    /// <summary>True when Redis answered with an error reply that refuses this command (WRONGTYPE, OOM, NOSCRIPT…), not a transient "not ready".</summary>
    public static bool IsRefusal(Exception ex) => ex is RedisServerException && !IsNotReady(ex);

    private static bool IsNotReady(Exception ex) =>
        ex is RedisServerException server && NotReadyReplies.Any(r => server.Message.StartsWith(r, StringComparison.Ordinal) && (server.Message.Length == r.Length || server.Message[r.Length] == ' '));
}
