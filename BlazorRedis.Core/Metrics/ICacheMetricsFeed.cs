namespace BlazorRedis.Core.Metrics;

/// <summary>
/// The one per-second stream of cache metrics in the app. Every dashboard and the SignalR hub subscribe to this
/// single feed, so a hundred open charts cost one aggregation a second, not a hundred.
/// </summary>
public interface ICacheMetricsFeed
{
    /// <summary>The last snapshots, oldest first (at most <see cref="CacheMetricsOptions.WindowSeconds"/>).</summary>
    IReadOnlyList<MetricsSnapshot> Recent { get; }

    /// <summary>The cumulative counts right now (not only at the last snapshot).</summary>
    CacheTotals Totals { get; }

    /// <summary>Raised once per snapshot, on a background thread.</summary>
    event Action<MetricsSnapshot>? SnapshotPublished;

    /// <summary>Starts the cumulative counts from zero (the per-second window is kept).</summary>
    CacheTotals ResetTotals();
}
