using BlazorRedis.Core.Metrics;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.Core.Metrics;

public class CacheMetricsAggregatorTests
{
    private static DateTimeOffset T0 { get; } = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static (CacheMetrics Metrics, CacheMetricsAggregator Aggregator) Create(int window = 60, int reservoir = 4096)
    {
        var metrics = new CacheMetrics();
        var aggregator = new CacheMetricsAggregator(metrics, Options.Create(new CacheMetricsOptions { WindowSeconds = window, ReservoirSize = reservoir }));
        return (metrics, aggregator);
    }

    [Fact]
    public void Percentiles_come_from_the_latencies_recorded_in_that_second()
    {
        var (metrics, aggregator) = Create();
        using var _ = metrics;
        using var __ = aggregator;

        // Recorded out of order on purpose: the aggregator must sort.
        foreach (var ms in Enumerable.Range(1, 100).Reverse())
        {
            metrics.RecordHit(TimeSpan.FromMilliseconds(ms));
        }

        foreach (var ms in new[] { 2000, 2100, 1900, 5000 })
        {
            metrics.RecordDatabaseLoad(TimeSpan.FromMilliseconds(ms));
        }

        var snapshot = aggregator.Flush(T0, TimeSpan.FromSeconds(1));

        Assert.Equal(new LatencySummary(100, 50, 95, 99), snapshot.CacheLatency);
        Assert.Equal(4, snapshot.DatabaseLatency.Count);
        Assert.Equal(2000, snapshot.DatabaseLatency.P50);
        Assert.Equal(5000, snapshot.DatabaseLatency.P95);
        Assert.Equal(5000, snapshot.DatabaseLatency.P99);
    }

    [Fact]
    public void Hit_rate_and_requests_per_second_follow_the_recorded_counts()
    {
        var (metrics, aggregator) = Create();
        using var _ = metrics;
        using var __ = aggregator;
        for (var i = 0; i < 30; i++)
        {
            metrics.RecordHit(TimeSpan.FromMilliseconds(0.4));
        }

        for (var i = 0; i < 10; i++)
        {
            metrics.RecordMiss();
            metrics.RecordDatabaseLoad(TimeSpan.FromMilliseconds(20));
        }

        // Five bypass reads: database loads no miss explains are requests of their own.
        for (var i = 0; i < 5; i++)
        {
            metrics.RecordDatabaseLoad(TimeSpan.FromMilliseconds(20));
        }

        var snapshot = aggregator.Flush(T0, TimeSpan.FromSeconds(2));

        Assert.Equal(30, snapshot.Hits);
        Assert.Equal(10, snapshot.Misses);
        Assert.Equal(15, snapshot.DatabaseLoads);
        Assert.Equal(0.75, snapshot.HitRate);
        Assert.Equal((30 + 10 + 5) / 2.0, snapshot.RequestsPerSecond);
        Assert.Equal(T0, snapshot.Timestamp);
    }

    [Fact]
    public void Each_second_starts_empty()
    {
        var (metrics, aggregator) = Create();
        using var _ = metrics;
        using var __ = aggregator;
        metrics.RecordHit(TimeSpan.FromMilliseconds(1));
        metrics.RecordMiss();
        aggregator.Flush(T0, TimeSpan.FromSeconds(1));

        var quiet = aggregator.Flush(T0.AddSeconds(1), TimeSpan.FromSeconds(1));

        Assert.Equal(0, quiet.Hits);
        Assert.Equal(0, quiet.Misses);
        Assert.Null(quiet.HitRate);
        Assert.Equal(0, quiet.RequestsPerSecond);
        Assert.Equal(LatencySummary.None, quiet.CacheLatency);
        Assert.Equal(LatencySummary.None, quiet.DatabaseLatency);
        Assert.Equal(1, quiet.Totals.Hits);
    }

    [Fact]
    public void The_window_keeps_only_the_latest_snapshots_oldest_first()
    {
        var (metrics, aggregator) = Create(window: 10);
        using var _ = metrics;
        using var __ = aggregator;
        for (var i = 0; i < 15; i++)
        {
            aggregator.Flush(T0.AddSeconds(i), TimeSpan.FromSeconds(1));
        }

        Assert.Equal(10, aggregator.Recent.Count);
        Assert.Equal(T0.AddSeconds(5), aggregator.Recent[0].Timestamp);
        Assert.Equal(T0.AddSeconds(14), aggregator.Recent[^1].Timestamp);
    }

