using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorRedis.Tests.Browser;

/// <summary>A learner works through the caching libraries lab in Chromium, on the real app and Redis.</summary>
public class LibrariesBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly LocatorAssertionsToContainTextOptions Slow = new() { Timeout = 30_000 };

    [Fact]
    public async Task A_learner_reads_three_ways_races_them_and_sees_fail_safe()
    {
        var page = await browser.OpenAsync("/caching/libraries");
        await Expect(page.Locator("[data-testid=page-title]")).ToHaveTextAsync("HybridCache and FusionCache");

        await page.Locator("button[data-testid=read-all]").ClickAsync();
        await Expect(page.Locator("[data-testid=read-row-fusion] [data-testid=layer]")).ToContainTextAsync("Database", Slow);
        await page.Locator("button[data-testid=read-all]").ClickAsync();
        await Expect(page.Locator("[data-testid=read-row-hybrid] [data-testid=layer]")).ToContainTextAsync("Memory (L1)", Slow);
        await Expect(page.Locator("[data-testid=read-row-ours] [data-testid=layer]")).ToContainTextAsync("Redis (L2)", Slow);

        var readers = page.Locator("input[data-testid=readers]");
        await readers.FillAsync("100");
        await readers.PressAsync("Tab");
        await page.Locator("button[data-testid=race]").ClickAsync();
        await Expect(page.Locator("[data-testid=race-hybrid]")).ToContainTextAsync("1 database load", Slow);
        await Expect(page.Locator("[data-testid=race-fusion]")).ToContainTextAsync("1 database load", Slow);
        await Expect(page.Locator("[data-testid=race-ours-lock]")).ToContainTextAsync("1 database load", new() { Timeout = 60_000 });

        await page.Locator("button[data-testid=expire-all]").ClickAsync();
        await Expect(page.Locator("[data-testid=trace-operation]")).ToContainTextAsync("Expire product 1", Slow);
        await page.Locator("[data-testid=database-stopped]").ClickAsync();
        await page.Locator("button[data-testid=read-all]").ClickAsync();
        await Expect(page.Locator("[data-testid=read-row-fusion] [data-testid=layer]")).ToContainTextAsync("Fail-safe", Slow);
        await Expect(page.Locator("[data-testid=read-row-ours] [data-testid=failure]")).ToContainTextAsync("database is stopped", Slow);
        Directory.CreateDirectory(BrowserFixture.ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "caching-libraries.png"), FullPage = true });
    }
}
