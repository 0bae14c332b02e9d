namespace BlazorRedis.Core.Metrics;

/// <summary>One instance's last published second and its totals, as the fleet sees it.</summary>
/// <param name="Instance">The instance's name (<see cref="FleetMetricsOptions.InstanceId"/>).</param>
/// <param name="At">When that second ended.</param>
/// <param name="RequestsPerSecond">Its reads per second in that second.</param>
/// <param name="Hits">Hits in that second.</param>
/// <param name="Misses">Misses in that second.</param>
/// <param name="DatabaseLoads">Database loads in that second.</param>
/// <param name="Totals">Its counts since its start or its last reset.</param>
/// <param name="CacheP95">Its cache-hit p95 latency in that second (ms), as it measured it; null without hits, and always
/// null for the fleet sum: percentiles of different instances do not add up.</param>
/// <param name="DatabaseP95">Its database-load p95 latency in that second (ms); null as <paramref name="CacheP95"/>.</param>
public sealed record InstanceMetrics(
    string Instance,
    DateTimeOffset At,
    double RequestsPerSecond,
    long Hits,
    long Misses,
    long DatabaseLoads,
    CacheTotals Totals,
    double? CacheP95 = null,
    double? DatabaseP95 = null)
{
    /// <summary>Hits ÷ (hits + misses) in that second, from 0 to 1; null in a second without cache reads.</summary>
    public double? HitRate => Hits + Misses == 0 ? null : (double)Hits / (Hits + Misses);

    /// <summary>One instance's numbers from one of its snapshots.</summary>
    public static InstanceMetrics From(string instance, MetricsSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new(
            instance,
            snapshot.Timestamp,
            snapshot.RequestsPerSecond,
            snapshot.Hits,
            snapshot.Misses,
            snapshot.DatabaseLoads,
            snapshot.Totals,
            snapshot.CacheLatency.P95,
            snapshot.DatabaseLatency.P95);
    }
}

/// <summary>Every live instance's numbers (this one first, then by name) and their sum.</summary>
/// <param name="Self">This instance's name.</param>
/// <param name="Instances">The instances that published within <see cref="FleetMetricsOptions.FleetAliveSeconds"/>.</param>
public sealed record FleetMetrics(string Self, IReadOnlyList<InstanceMetrics> Instances)
{
    /// <summary>
    /// The fleet as one instance named <c>all</c>: rates and counts added, the hit rate of the added counts, no latency
    /// (each instance's p95 is its own; a fleet percentile cannot be made from them).
    /// </summary>
    public InstanceMetrics Sum
    {
        get
        {
            var hits = Instances.Sum(i => i.Totals.Hits);
            var misses = Instances.Sum(i => i.Totals.Misses);
            var totals = new CacheTotals(
                hits,
                misses,
                hits + misses == 0 ? 0 : (double)hits / (hits + misses),
                Instances.Sum(i => i.Totals.DatabaseLoads),
                Instances.Count == 0 ? DateTimeOffset.UtcNow : Instances.Min(i => i.Totals.Since));
            return new InstanceMetrics(
                "all",
                Instances.Count == 0 ? DateTimeOffset.UtcNow : Instances.Max(i => i.At),
                Instances.Sum(i => i.RequestsPerSecond),
                Instances.Sum(i => i.Hits),
                Instances.Sum(i => i.Misses),
                Instances.Sum(i => i.DatabaseLoads),
                totals);
        }
    }
}
