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
        Assert.Equal(2, creates.Count);
        var latency = Assert.IsType<ChartConfig>(creates[0].Arguments[1]);
        Assert.True(latency.Logarithmic);
        Assert.Equal([LiveMetrics.CacheP50, LiveMetrics.CacheP95, LiveMetrics.DatabaseP50, LiveMetrics.DatabaseP95], latency.Series.Select(s => s.Name));
        Assert.All(latency.Series, s => Assert.Equal(2, s.Data.Count));
        Assert.Equal(40, latency.Series[2].Data[1][1]);
        var hitRate = Assert.IsType<ChartConfig>(creates[1].Arguments[1]);
        Assert.Equal([90.0, 75.0], Assert.Single(hitRate.Series).Data.Select(p => p[1]));
    }

    [Fact]
    public void Each_published_snapshot_updates_numbers_and_both_charts()
    {
        var cut = RenderWithProviders<LiveMetrics>();

        Second(1, 1, hitMs: 0.8, loadMs: 25);

        cut.WaitForAssertion(() => Assert.Equal("50 %", cut.Find("[data-testid=stat-hit-rate]").TextContent), TimeSpan.FromSeconds(15));
        Assert.Contains("25 ms", cut.Find("[data-testid=row-database]").TextContent, StringComparison.Ordinal);
        Assert.Contains("0.80 ms", cut.Find("[data-testid=row-cache]").TextContent, StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.Equal(2, _charts.Invocations["update"].Count), TimeSpan.FromSeconds(15));
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
