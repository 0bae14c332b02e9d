using System.Text.RegularExpressions;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorRedis.Tests.Browser;

public class CachingBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly LocatorAssertionsToHaveAttributeOptions Slow = new() { Timeout = 20_000 };

    internal static async Task SetNumberAsync(IPage page, string testId, string value)
    {
        var input = page.Locator($"input[data-testid={testId}]");
        await input.FillAsync(value);
        await input.PressAsync("Tab");
    }

    private static Task<byte[]> ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(BrowserFixture.ScreenshotDirectory);
        return page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    [Fact]
    public async Task The_race_page_shows_database_then_cache()
    {
        var page = await browser.OpenAsTeacherAsync("/caching");
        await SetNumberAsync(page, "latency-input", "300");
        await page.Locator("button[data-testid=set-latency]").ClickAsync();
        await Expect(page.Locator("[data-testid=latency-now]")).ToContainTextAsync("300 ms");
        await SetNumberAsync(page, "product-id", "42");

        await page.Locator("button[data-testid=race]").ClickAsync();
        await Expect(page.Locator("[data-testid=source-cached]")).ToHaveAttributeAsync("data-source", "database", Slow);

        await page.Locator("button[data-testid=race]").ClickAsync();
        await Expect(page.Locator("[data-testid=source-cached]")).ToHaveAttributeAsync("data-source", "cache", Slow);
        await Expect(page.Locator("[data-testid=source-uncached]")).ToHaveAttributeAsync("data-source", "database");
        await Expect(page.Locator("[data-testid=ttl]")).ToContainTextAsync("s left");
        await Expect(page.Locator("[data-testid=trace-row]").First).ToBeVisibleAsync();
        await ScreenshotAsync(page, "caching-race");

        await page.Locator("button[data-testid=write]").ClickAsync();
        await Expect(page.Locator("[data-testid=invalidation]")).ToContainTextAsync("UNLINK removed 1", new() { Timeout = 20_000 });
    }

    [Fact]
    public async Task The_load_generator_runs_to_completion()
    {
        var page = await browser.OpenAsync("/caching/load");
        await SetNumberAsync(page, "requests", "300");
        await SetNumberAsync(page, "products", "10");

        await page.Locator("button[data-testid=start-load]").ClickAsync();

        await Expect(page.Locator("[data-testid=result-title]")).ToHaveTextAsync("Finished", new() { Timeout = 60_000 });
        await Expect(page.Locator("[data-testid=result-completed]")).ToContainTextAsync("300 of 300");
        await Expect(page.Locator("[data-testid=result-rps]")).ToContainTextAsync("requests/s");
        await ScreenshotAsync(page, "caching-load");
    }

    [Fact]
    public async Task The_other_caching_pages_render_their_lessons_and_run_an_action()
    {
        var stampede = await browser.OpenAsync("/caching/stampede");
        await SetNumberAsync(stampede, "requests", "100");
        await stampede.Locator("button[data-testid=race-lock]").ClickAsync();
        await Expect(stampede.Locator("[data-testid=loads-lock]")).ToHaveTextAsync("1 load", new() { Timeout = 30_000 });
        await ScreenshotAsync(stampede, "caching-stampede");

        var strategies = await browser.OpenAsync("/caching/strategies");
        await Expect(strategies.Locator("[data-testid=queue-length]")).ToBeVisibleAsync();
        await strategies.Locator("button[data-testid=write-behind]").ClickAsync();
        await Expect(strategies.Locator("[data-testid=outcome]")).ToContainTextAsync("queued as entry");
        await ScreenshotAsync(strategies, "caching-strategies");

        var invalidation = await browser.OpenAsTeacherAsync("/caching/invalidation");
        await Expect(invalidation.Locator("[data-testid=lesson]")).ToContainTextAsync("SCAN");
        await invalidation.Locator("button[data-testid=by-pattern]").ClickAsync();
        await Expect(invalidation.Locator("[data-testid=outcome]")).ToHaveTextAsync(new Regex(@"removed in (1 SCAN batch|([02-9]|\d{2,}) SCAN batches)\.$"));
        await ScreenshotAsync(invalidation, "caching-invalidation");
    }
}
