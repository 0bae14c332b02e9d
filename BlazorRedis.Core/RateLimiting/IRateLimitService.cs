using BlazorRedis.Core;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.RateLimiting;

/// <summary>How many requests per how long: the limit one decision enforces.</summary>
/// <param name="PermitLimit">Requests per window (the token bucket's capacity).</param>
/// <param name="Window">The window (the token bucket refills <paramref name="PermitLimit"/> tokens per window).</param>
public sealed record RateLimitRule(int PermitLimit, TimeSpan Window)
{
    /// <summary>The rule configured under <c>RateLimiting</c>.</summary>
    public static RateLimitRule From(RateLimitingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.PermitLimit, options.Window);
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless the rule is one the scripts can enforce.</summary>
    public void Validate()
    {
        if (PermitLimit is < 1 or > 100_000)
        {
            throw new LearnerInputException("The permit limit must be between 1 and 100000.", nameof(PermitLimit));
        }

        if (Window < TimeSpan.FromMilliseconds(100) || Window > TimeSpan.FromDays(1))
        {
            throw new LearnerInputException("The window must be between 100 ms and one day.", nameof(Window));
        }
    }

    /// <summary>Tokens per second the bucket gains (the same average rate as the windows allow).</summary>
    public double RefillPerSecond => PermitLimit / Window.TotalSeconds;
}

/// <summary>Whether the limiter can reach Redis, as the page and the log tell it.</summary>
/// <param name="RedisReachable">False from the first failed decision until the next successful one.</param>
/// <param name="FailOpen">The configured outage behaviour.</param>
/// <param name="OutageSince">When the current outage began (null while reachable).</param>
/// <param name="DecisionsWithoutRedis">How many decisions the fallback made since the app started.</param>
/// <param name="LastError">The error that began the current outage.</param>
public sealed record RateLimiterHealth(bool RedisReachable, bool FailOpen, DateTimeOffset? OutageSince, long DecisionsWithoutRedis, string? LastError);

/// <summary>
/// Decides, with one atomic Lua script per request, whether a client may make another request. Each
/// client (partition) has its own counters in Redis, so every app server shares the same limits.
/// </summary>
public interface IRateLimitService
{
    /// <summary>The rule from configuration.</summary>
    RateLimitRule DefaultRule { get; }

    /// <summary>True when the limiter lets requests through while Redis is unreachable.</summary>
    bool FailOpen { get; }

    /// <summary>Whether Redis answered the last decision.</summary>
    RateLimiterHealth Health { get; }

    /// <summary>Raised when Redis becomes unreachable or reachable again (once per change, on the caller's thread).</summary>
    event Action<RateLimiterHealth>? HealthChanged;

    /// <summary>The key that holds <paramref name="partition"/>'s state for <paramref name="algorithm"/>; throws <see cref="ArgumentException"/> for a bad partition.</summary>
    RedisKey KeyFor(RateLimitAlgorithm algorithm, string partition);

    /// <summary>Takes one permit for <paramref name="partition"/> under the configured rule; returns the decision and the commands it ran.</summary>
    Task<Traced<RateLimitDecision>> CheckAsync(RateLimitAlgorithm algorithm, string partition, CancellationToken cancellationToken = default);

    /// <summary>Takes one permit for <paramref name="partition"/> under <paramref name="rule"/> (null: the configured rule).</summary>
    Task<Traced<RateLimitDecision>> CheckAsync(RateLimitAlgorithm algorithm, string partition, RateLimitRule? rule, CancellationToken cancellationToken = default);

    /// <summary>Takes one permit under <paramref name="rule"/> (or the configured rule), recording the commands into <paramref name="recorder"/>.</summary>
    Task<RateLimitDecision> CheckAsync(RateLimitAlgorithm algorithm, string partition, TraceRecorder recorder, RateLimitRule? rule = null, CancellationToken cancellationToken = default);
}
