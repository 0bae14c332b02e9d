using BlazorRedis.App.Components.Shared.Charts;
using BlazorRedis.Tests.Infrastructure;
using Bunit;

namespace BlazorRedis.Tests.App.Components.Shared.Charts;

public class ApexChartTests : MudTestContext
{
    private static DateTimeOffset T0 { get; } = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly BunitJSModuleInterop _module;

    public ApexChartTests()
    {
        _module = JSInterop.SetupModule(ApexChart.ModulePath);
        _module.SetupVoid("create", _ => true);
        _module.SetupVoid("update", _ => true);
        _module.SetupVoid("append", _ => true);
        _module.SetupVoid("dispose", _ => true);
    }

    private static IReadOnlyList<ChartSeries> Latency(params double?[] values) => LatencyFrom(0, values);

    private static IReadOnlyList<ChartSeries> LatencyFrom(int firstSecond, params double?[] values) =>
        [new ChartSeries("Cache p50", values.Select((v, i) => new ChartPoint(T0.AddSeconds(firstSecond + i), v)).ToList(), "#2e7d32")];

    [Fact]
    public void First_render_creates_the_chart_with_the_series_and_options()
    {
        var cut = RenderWithProviders<ApexChart>(p => p
            .Add(c => c.Series, Latency(0.4, null, 0.6))
            .Add(c => c.Logarithmic, true)
            .Add(c => c.Unit, "ms")
            .Add(c => c.Window, TimeSpan.FromSeconds(60))
            .Add(c => c.Height, 320)
            .Add(c => c.TestId, "latency"));

        var create = _module.VerifyInvoke("create");
        var config = Assert.IsType<ChartConfig>(create.Arguments[1]);

        Assert.Equal("min-height:320px", cut.Find("[data-testid=latency]").GetAttribute("style"));
        Assert.Equal("line", config.Kind);
        Assert.True(config.Logarithmic);
        Assert.Equal("ms", config.Unit);
        Assert.Equal(60_000, config.WindowMs);
        Assert.Equal("auto", config.Theme);
        Assert.Equal(["#2e7d32"], config.Colors);
        var series = Assert.Single(config.Series);
        Assert.Equal("Cache p50", series.Name);
        Assert.Equal(3, series.Data.Count);
        Assert.Equal([T0.ToUnixTimeMilliseconds(), 0.4], series.Data[0]);
        Assert.Null(series.Data[1][1]);
        Assert.Empty(_module.Invocations["update"]);
    }

    [Fact]
    public void Changed_series_are_sent_whole_as_an_update_not_a_new_chart()
    {
        var cut = RenderWithProviders<ApexChart>(p => p.Add(c => c.Series, Latency(0.4, 0.5)));

        cut.Render(p => p.Add(c => c.Series, Latency(0.9, 0.5, 0.7)));

        _module.VerifyInvoke("create", calledTimes: 1);
        var update = _module.VerifyInvoke("update");
        var series = Assert.IsAssignableFrom<IReadOnlyList<ChartSeriesData>>(update.Arguments[1]);
        Assert.Equal([0.9, 0.5, 0.7], Assert.Single(series).Data.Select(p => p[1]));
        Assert.Empty(_module.Invocations["append"]);
    }

    [Fact]
    public void A_window_that_only_slid_sends_just_the_new_points_and_how_many_to_keep()
    {
        var cut = RenderWithProviders<ApexChart>(p => p.Add(c => c.Series, LatencyFrom(0, 0.4, 0.5, 0.6)));

        cut.Render(p => p.Add(c => c.Series, LatencyFrom(1, 0.5, 0.6, 0.8)));

        var append = _module.VerifyInvoke("append");
        var fresh = Assert.Single(Assert.IsAssignableFrom<IReadOnlyList<ChartSeriesData>>(append.Arguments[1]));
        Assert.Equal([T0.AddSeconds(3).ToUnixTimeMilliseconds(), 0.8], Assert.Single(fresh.Data));
        Assert.Equal([3], Assert.IsAssignableFrom<IReadOnlyList<int>>(append.Arguments[2]));
        Assert.Empty(_module.Invocations["update"]);
    }

    [Fact]
    public void Rendering_again_with_the_same_series_sends_nothing()
    {
        var same = Latency(1, 2);
        var cut = RenderWithProviders<ApexChart>(p => p.Add(c => c.Series, same));

        cut.Render(p => p.Add(c => c.Series, same).Add(c => c.Height, 200));

        Assert.Empty(_module.Invocations["update"]);
    }

    [Fact]
    public async Task Disposing_the_component_destroys_the_chart()
    {
        RenderWithProviders<ApexChart>(p => p.Add(c => c.Series, Latency(1)));

        await DisposeComponentsAsync();

        var dispose = _module.VerifyInvoke("dispose");
        Assert.Single(dispose.Arguments);
    }

    [Theory]
    [InlineData(ChartTheme.Dark, ChartKind.Area, "dark", "area")]
    [InlineData(ChartTheme.Light, ChartKind.Line, "light", "line")]
    public void Theme_and_kind_reach_the_chart(ChartTheme theme, ChartKind kind, string expectedTheme, string expectedKind)
    {
        RenderWithProviders<ApexChart>(p => p.Add(c => c.Series, Latency(1)).Add(c => c.Theme, theme).Add(c => c.Kind, kind).Add(c => c.YMin, 0).Add(c => c.YMax, 100));

        var config = Assert.IsType<ChartConfig>(_module.VerifyInvoke("create").Arguments[1]);
        Assert.Equal(expectedTheme, config.Theme);
        Assert.Equal(expectedKind, config.Kind);
        Assert.Equal(0, config.YMin);
        Assert.Equal(100, config.YMax);
    }
}
