using BlazorRedis.App.Components.Pages.Metrics;
using BlazorRedis.App.Components.Shared.Charts;
using BlazorRedis.Core.Metrics;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.App.Components.Pages.Metrics;

public class LiveMetricsTests : MudTestContext
{
    private static DateTimeOffset T0 { get; } = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly CacheMetrics _metrics = new();
    private readonly CacheMetricsAggregator _aggregator;
    private readonly BunitJSModuleInterop _charts;

    public LiveMetricsTests()
    {
        var options = Options.Create(new CacheMetricsOptions { WindowSeconds = 60 });
        _aggregator = new CacheMetricsAggregator(_metrics, options);
        Services.AddSingleton<ICacheMetricsFeed>(_aggregator);
        Services.AddSingleton(options);
        Services.AddSingleton(new BlazorRedis.Core.Keys.RedisKeyspace("livemetrics:"));
        Services.AddSingleton(Options.Create(new FleetMetricsOptions()));
        Services.AddSingleton<FleetMetricsPublisher>();
        _charts = JSInterop.SetupModule(ApexChart.ModulePath);
        _charts.SetupVoid("create", _ => true);
        _charts.SetupVoid("update", _ => true);
        _charts.SetupVoid("dispose", _ => true);
    }

    private void Second(int hits, int misses, double hitMs = 0.5, double loadMs = 40, int at = 0)
    {
        for (var i = 0; i < hits; i++)
        {
            _metrics.RecordHit(TimeSpan.FromMilliseconds(hitMs));
        }

        for (var i = 0; i < misses; i++)
        {
            _metrics.RecordMiss();
            _metrics.RecordDatabaseLoad(TimeSpan.FromMilliseconds(loadMs));
        }

        _aggregator.Flush(T0.AddSeconds(at), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void The_intro_names_the_reads_it_counts_and_the_ones_it_does_not()
    {
        var cut = RenderWithProviders<LiveMetrics>();

        var intro = cut.Find("[data-testid=counted]").TextContent;
        Assert.DoesNotContain("Every cache read", intro, StringComparison.Ordinal); // it was not true: see ProductsViaLibraryApiTests
        Assert.Contains("cache-aside reader", intro, StringComparison.Ordinal);
        Assert.Contains("GET /api/products", intro, StringComparison.Ordinal);
        Assert.Contains("without ?via=", intro, StringComparison.Ordinal);
        var notCounted = intro[intro.IndexOf("Not counted:", StringComparison.Ordinal)..];
        Assert.Contains("the stampede race", notCounted, StringComparison.Ordinal);
        Assert.Contains("the libraries lab", notCounted, StringComparison.Ordinal);
        Assert.Contains("?via=hybrid", notCounted, StringComparison.Ordinal);
    }

    [Fact]
    public void Opens_with_the_recent_window_already_drawn()
    {
        Second(9, 1, at: 0);
        Second(3, 1, at: 1);

        var cut = RenderWithProviders<LiveMetrics>();

        Assert.Equal("4", cut.Find("[data-testid=stat-rps]").TextContent);
        Assert.Equal("75 %", cut.Find("[data-testid=stat-hit-rate]").TextContent);
        Assert.Equal("85.7 %", cut.Find("[data-testid=stat-total-hit-rate]").TextContent);
        Assert.Contains("12 hits · 2 misses · 2 database loads", cut.Find("[data-testid=stat-totals]").TextContent, StringComparison.Ordinal);
        var creates = _charts.Invocations["create"];
        Assert.Equal(3, creates.Count);
        var latency = Assert.IsType<ChartConfig>(creates[0].Arguments[1]);
        Assert.True(latency.Logarithmic);
        Assert.Equal([LiveMetrics.CacheP50, LiveMetrics.CacheP95, LiveMetrics.DatabaseP50, LiveMetrics.DatabaseP95], latency.Series.Select(s => s.Name));
        Assert.All(latency.Series, s => Assert.Equal(2, s.Data.Count));
        Assert.Equal(40, latency.Series[2].Data[1][1]);
        var hitRate = Assert.IsType<ChartConfig>(creates[1].Arguments[1]);
        Assert.Equal([90.0, 75.0], Assert.Single(hitRate.Series).Data.Select(p => p[1]));
        var requests = Assert.IsType<ChartConfig>(creates[2].Arguments[1]);
        Assert.Equal([10.0, 4.0], Assert.Single(requests.Series).Data.Select(p => p[1]));
    }

    [Fact]
    public void Each_published_snapshot_updates_numbers_and_both_charts()
    {
        var cut = RenderWithProviders<LiveMetrics>();

        Second(1, 1, hitMs: 0.8, loadMs: 25);

        cut.WaitForAssertion(() => Assert.Equal("50 %", cut.Find("[data-testid=stat-hit-rate]").TextContent), TimeSpan.FromSeconds(15));
        Assert.Contains("25 ms", cut.Find("[data-testid=row-database]").TextContent, StringComparison.Ordinal);
        Assert.Contains("0.80 ms", cut.Find("[data-testid=row-cache]").TextContent, StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.Equal(3, _charts.Invocations["update"].Count), TimeSpan.FromSeconds(15));
        var hitRate = Assert.IsAssignableFrom<IReadOnlyList<ChartSeriesData>>(_charts.Invocations["update"][1].Arguments[1]);
        Assert.Equal(50.0, Assert.Single(Assert.Single(hitRate).Data)[1]);
    }

    [Fact]
    public void A_second_without_reads_shows_dashes_not_invented_numbers()
    {
        Second(0, 0);

        var cut = RenderWithProviders<LiveMetrics>();

        Assert.Equal("–", cut.Find("[data-testid=stat-hit-rate]").TextContent);
        Assert.Equal("–", cut.Find("[data-testid=stat-total-hit-rate]").TextContent);
        Assert.Contains("–", cut.Find("[data-testid=row-cache]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Reset_totals_sets_the_shared_counts_to_zero()
    {
        Second(5, 5);
        ActAsTeacher();
        var cut = RenderWithProviders<LiveMetrics>();

        cut.Find("[data-testid=reset-totals] button, button[data-testid=reset-totals]").Click();

        Assert.Equal(0, _aggregator.Totals.Hits);
        Assert.Contains("0 hits · 0 misses · 0 database loads", cut.Find("[data-testid=stat-totals]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_learner_cannot_reset_the_class_totals()
    {
        Second(5, 5);
        var cut = RenderWithProviders<LiveMetrics>();
        var button = cut.FindComponents<MudBlazor.MudButton>().Single(b => Equals(b.Instance.UserAttributes.GetValueOrDefault("data-testid"), "reset-totals"));

        Assert.True(cut.Find("button[data-testid=reset-totals]").HasAttribute("disabled"));
        Assert.Contains(BlazorRedis.App.Components.Shared.TeacherOnlyNote.Text, cut.Find("[data-testid=teacher-only]").TextContent, StringComparison.Ordinal);
        await cut.InvokeAsync(() => button.Instance.OnClick.InvokeAsync()); // as a crafted circuit event would

        Assert.Equal(5, _aggregator.Totals.Hits);
    }

    [Fact]
    public async Task Alone_the_fleet_read_each_second_does_not_redraw_the_page()
    {
        // FleetMetricsPublisher raises Updated every second even for one instance (with ScaleOut:FleetMetrics off, it
        // reports this instance alone). The page's own second redraws it; the fleet read must not redraw it again.
        Second(3, 1, at: 0);
        var cut = RenderWithProviders<LiveMetrics>();
        var fleet = Services.GetRequiredService<FleetMetricsPublisher>();
        var renders = cut.RenderCount;

        var alone = await fleet.PublishAsync(_aggregator.Recent[^1]);
        await cut.InvokeAsync(() => { });

        Assert.Single(alone.Instances);
        Assert.Equal(renders, cut.RenderCount);
        Assert.Empty(_charts.Invocations["update"]);
        Assert.Empty(_charts.Invocations["append"]);
        Assert.Empty(cut.FindAll("[data-testid=fleet]"));

        // This instance's own second still redraws the numbers and the charts.
        Second(1, 1, at: 1);
        cut.WaitForAssertion(() => Assert.Equal("50 %", cut.Find("[data-testid=stat-hit-rate]").TextContent), TimeSpan.FromSeconds(15));
        Assert.True(cut.RenderCount > renders);
        cut.WaitForAssertion(() => Assert.Equal(3, _charts.Invocations["append"].Count), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Closing_the_page_unsubscribes_from_the_feed()
    {
        var cut = RenderWithProviders<LiveMetrics>();
        var handlers = typeof(CacheMetricsAggregator).GetField("SnapshotPublished", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!;
        Assert.NotNull(handlers.GetValue(_aggregator));

        await DisposeComponentsAsync();

        Assert.Null(handlers.GetValue(_aggregator));
        Second(1, 0);
        Assert.Empty(_charts.Invocations["update"]);
    }
}

/// <summary>The fleet card: two real publishers (two instances) sharing one hash in the real Redis.</summary>
public sealed class LiveMetricsFleetTests : MudTestContext
{
    private readonly CacheMetrics _mineMetrics = new();
    private readonly CacheMetrics _otherMetrics = new();
    private readonly CacheMetricsAggregator _mine;
    private readonly CacheMetricsAggregator _other;
    private readonly FleetMetricsPublisher _minePublisher;
    private readonly FleetMetricsPublisher _otherPublisher;
    private readonly ServiceProvider _redisServices;

    private readonly Clock _clock = new();

    public LiveMetricsFleetTests(RedisServerFixture redis)
    {
        _mine = new CacheMetricsAggregator(_mineMetrics, Options.Create(new CacheMetricsOptions()));
        _other = new CacheMetricsAggregator(_otherMetrics, Options.Create(new CacheMetricsOptions()));
        var prefix = $"lmfleet{Guid.NewGuid():N}"[..15] + ":";
        _redisServices = new ServiceCollection().AddSingleton(redis.Multiplexer).BuildServiceProvider();
        FleetMetricsPublisher Publisher(CacheMetricsAggregator feed, string name, TimeProvider? time = null) => new(
            feed, _redisServices, new BlazorRedis.Core.Keys.RedisKeyspace(prefix), Options.Create(new FleetMetricsOptions { FleetMetrics = true, InstanceId = name }), time);
        _minePublisher = Publisher(_mine, "web-a", _clock);
        _otherPublisher = Publisher(_other, "web-b");
        Services.AddSingleton<ICacheMetricsFeed>(_mine);
        Services.AddSingleton(Options.Create(new CacheMetricsOptions()));
        Services.AddSingleton(_minePublisher);
        var charts = JSInterop.SetupModule(ApexChart.ModulePath);
        charts.SetupVoid("create", _ => true).SetVoidResult();
        charts.SetupVoid("update", _ => true).SetVoidResult();
        charts.SetupVoid("dispose", _ => true).SetVoidResult();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _redisServices.Dispose();
            _mine.Dispose();
            _other.Dispose();
            _mineMetrics.Dispose();
            _otherMetrics.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>This instance's clock when it reads the fleet: moved on, it sees the others' seconds grow old.</summary>
    private sealed class Clock : TimeProvider
    {
        public TimeSpan Ahead { get; set; }

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + Ahead;
    }

    private static MetricsSnapshot Second(CacheMetricsAggregator aggregator, CacheMetrics metrics, int hits, int misses, double hitMs = 0.5)
    {
        for (var i = 0; i < hits; i++)
        {
            metrics.RecordHit(TimeSpan.FromMilliseconds(hitMs));
        }

        for (var i = 0; i < misses; i++)
        {
            metrics.RecordMiss();
            metrics.RecordDatabaseLoad(TimeSpan.FromMilliseconds(30));
        }

        return aggregator.Flush(DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task With_a_second_live_instance_the_page_shows_the_fleet_total_and_each_instance()
    {
        await _minePublisher.PublishAsync(Second(_mine, _mineMetrics, 0, 0));
        var cut = RenderWithProviders<LiveMetrics>();
        Assert.Empty(cut.FindAll("[data-testid=fleet]")); // alone: the page as it always was

        await _otherPublisher.PublishAsync(Second(_other, _otherMetrics, 5, 1, hitMs: 2));
        await _minePublisher.PublishAsync(Second(_mine, _mineMetrics, 3, 0));

        cut.WaitForAssertion(() => Assert.Contains("2 instances", cut.Find("[data-testid=fleet]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        var total = cut.Find("[data-testid=fleet-total]").QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(["All instances", "9", "8", "1", "1", "88.9 %"], total);
        var rows = cut.FindAll("[data-testid=fleet-instance]");
        Assert.Equal(["web-a", "web-b"], rows.Select(r => r.GetAttribute("data-instance")));
        Assert.Contains("this one", rows[0].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("this one", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Equal(["3", "3", "0"], rows[0].QuerySelectorAll("td").Skip(1).Take(3).Select(td => td.TextContent.Trim()));
        Assert.Equal(["6", "5", "1"], rows[1].QuerySelectorAll("td").Skip(1).Take(3).Select(td => td.TextContent.Trim()));

        // The hit-rate chart: this instance's line, web-b's own line from what it published (5 hits, 1 miss), and the
        // fleet's: this second, 8 hits and 1 miss across both.
        var hitRate = Chart(cut, "hit-rate-chart");
        var webB = LiveMetrics.OfInstance(LiveMetrics.HitRateName, "web-b");
        cut.WaitForAssertion(() => Assert.Equal([LiveMetrics.HitRateName, webB, LiveMetrics.FleetHitRateName], hitRate.Series.Select(x => x.Name)), TimeSpan.FromSeconds(15));
        Assert.Equal(500.0 / 6, Assert.Single(hitRate.Series[1].Points).Value!.Value, 6);
        Assert.Equal(800.0 / 9, hitRate.Series[2].Points[^1].Value!.Value, 6);
        Assert.Contains("this instance, each other instance and all instances", cut.Markup, StringComparison.Ordinal);

        // Requests per second add up the same way: web-a 3, web-b 6, the fleet 9.
        var requests = Chart(cut, "requests-chart");
        Assert.Equal(
            [LiveMetrics.RequestsName, LiveMetrics.OfInstance(LiveMetrics.RequestsName, "web-b"), LiveMetrics.FleetRequestsName],
            requests.Series.Select(x => x.Name));
        Assert.Equal(3, requests.Series[0].Points[^1].Value);
        Assert.Equal(6, Assert.Single(requests.Series[1].Points).Value);
        Assert.Equal(9, requests.Series[2].Points[^1].Value);

        // Latency: web-b's own p95s as web-b measured them (its hits took 2 ms, its load 30 ms), beside this instance's
        // lines; no fleet line, since percentiles do not add up.
        var latency = Chart(cut, "latency-chart");
        Assert.Equal(
            [
                LiveMetrics.CacheP50, LiveMetrics.CacheP95, LiveMetrics.DatabaseP50, LiveMetrics.DatabaseP95,
                LiveMetrics.OfInstance(LiveMetrics.CacheP95, "web-b"), LiveMetrics.OfInstance(LiveMetrics.DatabaseP95, "web-b"),
            ],
            latency.Series.Select(x => x.Name));
        Assert.Equal(2, Assert.Single(latency.Series[4].Points).Value!.Value, 3);
        Assert.Equal(30, Assert.Single(latency.Series[5].Points).Value!.Value, 3);
        Assert.Equal(0.5, latency.Series[1].Points[^1].Value!.Value, 3);
        Assert.Contains("each other instance's own p95", cut.Markup, StringComparison.Ordinal);

        // The stats API's shape: each instance's own p95s, none for the sum.
        var b = _minePublisher.Latest.Instances[1];
        Assert.Equal(("web-b", 2.0, 30.0), (b.Instance, Math.Round(b.CacheP95!.Value, 3), Math.Round(b.DatabaseP95!.Value, 3)));
        Assert.Null(_minePublisher.Latest.Sum.CacheP95);

        // web-b publishes again: its lines gain a point.
        await _otherPublisher.PublishAsync(Second(_other, _otherMetrics, 2, 2));
        await _minePublisher.PublishAsync(Second(_mine, _mineMetrics, 1, 0));
        cut.WaitForAssertion(() => Assert.Equal(2, Chart(cut, "hit-rate-chart").Series[1].Points.Count), TimeSpan.FromSeconds(15));
        Assert.Equal(50, Chart(cut, "hit-rate-chart").Series[1].Points[^1].Value);
        Assert.Equal("Reset this instance's totals", cut.Find("[data-testid=reset-totals]").TextContent.Trim());

        // The other instance stops: it leaves the fleet, and the card goes with it.
        await _otherPublisher.StopAsync(Xunit.TestContext.Current.CancellationToken);
        await _minePublisher.PublishAsync(Second(_mine, _mineMetrics, 1, 0));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=fleet]")), TimeSpan.FromSeconds(15));
        Assert.Equal([LiveMetrics.HitRateName], Chart(cut, "hit-rate-chart").Series.Select(x => x.Name));
        Assert.Equal([LiveMetrics.RequestsName], Chart(cut, "requests-chart").Series.Select(x => x.Name));
        Assert.Equal(4, Chart(cut, "latency-chart").Series.Count);
    }

    [Fact]
    public async Task An_instance_that_stops_publishing_loses_its_lines_after_the_alive_window()
    {
        await _otherPublisher.PublishAsync(Second(_other, _otherMetrics, 4, 0));
        await _minePublisher.PublishAsync(Second(_mine, _mineMetrics, 1, 0));
        var cut = RenderWithProviders<LiveMetrics>();
        await _minePublisher.PublishAsync(Second(_mine, _mineMetrics, 1, 0));
        var webB = LiveMetrics.OfInstance(LiveMetrics.RequestsName, "web-b");
        cut.WaitForAssertion(() => Assert.Contains(webB, Chart(cut, "requests-chart").Series.Select(x => x.Name)), TimeSpan.FromSeconds(15));

        // web-b says nothing more (it died without removing itself); past FleetAliveSeconds (5) this instance leaves it out.
        _clock.Ahead = TimeSpan.FromSeconds(10);
        await _minePublisher.PublishAsync(Second(_mine, _mineMetrics, 1, 0));

        cut.WaitForAssertion(() => Assert.Equal([LiveMetrics.RequestsName], Chart(cut, "requests-chart").Series.Select(x => x.Name)), TimeSpan.FromSeconds(15));
        Assert.Equal([LiveMetrics.HitRateName], Chart(cut, "hit-rate-chart").Series.Select(x => x.Name));
        Assert.Equal(4, Chart(cut, "latency-chart").Series.Count);
        Assert.Empty(cut.FindAll("[data-testid=fleet]"));
    }

    private static ApexChart Chart(IRenderedComponent<LiveMetrics> cut, string testId) =>
        cut.FindComponents<ApexChart>().Single(c => c.Instance.TestId == testId).Instance;
}
