using System.Text.RegularExpressions;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorRedis.Tests.Browser;

/// <summary>A learner opens each of the bitmaps, HyperLogLog, geo and streams demos, runs the scenario and sees the picture and the commands.</summary>
public class AnalyticsStructureDemosBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly LocatorWaitForOptions Long = new() { Timeout = 90_000 };

    [Fact]
    public async Task Bitmaps_scenario_draws_the_login_bits_retention_and_the_million_user_figure()
    {
        var page = await RunScenarioAsync("bitmaps");

        await Expect(page.Locator("[data-testid=bitgrid-day]").First.Locator("rect[data-bit='1']")).ToHaveCountAsync(48);
        await Expect(page.Locator("[data-testid=retention]")).ToContainTextAsync("16 of 48");
        await Expect(page.Locator("[data-testid=memory-figure]")).ToContainTextAsync("125,000 bytes");
        await AssertTraceShowsAsync(page, "BITOP AND");
        await ScreenshotAsync(page, "bitmaps");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task HyperLogLog_scenario_shows_the_estimate_next_to_the_exact_count()
    {
        var page = await RunScenarioAsync("hyperloglog");

        // The story loads 10,000 terms, so a class can run it at once; the million-term stream is the teacher's.
        await Expect(page.Locator("[data-testid=hll-exact]")).ToHaveTextAsync("10,000", new() { UseInnerText = true });
        await Expect(page.Locator("[data-testid=share]")).ToContainTextAsync("a bigger stream is for the teacher");
        await page.Locator("[data-testid=size]").ClickAsync();
        await Expect(page.Locator(".mud-popover-open .mud-list-item-disabled")).ToContainTextAsync("1,000,000 distinct (1,500,000 searches), the teacher's demo");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("[data-testid=hll-error]")).ToHaveTextAsync(new Regex(@"Error: [+-]\d\.\d\d %"), new() { UseInnerText = true });
        await AssertTraceShowsAsync(page, "PFADD");
        await ScreenshotAsync(page, "hyperloglog");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Geo_scenario_plots_the_cafes_with_the_search_circle()
    {
        var page = await RunScenarioAsync("geo");

        await Expect(page.Locator("[data-testid=geo-point]")).ToHaveCountAsync(10);
        await page.Locator("[data-testid=geo-radius]").WaitForAsync();
        await Expect(page.Locator("[data-testid=geo-point][data-hit=true]").Nth(1)).ToBeAttachedAsync(); // at least 2 hits
        await Expect(page.Locator("[data-testid=legacy]")).ToContainTextAsync("GEORADIUS");
        await AssertTraceShowsAsync(page, "GEOSEARCH");
        Assert.Empty(await OverlappingLabelsAsync(page));
        await ScreenshotAsync(page, "geo");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Geo_labels_stay_apart_on_a_phone()
    {
        var page = await browser.OpenAsync("/data-structures/geo", 390, 844);
        await page.Locator("[data-testid=trace-row]").First.WaitForAsync();
        await page.Locator("[data-testid=run-scenario]").ClickAsync();
        await page.Locator("[data-testid=narration]:has-text('Done')").WaitForAsync(Long);

        await Expect(page.Locator("[data-testid=geo-point]")).ToHaveCountAsync(10);
        Assert.Empty(await OverlappingLabelsAsync(page));
        await page.Context.CloseAsync();
    }

    /// <summary>Pairs of map labels whose drawn boxes intersect, and labels drawn over another café's dot, as the browser laid them out.</summary>
    private static Task<string[]> OverlappingLabelsAsync(IPage page) => page.EvaluateAsync<string[]>("""
        () => {
          const labels = [...document.querySelectorAll('[data-testid=geo-plot] .br-geo-label')].map(t => ({ name: t.textContent, r: t.getBoundingClientRect() }));
          const dots = [...document.querySelectorAll('[data-testid=geo-plot] .br-geo-point')].map(c => ({ name: c.closest('[data-name]').dataset.name, r: c.getBoundingClientRect() }));
          const hit = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
          const found = [];
          labels.forEach((a, i) => labels.slice(i + 1).forEach(b => { if (hit(a.r, b.r)) found.push(`${a.name} / ${b.name}`); }));
          labels.forEach(l => dots.forEach(d => { if (!l.name.startsWith(d.name) && hit(l.r, d.r)) found.push(`${l.name} over the dot of ${d.name}`); }));
          return found;
        }
        """);

    [Fact]
    public async Task Geo_refuses_a_latitude_beyond_the_limit_with_a_message()
    {
        var page = await browser.OpenAsync("/data-structures/geo");
        await page.Locator("[data-testid=trace-row]").First.WaitForAsync();

        await page.Locator(Input("cafe-lat")).FillAsync("89");
        await page.Locator("[data-testid=geoadd]").ClickAsync();

        await page.Locator("[data-testid=form-error]:has-text('Latitude must be between')").WaitForAsync();
        await Expect(page.Locator("[data-testid=geo-point]")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Streams_scenario_fills_the_table_and_chart_and_moves_bobs_entries_to_alice()
    {
        var page = await RunScenarioAsync("streams");

        await Expect(page.Locator("[data-testid=stream-row]")).ToHaveCountAsync(10);
        await page.Locator("[data-testid=stream-chart]").WaitForAsync();
        await Expect(page.Locator("[data-testid=pending-chip]:has-text('pending at alice')")).ToHaveCountAsync(4);
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
        await Expect(page.Locator("[data-testid=live-status]")).ToContainTextAsync("XREAD");
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
        await Expect(page.Locator("[data-testid=trace-row]").Nth(1)).ToBeAttachedAsync(); // more than one row
        await Expect(page.Locator($"[data-testid=trace-row]:has-text('{command}')").First).ToBeAttachedAsync();
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(BrowserFixture.ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"demo-{name}.png"), FullPage = true });
    }

    private static string Input(string testId) => $":is(input[data-testid={testId}], [data-testid={testId}] input)";
}
