using System.Diagnostics.CodeAnalysis;

namespace BlazorRedis.Core.RateLimiting;

/// <summary>The four ways this app counts requests in Redis.</summary>
public enum RateLimitAlgorithm
{
    /// <summary>A counter per clock-aligned window: INCR, and PEXPIRE on the window's first request.</summary>
    FixedWindow,

    /// <summary>A sorted set of the admitted requests' timestamps over the last window.</summary>
    SlidingLog,

    /// <summary>The current and previous fixed windows, the previous one weighted by how much of it still overlaps.</summary>
    SlidingCounter,

    /// <summary>A bucket of tokens that refills at a steady rate; each request takes one.</summary>
    TokenBucket,
}

/// <summary>Names and descriptions of the algorithms, and the URL slugs the API uses.</summary>
public static class RateLimitAlgorithms
{
    /// <summary>All four, in teaching order.</summary>
    public static IReadOnlyList<RateLimitAlgorithm> All { get; } =
        [RateLimitAlgorithm.FixedWindow, RateLimitAlgorithm.SlidingLog, RateLimitAlgorithm.SlidingCounter, RateLimitAlgorithm.TokenBucket];

    /// <summary>The URL segment: <c>fixed-window</c>, <c>sliding-log</c>, <c>sliding-counter</c>, <c>token-bucket</c>.</summary>
    public static string Slug(this RateLimitAlgorithm algorithm) => algorithm switch
    {
        RateLimitAlgorithm.FixedWindow => "fixed-window",
        RateLimitAlgorithm.SlidingLog => "sliding-log",
        RateLimitAlgorithm.SlidingCounter => "sliding-counter",
        RateLimitAlgorithm.TokenBucket => "token-bucket",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown rate-limit algorithm."),
    };

    /// <summary>The name a learner reads.</summary>
    public static string Title(this RateLimitAlgorithm algorithm) => algorithm switch
    {
        RateLimitAlgorithm.FixedWindow => "Fixed window",
        RateLimitAlgorithm.SlidingLog => "Sliding-window log",
        RateLimitAlgorithm.SlidingCounter => "Sliding-window counter",
        RateLimitAlgorithm.TokenBucket => "Token bucket",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown rate-limit algorithm."),
    };

    /// <summary>Parses a slug (case-insensitive); false for anything else.</summary>
    public static bool TryParse([NotNullWhen(true)] string? slug, out RateLimitAlgorithm algorithm)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Slug(), slug, StringComparison.OrdinalIgnoreCase))
            {
                algorithm = candidate;
                return true;
            }
        }

        algorithm = default;
        return false;
    }
}
