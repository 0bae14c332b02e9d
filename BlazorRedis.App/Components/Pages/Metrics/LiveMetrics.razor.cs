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
    internal const string RequestsName = "Requests/s";
    internal const string FleetRequestsName = "Requests/s, all instances";
    private const string FleetColor = "#6a1b9a";

    /// <summary>The other instances' lines, one colour each (this instance's are blue and green/red, the fleet's purple).</summary>
    private static readonly string[] InstanceColors = ["#ef6c00", "#00838f", "#8d6e63", "#ad1457", "#546e7a", "#9e9d24"];

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
    private IReadOnlyList<ChartSeries> _requestsSeries = [];
    private IReadOnlyList<ChartSeries> _ownLatency = [];
    private ChartSeries _ownHitRate = null!;
    private ChartSeries _ownRequests = null!;
    private CacheTotals _totals = new(0, 0, 0, 0, DateTimeOffset.UtcNow);
    private FleetMetrics? _fleet;
    private readonly List<InstanceMetrics> _fleetSeconds = [];
    private readonly Dictionary<string, List<InstanceMetrics>> _instanceSeconds = new(StringComparer.Ordinal);

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
        var wasFleet = _fleet is { Instances.Count: > 1 };
        _fleet = fleet;
        if (fleet.Instances.Count <= 1 && !wasFleet)
        {
            // One instance, as a second ago: nothing on the page changes, and this instance's own second redraws it.
            return;
        }

        if (fleet.Instances.Count > 1)
        {
            // The fleet's second, summed over every live instance: the "all instances" lines.
            Append(_fleetSeconds, fleet.Sum);

            // Each other instance's published second: its own lines. One that left the fleet (stopped, or silent for
            // ScaleOut:FleetAliveSeconds) loses its lines with it.
            foreach (var instance in fleet.Instances.Where(i => i.Instance != fleet.Self))
            {
                if (!_instanceSeconds.TryGetValue(instance.Instance, out var seconds))
                {
                    _instanceSeconds[instance.Instance] = seconds = [];
                }

                Append(seconds, instance);
            }

            foreach (var gone in _instanceSeconds.Keys.Where(name => !fleet.Instances.Any(i => i.Instance == name)).ToList())
            {
                _instanceSeconds.Remove(gone);
            }
        }
        else
        {
            _fleetSeconds.Clear();
            _instanceSeconds.Clear();
        }

        ComposeSeries();
        StateHasChanged();
    });

    private void Append(List<InstanceMetrics> seconds, InstanceMetrics second)
    {
        // The fleet is read once a second by this instance: an instance that has not published since gives its last second again.
        if (seconds.Count == 0 || seconds[^1].At < second.At)
        {
            seconds.Add(second);
        }

        if (seconds.Count > WindowSeconds)
        {
            seconds.RemoveRange(0, seconds.Count - WindowSeconds);
        }
    }

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

    /// <summary>This instance's lines from its own feed, then every chart's series (<see cref="ComposeSeries"/>).</summary>
    private void Rebuild()
    {
        _ownLatency =
        [
            Series(CacheP50, s => s.CacheLatency.P50, "#2e7d32"),
            Series(CacheP95, s => s.CacheLatency.P95, "#81c784"),
            Series(DatabaseP50, s => s.DatabaseLatency.P50, "#c62828"),
            Series(DatabaseP95, s => s.DatabaseLatency.P95, "#ef9a9a"),
        ];
        _ownHitRate = Series(HitRateName, s => s.HitRate * 100, "#1976d2");
        _ownRequests = Series(RequestsName, s => s.RequestsPerSecond, "#1976d2");
        ComposeSeries();
    }

    /// <summary>
    /// New series lists (the chart redraws when the reference changes): this instance's lines as last built and, with
    /// several instances, each other instance's lines from the numbers it published and, where the numbers add up
    /// (requests, hits and misses), the fleet's. Latency percentiles do not add up, so the latency chart has each
    /// instance's own p95 and no fleet line. A fleet read rebuilds only the other instances' lines.
    /// </summary>
    private void ComposeSeries()
    {
        var others = _instanceSeconds.OrderBy(o => o.Key, StringComparer.Ordinal).Select((o, i) => (Name: o.Key, Seconds: o.Value, Color: InstanceColors[i % InstanceColors.Length])).ToList();
        List<ChartSeries> latency = [.. _ownLatency];
        List<ChartSeries> hitRate = [_ownHitRate];
        List<ChartSeries> requests = [_ownRequests];
        foreach (var (name, seconds, color) in others)
        {
            latency.Add(InstanceSeries(CacheP95, name, seconds, s => s.CacheP95, color));
            latency.Add(InstanceSeries(DatabaseP95, name, seconds, s => s.DatabaseP95, color));
            hitRate.Add(InstanceSeries(HitRateName, name, seconds, s => s.HitRate * 100, color));
            requests.Add(InstanceSeries(RequestsName, name, seconds, s => s.RequestsPerSecond, color));
        }

        if (_fleetSeconds.Count > 0)
        {
            hitRate.Add(new ChartSeries(FleetHitRateName, _fleetSeconds.Select(s => new ChartPoint(s.At, s.HitRate * 100)).ToList(), FleetColor));
            requests.Add(new ChartSeries(FleetRequestsName, _fleetSeconds.Select(s => new ChartPoint(s.At, s.RequestsPerSecond)).ToList(), FleetColor));
        }

        _latencySeries = latency;
        _hitRateSeries = hitRate;
        _requestsSeries = requests;
    }

    /// <summary>The name of another instance's line: <c>Cache p95 · web-b</c>.</summary>
    internal static string OfInstance(string series, string instance) => $"{series} · {instance}";

    private static ChartSeries InstanceSeries(string series, string instance, List<InstanceMetrics> seconds, Func<InstanceMetrics, double?> value, string color) =>
        new(OfInstance(series, instance), seconds.Select(s => new ChartPoint(s.At, value(s))).ToList(), color);

    private ChartSeries Series(string name, Func<MetricsSnapshot, double?> value, string color) =>
        new(name, _snapshots.Select(s => new ChartPoint(s.Timestamp, value(s))).ToList(), color);

    private static string Number(double? value, string format) => value is { } v ? v.ToString(format, Inv) : "–";

    private static string Percent(double? fraction) => fraction is { } f ? (f * 100).ToString("0.#", Inv) + " %" : "–";

    private static string Ms(double? value) => value is { } v ? v.ToString(v < 10 ? "0.00" : "0", Inv) + " ms" : "–";
}
