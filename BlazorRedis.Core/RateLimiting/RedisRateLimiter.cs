using System.Diagnostics;
using System.Threading.RateLimiting;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.RateLimiting;

/// <summary>
/// One client's limiter for one algorithm, as a <see cref="RateLimiter"/> so ASP.NET Core's rate-limiting
/// middleware (or any other caller of the BCL API) can use it. The counters live in Redis, not in this
/// object, so every app server that creates a limiter for the same client shares the same limit.
/// </summary>
/// <remarks>
/// A Redis decision needs a round trip, so the synchronous <see cref="RateLimiter.AttemptAcquire(int)"/>
/// never admits: it returns a failed lease at once, without touching Redis, and callers fall through to
/// <see cref="RateLimiter.AcquireAsync(int, CancellationToken)"/> (the ASP.NET Core middleware does exactly that).
/// Each request is one permit; nothing is queued.
/// </remarks>
public sealed class RedisRateLimiter : RateLimiter
{
    private readonly IRateLimitService _service;
    private long _lastUsed = Stopwatch.GetTimestamp();
    private int _inFlight;
    private long _successful;
    private long _failed;
    private int _lastRemaining;
    private int _disposed;

    /// <summary>Creates the limiter of <paramref name="partition"/> for <paramref name="algorithm"/>.</summary>
    /// <param name="service">The Redis decisions.</param>
    /// <param name="algorithm">The algorithm whose script decides.</param>
    /// <param name="partition">The client.</param>
    /// <param name="rule">A rule of this limiter's own (e.g. a stricter one for logins); null for the configured rule.</param>
    public RedisRateLimiter(IRateLimitService service, RateLimitAlgorithm algorithm, string partition, RateLimitRule? rule = null)
    {
        _service = service ?? throw new ArgumentNullException(nameof(service));
        _ = service.KeyFor(algorithm, partition); // validates the partition before the limiter exists
        rule?.Validate();
        Algorithm = algorithm;
        Partition = partition;
        Rule = rule;
        _lastRemaining = (rule ?? service.DefaultRule).PermitLimit;
    }

    /// <summary>This limiter's own rule, or null when it follows the configured one.</summary>
    public RateLimitRule? Rule { get; }

    /// <summary>The algorithm whose script decides.</summary>
    public RateLimitAlgorithm Algorithm { get; }

    /// <summary>The client this limiter counts for.</summary>
    public string Partition { get; }

    /// <summary>Idle since the last decision; lets a <see cref="PartitionedRateLimiter{TResource}"/> drop unused clients (their state stays in Redis).</summary>
    public override TimeSpan? IdleDuration =>
        Volatile.Read(ref _inFlight) > 0 ? null : Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastUsed));

    /// <inheritdoc/>
    public override RateLimiterStatistics? GetStatistics() => new()
    {
        CurrentAvailablePermits = Volatile.Read(ref _lastRemaining),
        CurrentQueuedCount = 0,
        TotalSuccessfulLeases = Interlocked.Read(ref _successful),
        TotalFailedLeases = Interlocked.Read(ref _failed),
    };

    /// <inheritdoc/>
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ThrowIfInvalid(permitCount);
        return RedisRateLimitLease.NeedsRoundTrip;
    }

    /// <inheritdoc/>
    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        ThrowIfInvalid(permitCount);
        Interlocked.Increment(ref _inFlight);
        try
        {
            var traced = await _service.CheckAsync(Algorithm, Partition, Rule, cancellationToken).ConfigureAwait(false);
            if (traced.Value.Allowed)
            {
                Interlocked.Increment(ref _successful);
            }
            else
            {
                Interlocked.Increment(ref _failed);
            }

            Volatile.Write(ref _lastRemaining, traced.Value.Remaining);
            return new RedisRateLimitLease(traced.Value, traced.Trace);
        }
        finally
        {
            Interlocked.Exchange(ref _lastUsed, Stopwatch.GetTimestamp());
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        Interlocked.Exchange(ref _disposed, 1);
        base.Dispose(disposing);
    }

    private void ThrowIfInvalid(int permitCount)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        if (permitCount != 1)
        {
            throw new ArgumentOutOfRangeException(nameof(permitCount), permitCount, "A Redis rate limiter takes exactly one permit per request.");
        }
    }
}

/// <summary>The outcome of one <see cref="RedisRateLimiter"/> decision, with the decision itself and its trace as metadata.</summary>
public sealed class RedisRateLimitLease : RateLimitLease
{
    /// <summary>The full <see cref="RateLimitDecision"/> (remaining, limit, server time, source).</summary>
    public static readonly MetadataName<RateLimitDecision> DecisionMetadata = MetadataName.Create<RateLimitDecision>("REDIS_RATE_LIMIT_DECISION");

    /// <summary>The commands the decision ran.</summary>
    public static readonly MetadataName<OperationTrace> TraceMetadata = MetadataName.Create<OperationTrace>("REDIS_RATE_LIMIT_TRACE");

    /// <summary>The failed lease of a synchronous attempt: the decision needs the async path.</summary>
    internal static readonly RedisRateLimitLease NeedsRoundTrip = new(null, null);

    internal RedisRateLimitLease(RateLimitDecision? decision, OperationTrace? trace)
    {
        Decision = decision;
        Trace = trace;
    }

    /// <summary>The decision (null for the failed synchronous attempt, which never asked Redis).</summary>
    public RateLimitDecision? Decision { get; }

    /// <summary>The commands the decision ran.</summary>
    public OperationTrace? Trace { get; }

    /// <inheritdoc/>
    public override bool IsAcquired => Decision?.Allowed == true;

    /// <inheritdoc/>
    public override IEnumerable<string> MetadataNames
    {
        get
        {
            if (Decision is null)
            {
                yield return MetadataName.ReasonPhrase.Name;
                yield break;
            }

            yield return DecisionMetadata.Name;
            yield return TraceMetadata.Name;
            yield return MetadataName.ReasonPhrase.Name;
            if (!Decision.Allowed)
            {
                yield return MetadataName.RetryAfter.Name;
            }
        }
    }

    /// <inheritdoc/>
    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        metadata = metadataName switch
        {
            _ when metadataName == MetadataName.ReasonPhrase.Name => Reason,
            _ when Decision is null => null,
            _ when metadataName == DecisionMetadata.Name => Decision,
            _ when metadataName == TraceMetadata.Name => Trace,
            _ when metadataName == MetadataName.RetryAfter.Name && !Decision.Allowed => Decision.RetryAfter,
            _ => null,
        };
        return metadata is not null;
    }

    private string Reason => Decision switch
    {
        null => "A Redis rate limiter decides asynchronously; use AcquireAsync.",
        { Source: DecisionSource.FailedOpen } => "Redis is unreachable; the limiter fails open.",
        { Source: DecisionSource.FailedClosed } => "Redis is unreachable; the limiter fails closed.",
        { Allowed: true } => "Allowed.",
        _ => "Rate limit exceeded.",
    };
}
