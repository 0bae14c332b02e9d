namespace BlazorRedis.Core.RateLimiting;

/// <summary>One request of a burst, to one algorithm.</summary>
/// <param name="Index">The request's number in the burst, from 0.</param>
/// <param name="Offset">When its answer arrived, measured from the start of the burst.</param>
/// <param name="Decision">What the algorithm decided.</param>
public sealed record BurstHit(int Index, TimeSpan Offset, RateLimitDecision Decision);

/// <summary>A finished burst: every request to every algorithm.</summary>
public sealed record BurstResult(int Size, int SpacingMs, RateLimitRule Rule, IReadOnlyList<BurstHit> Hits, TimeSpan Elapsed)
{
    /// <summary>How many requests <paramref name="algorithm"/> allowed.</summary>
    public int Allowed(RateLimitAlgorithm algorithm) => Hits.Count(h => h.Decision.Algorithm == algorithm && h.Decision.Allowed);

    /// <summary>How many requests <paramref name="algorithm"/> rejected.</summary>
    public int Rejected(RateLimitAlgorithm algorithm) => Hits.Count(h => h.Decision.Algorithm == algorithm && !h.Decision.Allowed);
}

/// <summary>What the boundary demo is doing now.</summary>
/// <param name="Phase">Waiting, BeforeBoundary, AfterBoundary or Done.</param>
/// <param name="Boundary">The window boundary on Redis's clock.</param>
/// <param name="ServerTime">Redis's clock when the demo read it.</param>
public sealed record BoundaryProgress(BoundaryPhase Phase, DateTimeOffset Boundary, DateTimeOffset ServerTime);

/// <summary>The steps of the boundary demo.</summary>
public enum BoundaryPhase
{
    /// <summary>Waiting on Redis's clock for the moment just before a window boundary.</summary>
    Waiting,

    /// <summary>Firing the limit just before the boundary.</summary>
    BeforeBoundary,

    /// <summary>Firing the limit again just after it.</summary>
    AfterBoundary,

    /// <summary>Finished.</summary>
    Done,
}

/// <summary>One request of the boundary demo; <paramref name="AfterBoundary"/> comes from Redis's clock, not from the plan.</summary>
public sealed record BoundaryHit(RateLimitDecision Decision, bool AfterBoundary);

/// <summary>The boundary demo's outcome: the limit fired just before and just after a fixed-window boundary.</summary>
public sealed record BoundaryResult(DateTimeOffset Boundary, RateLimitRule Rule, IReadOnlyList<BoundaryHit> Hits)
{
    /// <summary>Allowed requests of <paramref name="algorithm"/> before (false) or after (true) the boundary.</summary>
    public int Allowed(RateLimitAlgorithm algorithm, bool afterBoundary) =>
        Hits.Count(h => h.Decision.Algorithm == algorithm && h.AfterBoundary == afterBoundary && h.Decision.Allowed);

    /// <summary>All allowed requests of <paramref name="algorithm"/>.</summary>
    public int Allowed(RateLimitAlgorithm algorithm) => Allowed(algorithm, false) + Allowed(algorithm, true);

    /// <summary>Requests sent to <paramref name="algorithm"/> on one side of the boundary.</summary>
    public int Sent(RateLimitAlgorithm algorithm, bool afterBoundary) =>
        Hits.Count(h => h.Decision.Algorithm == algorithm && h.AfterBoundary == afterBoundary);

    /// <summary>Redis time from the first to the last request of the demo.</summary>
    public TimeSpan Span
    {
        get
        {
            var times = Hits.Select(h => h.Decision.ServerTime).OfType<DateTimeOffset>().ToList();
            return times.Count == 0 ? TimeSpan.Zero : times.Max() - times.Min();
        }
    }
}

/// <summary>The race of the read-then-write counter against the Lua script, with the same concurrent load.</summary>
/// <param name="Concurrency">How many requests ran at once against each.</param>
/// <param name="Limit">The limit both enforce.</param>
/// <param name="NaiveAdmitted">How many the read-then-write counter let through.</param>
/// <param name="NaiveCounter">What its counter says afterwards.</param>
/// <param name="LuaAdmitted">How many the fixed-window Lua script let through.</param>
public sealed record RaceResult(int Concurrency, int Limit, int NaiveAdmitted, long NaiveCounter, int LuaAdmitted)
{
    /// <summary>Requests the read-then-write counter admitted beyond the limit.</summary>
    public int OverAdmitted => Math.Max(0, NaiveAdmitted - Limit);
}
