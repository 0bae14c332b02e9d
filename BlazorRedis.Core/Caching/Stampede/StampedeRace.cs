using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Text;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Caching.Stampede;

/// <summary>
/// Races N concurrent readers on a fresh key under one protection and counts the database loads. Each race uses
/// its own throw-away key under <c>{prefix}{cache}:stampede:</c> and deletes it afterwards. The trace shows the
/// commands of the first reader. Each protection lives in its own file behind <see cref="IStampedeProtection"/>.
/// </summary>
public sealed class StampedeRace(RedisGate redis, IProductDatabase database, RedisTracer tracer, CacheKeys keys)
{
    /// <summary>Most readers one race may start.</summary>
    public const int MaxRequests = 5000;

    /// <summary>The product every race reads.</summary>
    public const int ProductId = 1;

    /// <summary>XFetch's β: above 1 favours earlier recomputation.</summary>
    public const double Beta = XFetchProtection.Beta;

    private readonly Dictionary<StampedeProtection, IStampedeProtection> _protections = new IStampedeProtection[]
    {
        new NoProtection(), new LockProtection(), new CoalescingProtection(), new XFetchProtection(),
    }.ToDictionary(p => p.Kind);

    /// <summary>Parses a protection name (none, lock, coalescing, xfetch); false for anything else.</summary>
    public static bool TryParseProtection(string? name, out StampedeProtection protection)
    {
        // Names only: Enum.TryParse would also take numbers and flag lists ("lock,coalescing" = 1|2 = XFetch).
        var match = Enum.GetNames<StampedeProtection>().FirstOrDefault(n => string.Equals(n, name?.Trim(), StringComparison.OrdinalIgnoreCase));
        protection = match is null ? StampedeProtection.None : Enum.Parse<StampedeProtection>(match);
        return match is not null;
    }

    /// <summary>Checks <paramref name="requests"/>; throws <see cref="LearnerInputException"/> with the allowed range.</summary>
    public static void ValidateRequests(int requests)
    {
        if (requests is < 1 or > MaxRequests)
        {
            throw new LearnerInputException($"Requests must be between 1 and {MaxRequests}.", nameof(requests));
        }
    }

    /// <summary>Runs one race.</summary>
    public async Task<Traced<StampedeResult>> RunAsync(StampedeProtection protection, int requests, CancellationToken cancellationToken = default)
    {
        ValidateRequests(requests);
        if (!_protections.TryGetValue(protection, out var strategy))
        {
            throw new ArgumentException("Unknown protection.", nameof(protection));
        }

        redis.EnsureConnected();
        var latency = await database.GetLatencyAsync(cancellationToken).ConfigureAwait(false);
        var run = new StampedeRun(strategy, redis, database, keys, Guid.NewGuid().ToString("N")[..12], tracer.Start($"Stampede race: {Wording.Count(requests, "reader")}, {protection}"))
        {
            DatabaseLatency = latency,
        };
        try
        {
            return await run.RaceAsync(requests, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await redis.Db.KeyDeleteAsync([run.ValueKey, run.LockKey]).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
        }
    }
}
