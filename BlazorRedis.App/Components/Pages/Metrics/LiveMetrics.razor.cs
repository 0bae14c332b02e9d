using System.Globalization;
using BlazorRedis.App.Components.Shared.Charts;
using BlazorRedis.Core.Metrics;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace BlazorRedis.App.Components.Pages.Metrics;

/// <summary>
/// The live dashboard: subscribes to the app's one <see cref="ICacheMetricsFeed"/> (no polling, no Redis), starts
/// with the feed's recent window so the charts open filled, and redraws once a second.
/// </summary>
public sealed partial class LiveMetrics : ComponentBase, IDisposable
{
    internal const string CacheP50 = "Cache p50";
    internal const string CacheP95 = "Cache p95";
    internal const string DatabaseP50 = "Database p50";
    internal const string DatabaseP95 = "Database p95";
    internal const string HitRateName = "Hit rate";
    internal const string FleetHitRateName = "Hit rate, all instances";

    private static CultureInfo Inv => CultureInfo.InvariantCulture;

    internal const string HubSnippet = """
        var connection = new HubConnectionBuilder()
            .WithUrl("https://your-host/hubs/metrics")
            .WithAutomaticReconnect()
            .Build();
        connection.On<MetricsSnapshot>("ReceiveSnapshot", s =>
            Console.WriteLine($"{s.Timestamp:T} {s.RequestsPerSecond:0} req/s, hit rate {s.HitRate:P0}, cache p95 {s.CacheLatency.P95:0.00} ms"));
        await connection.StartAsync();
        var lastMinute = await connection.InvokeAsync<List<MetricsSnapshot>>("GetRecent");
        """;

    private readonly List<MetricsSnapshot> _snapshots = [];
    private IReadOnlyList<ChartSeries> _latencySeries = [];
    private IReadOnlyList<ChartSeries> _hitRateSeries = [];
    private CacheTotals _totals = new(0, 0, 0, 0, DateTimeOffset.UtcNow);
    private FleetMetrics? _fleet;
    private readonly List<InstanceMetrics> _fleetSeconds = [];

    [Inject]
    private ICacheMetricsFeed Feed { get; set; } = null!;

    /// <summary>Every instance's numbers (ScaleOut:FleetMetrics); the fleet card shows only when more than one is alive.</summary>
    [Inject]
    private FleetMetricsPublisher Fleet { get; set; } = null!;

    /// <summary>The learner (cascaded by Routes): the totals are the class's, so only the teacher resets them.</summary>
    [CascadingParameter]
    public LearnerContext? Learner { get; set; }

    private bool IsTeacher => Learner?.IsTeacher == true;

    [Inject]
    private IOptions<CacheMetricsOptions> Options { get; set; } = null!;

    private int WindowSeconds => Options.Value.WindowSeconds;

    private TimeSpan Window => TimeSpan.FromSeconds(WindowSeconds);

    private MetricsSnapshot? Last => _snapshots.Count == 0 ? null : _snapshots[^1];

    protected override void OnInitialized()
    {
        _snapshots.AddRange(Feed.Recent);
        _totals = Feed.Totals;
        Rebuild();
        Feed.SnapshotPublished += OnSnapshot;
        _fleet = Fleet.Latest;
        Fleet.Updated += OnFleet;
    }

    public void Dispose()
    {
        Feed.SnapshotPublished -= OnSnapshot;
        Fleet.Updated -= OnFleet;
    }

    private void OnFleet(FleetMetrics fleet) => _ = InvokeAsync(() =>
    {
        _fleet = fleet;
        if (fleet.Instances.Count > 1)
        {
            // The fleet's second, summed over every live instance: the hit-rate chart's second line.
            var sum = fleet.Sum;
            if (_fleetSeconds.Count == 0 || _fleetSeconds[^1].At < sum.At)
            {
                _fleetSeconds.Add(sum);
            }

            if (_fleetSeconds.Count > WindowSeconds)
            {
                _fleetSeconds.RemoveRange(0, _fleetSeconds.Count - WindowSeconds);
            }
        }
        else
        {
            _fleetSeconds.Clear();
        }

        Rebuild();
        StateHasChanged();
    });

    private void OnSnapshot(MetricsSnapshot snapshot) => _ = InvokeAsync(() =>
    {
        _snapshots.Add(snapshot);
        if (_snapshots.Count > WindowSeconds)
        {
            _snapshots.RemoveRange(0, _snapshots.Count - WindowSeconds);
        }

        _totals = snapshot.Totals;
        Rebuild();
        StateHasChanged();
    });

    private void ResetTotals()
    {
        // The button is disabled for learners; a crafted circuit event still changes nothing.
        if (IsTeacher)
        {
            _totals = Feed.ResetTotals();
        }
    }

    /// <summary>New series objects each second: the chart redraws when the reference changes.</summary>
    private void Rebuild()
    {
        _latencySeries =
        [
            Series(CacheP50, s => s.CacheLatency.P50, "#2e7d32"),
            Series(CacheP95, s => s.CacheLatency.P95, "#81c784"),
            Series(DatabaseP50, s => s.DatabaseLatency.P50, "#c62828"),
            Series(DatabaseP95, s => s.DatabaseLatency.P95, "#ef9a9a"),
        ];
        var own = Series(HitRateName, s => s.HitRate * 100, "#1976d2");
        // Several instances: the fleet's hit rate of each second beside this instance's (hits and misses add up;
        // latency percentiles do not, so the latency chart stays this instance's).
        _hitRateSeries = _fleetSeconds.Count == 0
            ? [own]
            : [own, new ChartSeries(FleetHitRateName, _fleetSeconds.Select(s => new ChartPoint(s.At, s.Hits + s.Misses == 0 ? null : 100.0 * s.Hits / (s.Hits + s.Misses))).ToList(), "#6a1b9a")];
    }

    private ChartSeries Series(string name, Func<MetricsSnapshot, double?> value, string color) =>
        new(name, _snapshots.Select(s => new ChartPoint(s.Timestamp, value(s))).ToList(), color);

    private static string Number(double? value, string format) => value is { } v ? v.ToString(format, Inv) : "–";

    private static string Percent(double? fraction) => fraction is { } f ? (f * 100).ToString("0.#", Inv) + " %" : "–";

    private static string Ms(double? value) => value is { } v ? v.ToString(v < 10 ? "0.00" : "0", Inv) + " ms" : "–";
}
