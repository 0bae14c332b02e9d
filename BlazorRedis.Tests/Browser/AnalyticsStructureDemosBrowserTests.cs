using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorRedis.Tests.Browser;

/// <summary>A learner opens each of the bitmaps, HyperLogLog, geo and streams demos, runs the scenario and sees the picture and the commands.</summary>
public class AnalyticsStructureDemosBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly LocatorWaitForOptions Long = new() { Timeout = 90_000 };

    [Fact]
    public async Task Bitmaps_scenario_draws_the_login_bits_retention_and_the_million_user_figure()
    {
        var page = await RunScenarioAsync("bitmaps");

        Assert.Equal(48, await page.Locator("[data-testid=bitgrid-day]").First.Locator("rect[data-bit='1']").CountAsync());
        Assert.Contains("16 of 48", await page.Locator("[data-testid=retention]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("125,000 bytes", await page.Locator("[data-testid=memory-figure]").InnerTextAsync(), StringComparison.Ordinal);
        await AssertTraceShowsAsync(page, "BITOP AND");
        await ScreenshotAsync(page, "bitmaps");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task HyperLogLog_scenario_shows_the_estimate_next_to_the_exact_count()
    {
        var page = await RunScenarioAsync("hyperloglog");

        Assert.Equal("100,000", (await page.Locator("[data-testid=hll-exact]").InnerTextAsync()).Trim());
        Assert.Matches(@"Error: [+-]\d\.\d\d %", await page.Locator("[data-testid=hll-error]").InnerTextAsync());
        await AssertTraceShowsAsync(page, "PFADD");
        await ScreenshotAsync(page, "hyperloglog");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Geo_scenario_plots_the_cafes_with_the_search_circle()
    {
        var page = await RunScenarioAsync("geo");

        Assert.Equal(10, await page.Locator("[data-testid=geo-point]").CountAsync());
        await page.Locator("[data-testid=geo-radius]").WaitForAsync();
        Assert.True(await page.Locator("[data-testid=geo-point][data-hit=true]").CountAsync() >= 2);
        Assert.Contains("GEORADIUS", await page.Locator("[data-testid=legacy]").InnerTextAsync(), StringComparison.Ordinal);
        await AssertTraceShowsAsync(page, "GEOSEARCH");
        await ScreenshotAsync(page, "geo");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Geo_refuses_a_latitude_beyond_the_limit_with_a_message()
    {
        var page = await browser.OpenAsync("/data-structures/geo");
        await page.Locator("[data-testid=trace-row]").First.WaitForAsync();

        await page.Locator(Input("cafe-lat")).FillAsync("89");
        await page.Locator("[data-testid=geoadd]").ClickAsync();

        await page.Locator("[data-testid=form-error]:has-text('Latitude must be between')").WaitForAsync();
        Assert.Equal(0, await page.Locator("[data-testid=geo-point]").CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Streams_scenario_fills_the_table_and_chart_and_moves_bobs_entries_to_alice()
    {
        var page = await RunScenarioAsync("streams");

        Assert.Equal(10, await page.Locator("[data-testid=stream-row]").CountAsync());
        await page.Locator("[data-testid=stream-chart]").WaitForAsync();
        Assert.Equal(4, await page.Locator("[data-testid=pending-chip]:has-text('pending at alice')").CountAsync());
        await AssertTraceShowsAsync(page, "XAUTOCLAIM");
        await ScreenshotAsync(page, "streams");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Streams_live_sensor_adds_readings_that_the_tail_draws()
    {
        var page = await browser.OpenAsync("/data-structures/streams");
        await page.Locator("[data-testid=trace-row]").First.WaitForAsync();

        await page.Locator(Input("generator")).ClickAsync(new() { Force = true });

        await page.Locator("[data-testid=stream-chart]").WaitForAsync(new() { Timeout = 30_000 });
        Assert.Contains("XREAD", await page.Locator("[data-testid=live-status]").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator(Input("generator")).ClickAsync(new() { Force = true });
        await page.Context.CloseAsync();
    }

    private async Task<IPage> RunScenarioAsync(string slug)
    {
        var page = await browser.OpenAsync($"/data-structures/{slug}");
        await page.Locator("[data-testid=trace-row]").First.WaitForAsync();

        await page.Locator("[data-testid=run-scenario]").ClickAsync();

        await page.Locator("[data-testid=narration]:has-text('Done')").WaitForAsync(Long);
        return page;
    }

    private static async Task AssertTraceShowsAsync(IPage page, string command)
    {
        Assert.True(await page.Locator("[data-testid=trace-row]").CountAsync() > 1);
        Assert.True(await page.Locator($"[data-testid=trace-row]:has-text('{command}')").CountAsync() >= 1, $"no trace row with {command}");
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(BrowserFixture.ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"demo-{name}.png"), FullPage = true });
    }

    private static string Input(string testId) => $":is(input[data-testid={testId}], [data-testid={testId}] input)";
}
