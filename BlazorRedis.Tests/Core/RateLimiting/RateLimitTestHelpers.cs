using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.RateLimiting;

/// <summary>Builds the real rate-limit services on the test Redis, each on its own key prefix.</summary>
internal static class RateLimitTestHelpers
{
    public static RedisRateLimitService Service(RedisServerFixture redis, RedisKeyspace keys, int permitLimit = 10, int windowSeconds = 10, bool failOpen = true, ILogger<RedisRateLimitService>? logger = null) =>
        Service(redis.Multiplexer, redis.Tracer, keys, permitLimit, windowSeconds, failOpen, logger);

    /// <remarks>
    /// The command budget defaults to 10 s here: these tests check what the limiter decides, and on a loaded CI machine
    /// a first script load can pass the app's 1 s budget, fail open and write no key. The failure-mode tests pass a
    /// short budget of their own.
    /// </remarks>
    public static RedisRateLimitService Service(IConnectionMultiplexer mux, RedisTracer tracer, RedisKeyspace keys, int permitLimit = 10, int windowSeconds = 10, bool failOpen = true, ILogger<RedisRateLimitService>? logger = null, int redisTimeoutMs = 10_000) =>
        new(mux, tracer, keys, Options.Create(new RateLimitingOptions
        {
            PermitLimit = permitLimit,
            WindowSeconds = windowSeconds,
            FailOpen = failOpen,
        }), logger ?? NullLogger<RedisRateLimitService>.Instance, budget: new RedisCommandBudget(mux, TimeSpan.FromMilliseconds(redisTimeoutMs)));

    public static RateLimitLab Lab(RedisServerFixture redis, IRateLimitService service, RedisKeyspace keys) =>
        new(service, new NaiveFixedWindowLimiter(redis.Multiplexer), redis.Multiplexer, redis.Tracer, keys, TimeProvider.System);
}

/// <summary>A logger that keeps what it was told, to count warnings.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly Lock _lock = new();
    private readonly List<(LogLevel Level, string Message)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lock)
        {
            _entries.Add((logLevel, formatter(state, exception)));
        }
    }
}
