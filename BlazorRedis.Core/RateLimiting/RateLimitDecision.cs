namespace BlazorRedis.Core.RateLimiting;

/// <summary>Who made a decision: the Redis script, or the configured fallback while Redis was unreachable.</summary>
public enum DecisionSource
{
    /// <summary>The Lua script decided on the server.</summary>
    Redis,

    /// <summary>Redis was unreachable and the limiter is configured to let requests through.</summary>
    FailedOpen,

    /// <summary>Redis was unreachable and the limiter is configured to reject requests.</summary>
    FailedClosed,
}

/// <summary>The answer to "may this request go ahead?".</summary>
/// <param name="Algorithm">Which algorithm decided.</param>
/// <param name="Allowed">True when the request may proceed.</param>
/// <param name="Limit">The configured permit limit (the bucket's capacity for the token bucket).</param>
/// <param name="Remaining">How many more requests would be allowed right now (never negative).</param>
/// <param name="RetryAfter">For a rejection: how long until a request would be allowed again; zero when allowed.</param>
/// <param name="ServerTime">Redis's clock (TIME) when the script ran; null when Redis was not reached.</param>
/// <param name="Used">What the algorithm counted in its window after this request (requests, weighted requests or tokens taken), rounded up.</param>
/// <param name="Source">Whether Redis decided or the outage fallback did.</param>
public sealed record RateLimitDecision(
    RateLimitAlgorithm Algorithm,
    bool Allowed,
    int Limit,
    int Remaining,
    TimeSpan RetryAfter,
    DateTimeOffset? ServerTime,
    long Used,
    DecisionSource Source)
{
    /// <summary>The Retry-After header value: whole seconds, rounded up, at least 1.</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));

    /// <summary>True when Redis was not reached and the fallback decided.</summary>
    public bool Degraded => Source != DecisionSource.Redis;
}
