using System.Globalization;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorRedis.Tests.Browser;

/// <summary>A learner fires a burst at the four limiters and races the read-then-write counter against Lua.</summary>
public class RateLimitingBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static LocatorWaitForOptions Patient { get; } = new() { Timeout = 45_000 };

    [Fact]
    public async Task A_burst_shows_allowed_and_rejected_requests_for_every_algorithm()
    {
        var page = await browser.OpenAsync("/rate-limiting");
        await Expect(page.Locator("[data-testid=page-title]")).ToHaveTextAsync("Rate limiting", new() { UseInnerText = true });
        await SetAsync(page, "burst-size", "15");
        await SetAsync(page, "burst-spacing", "20");
        // Fixed windows start on the clock: a boundary inside the burst would give fixed window two fresh windows.
        var lab = browser.App.Services.GetRequiredService<RateLimitLab>();
        await lab.WaitForRoomInWindowAsync(lab.Rule.Window, lab.Rule.Window * 0.6, cancellationToken: TestContext.Current.CancellationToken);

        await page.Locator("[data-testid=fire-burst]").ClickAsync();

        await page.Locator("[data-testid=burst-summary]").WaitForAsync(Patient);
        foreach (var slug in new[] { "fixed-window", "sliding-log", "sliding-counter", "token-bucket" })
        {
            // One bar per answer: all 15 drawn means the counts beside them are final.
            await Expect(page.Locator($"[data-testid=timeline-{slug}] [data-testid=bar]")).ToHaveCountAsync(15);
            var allowed = await CountAsync(page, $"allowed-{slug}");
            var rejected = await CountAsync(page, $"rejected-{slug}");
            Assert.Equal(15, allowed + rejected);
            Assert.True(allowed >= 10, $"{slug} allowed {allowed}");
            Assert.True(rejected > 0, $"{slug} rejected none");
        }

        // 15 requests in well under one 10-s window: the log can never hold more than the limit.
        await Expect(page.Locator("[data-testid=allowed-sliding-log]")).ToHaveTextAsync("10");
        await Expect(page.Locator("[data-testid=trace-table]")).ToContainTextAsync("EVALSHA");

        await SetAsync(page, "race-concurrency", "60");
        await page.Locator("[data-testid=race-run]").ClickAsync();
        await page.Locator("[data-testid=race-result]").WaitForAsync(Patient);
        await Expect(page.Locator("[data-testid=race-lua-admitted]")).ToHaveTextAsync("10");
        Assert.True(await CountAsync(page, "race-naive-admitted") >= 10); // drawn with the Lua count, in the same render

        Directory.CreateDirectory(BrowserFixture.ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "rate-limiting.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_boundary_burst_shows_fixed_window_admitting_more_than_the_sliding_log()
    {
        var page = await browser.OpenAsync("/rate-limiting");

        await PageHistory.WatchAsync(page, "[data-testid=boundary-progress]");

        await page.Locator("[data-testid=boundary-run]").ClickAsync();

        await page.Locator("[data-testid=boundary-result]").WaitForAsync(Patient);
        // The progress line can show for as little as half a second before the result replaces it: recorded in the page.
        Assert.NotEmpty(await PageHistory.SeenAsync(page, "[data-testid=boundary-progress]"));
        await Expect(page.Locator("[data-testid=boundary-total-sliding-log]")).ToHaveTextAsync("10");
        var fixedWindow = await CountAsync(page, "boundary-total-fixed-window"); // drawn with the table, in the same render
        Assert.InRange(fixedWindow, 10, 20);
        await Expect(page.Locator("[data-testid=trace-table]")).ToContainTextAsync("TIME");

        Directory.CreateDirectory(BrowserFixture.ScreenshotDirectory);
        await page.Locator("[data-testid=boundary]").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "rate-limiting-boundary.png") });
        await page.Context.CloseAsync();
    }

    /// <summary>MudBlazor numeric fields take the value when the input loses focus.</summary>
    private static async Task SetAsync(IPage page, string testId, string value)
    {
        var input = page.Locator($"input[data-testid={testId}]");
        await input.FillAsync(value);
        await input.PressAsync("Tab");
        await Assertions.Expect(input).ToHaveValueAsync(value);
    }

    private static async Task<int> CountAsync(IPage page, string testId) =>
        int.Parse((await page.Locator($"[data-testid={testId}]").InnerTextAsync()).Trim(), CultureInfo.InvariantCulture);
}