    [Fact]
    public void Totals_accumulate_across_seconds_and_reset_to_zero()
    {
        var (metrics, aggregator) = Create();
        using var _ = metrics;
        using var __ = aggregator;
        metrics.RecordHit(TimeSpan.FromMilliseconds(1));
        metrics.RecordHit(TimeSpan.FromMilliseconds(1));
        aggregator.Flush(T0, TimeSpan.FromSeconds(1));
        metrics.RecordHit(TimeSpan.FromMilliseconds(1));
        metrics.RecordMiss();
        metrics.RecordDatabaseLoad(TimeSpan.FromMilliseconds(5));

        var before = aggregator.Totals;
        var reset = aggregator.ResetTotals();
        metrics.RecordMiss();
        var after = aggregator.Flush(T0.AddSeconds(1), TimeSpan.FromSeconds(1)).Totals;

        Assert.Equal((3, 1, 0.75, 1), (before.Hits, before.Misses, before.HitRate, before.DatabaseLoads));
        Assert.Equal((0, 0, 0.0, 0), (reset.Hits, reset.Misses, reset.HitRate, reset.DatabaseLoads));
        Assert.True(reset.Since >= before.Since);
        Assert.Equal((0, 1, 0.0), (after.Hits, after.Misses, after.HitRate));
    }

    [Fact]
    public void Another_CacheMetrics_with_the_same_meter_name_is_not_counted()
    {
        var (metrics, aggregator) = Create();
        using var _ = metrics;
        using var __ = aggregator;
        using var stranger = new CacheMetrics();

        stranger.RecordHit(TimeSpan.FromMilliseconds(1));
        stranger.RecordMiss();
        metrics.RecordHit(TimeSpan.FromMilliseconds(1));

        var snapshot = aggregator.Flush(T0, TimeSpan.FromSeconds(1));
        Assert.Equal(CacheMetrics.MeterName, stranger.Meter.Name);
        Assert.Equal(1, snapshot.Hits);
        Assert.Equal(0, snapshot.Misses);
    }

    [Fact]
    public void Past_the_reservoir_size_every_read_is_counted_and_percentiles_stay_within_the_recorded_range()
    {
        var (metrics, aggregator) = Create(reservoir: 16);
        using var _ = metrics;
        using var __ = aggregator;
        for (var i = 1; i <= 1000; i++)
        {
            metrics.RecordHit(TimeSpan.FromMilliseconds(i));
        }

        var latency = aggregator.Flush(T0, TimeSpan.FromSeconds(1)).CacheLatency;

        Assert.Equal(1000, latency.Count);
        Assert.InRange(latency.P50!.Value, 1, 1000);
        Assert.True(latency.P50 <= latency.P95 && latency.P95 <= latency.P99);
    }

    [Fact]
    public void Every_subscriber_gets_the_snapshot_even_when_one_throws()
    {
        var (metrics, aggregator) = Create();
        using var _ = metrics;
        using var __ = aggregator;
        var received = new List<MetricsSnapshot>();
        aggregator.SnapshotPublished += _ => throw new InvalidOperationException("a closed circuit");
        aggregator.SnapshotPublished += received.Add;
        metrics.RecordHit(TimeSpan.FromMilliseconds(1));

        var snapshot = aggregator.Flush(T0, TimeSpan.FromSeconds(1));

        Assert.Same(snapshot, Assert.Single(received));
    }

    [Fact]
    public void Nearest_rank_percentile_of_a_single_value_is_that_value()
    {
        Assert.Equal(7, LatencyReservoir.Percentile([7], 50));
        Assert.Equal(7, LatencyReservoir.Percentile([7], 99));
        Assert.Equal(2, LatencyReservoir.Percentile([1, 2, 3, 4], 50));
        Assert.Equal(4, LatencyReservoir.Percentile([1, 2, 3, 4], 95));
    }
}
