using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorRedis.Tests.Browser;

/// <summary>A learner opens each demo, runs its scenario, and sees the picture and the commands.</summary>
public class BasicStructureDemosBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly LocatorWaitForOptions Patient = new() { Timeout = 45_000 };

    private async Task<IPage> RunScenarioAsync(string slug, string title)
    {
        var page = await browser.OpenAsync($"/data-structures/{slug}");
        Assert.Equal(title, await page.Locator("[data-testid=page-title]").InnerTextAsync());
        await page.Locator("[data-testid=run-scenario]:not([disabled])").WaitForAsync(Patient);

        await page.Locator("[data-testid=run-scenario]").ClickAsync();

        await page.Locator("[data-testid=narration]:has-text('Step 1')").WaitForAsync(Patient);
        await page.Locator("[data-testid=narration]:has-text('Done')").WaitForAsync(Patient);
        Assert.True(await page.Locator("[data-testid=trace-row]").CountAsync() > 0);
        Assert.Contains("Scenario", await page.Locator("[data-testid=trace-operation]").InnerTextAsync(), StringComparison.Ordinal);
        return page;
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(BrowserFixture.ScreenshotDirectory);
        await page.WaitForTimeoutAsync(800); // let the CSS transitions settle for the picture
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"ds-{name}.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Strings_scenario_shows_the_counter_up_by_a_thousand_and_the_token_expiring()
    {
        var page = await RunScenarioAsync("strings", "Strings");

        Assert.Contains("+1,000", await page.Locator("[data-testid=burst-result]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("hello world", await page.Locator("[data-testid=string-entry]").InnerTextAsync(), StringComparison.Ordinal);

        // The 8-second token runs out while the learner watches; the page then GETs it and shows (nil).
        await page.Locator("[data-testid=token-value]:has-text('(nil)')").WaitForAsync(Patient);
        await page.Locator("[data-testid=trace-row]:has-text('(nil)')").WaitForAsync(Patient);
        await ScreenshotAsync(page, "strings");
    }

    [Fact]
    public async Task Lists_scenario_draws_the_queue_the_workers_and_the_capped_feed()
    {
        var page = await RunScenarioAsync("lists", "Lists");

        Assert.Equal(4, await page.Locator("[data-testid=taken-job]").CountAsync());
        Assert.Equal(5, await page.Locator("[data-testid=activity-item]").CountAsync());
        Assert.Contains("generate_report", await page.Locator("[data-testid=taken-job]").First.InnerTextAsync(), StringComparison.Ordinal);

        await page.Locator("input[data-testid=job-name], [data-testid=job-name] input").FillAsync("from_the_browser");
        await page.Locator("[data-testid=push-job]").ClickAsync();
        await page.Locator("[data-testid=queue-box]:has-text('from_the_browser')").WaitForAsync(Patient);
        await ScreenshotAsync(page, "lists");
    }

    [Fact]
    public async Task Hashes_scenario_shows_the_profile_card_and_the_memory_bars()
    {
        var page = await RunScenarioAsync("hashes", "Hashes");

        Assert.Equal(3, await page.Locator("[data-testid=hash-field]").CountAsync());
        Assert.Matches(@"^[\d,]+ B$", await page.Locator("[data-testid=memory-hash]").InnerTextAsync());
        Assert.Matches(@"^[\d,]+ B$", await page.Locator("[data-testid=memory-strings]").InnerTextAsync());
        await ScreenshotAsync(page, "hashes");
    }

    [Fact]
    public async Task Sets_scenario_draws_the_venn_diagram_with_the_union_shaded()
    {
        var page = await RunScenarioAsync("sets", "Sets");

        Assert.Equal(2, await page.Locator("[data-testid=venn-tag][data-region=both]").CountAsync());
        Assert.Equal(6, await page.Locator("[data-testid=venn-tag]").CountAsync());
        Assert.Equal("all", await page.Locator("[data-testid=venn-shade]").GetAttributeAsync("data-region"));

        await page.Locator("[data-testid=sinter]").ClickAsync();
        await page.Locator("[data-testid=venn-shade][data-region=both]").WaitForAsync(Patient);
        await ScreenshotAsync(page, "sets");
    }

    [Fact]
    public async Task Sorted_sets_scenario_draws_the_re_sorted_leaderboard()
    {
        var page = await RunScenarioAsync("sorted-sets", "Sorted sets");

        Assert.Equal("0", await page.Locator("[data-testid=leaderboard-row][data-player=Alice]").GetAttributeAsync("data-rank"));
        Assert.Equal("2", await page.Locator("[data-testid=leaderboard-row][data-player=Dave]").GetAttributeAsync("data-rank"));
        Assert.Contains("ZREVRANK", await page.Locator("[data-testid=standing-result]").InnerTextAsync(), StringComparison.Ordinal);
        await ScreenshotAsync(page, "sorted-sets");
    }
}
