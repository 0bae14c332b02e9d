using System.Globalization;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorRedis.Tests.Browser;

/// <summary>A learner fires a burst at the four limiters and races the read-then-write counter against Lua.</summary>
public class RateLimitingBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static LocatorWaitForOptions Patient { get; } = new() { Timeout = 45_000 };

    [Fact]
    public async Task A_burst_shows_allowed_and_rejected_requests_for_every_algorithm()
    {
        var page = await browser.OpenAsync("/rate-limiting");
        Assert.Equal("Rate limiting", await page.Locator("[data-testid=page-title]").InnerTextAsync());
        await SetAsync(page, "burst-size", "15");
        await SetAsync(page, "burst-spacing", "20");

        await page.Locator("[data-testid=fire-burst]").ClickAsync();

        await page.Locator("[data-testid=burst-summary]").WaitForAsync(Patient);
        foreach (var slug in new[] { "fixed-window", "sliding-log", "sliding-counter", "token-bucket" })
        {
            var allowed = await CountAsync(page, $"allowed-{slug}");
            var rejected = await CountAsync(page, $"rejected-{slug}");
            Assert.Equal(15, allowed + rejected);
            Assert.True(allowed >= 10, $"{slug} allowed {allowed}");
            Assert.True(rejected > 0, $"{slug} rejected none");
        }

        // 15 requests in well under one 10-s window: the log can never hold more than the limit.
        Assert.Equal(10, await CountAsync(page, "allowed-sliding-log"));
        Assert.Equal(15, await page.Locator("[data-testid=timeline-sliding-log] [data-testid=bar]").CountAsync());
        Assert.Contains("EVALSHA", await page.Locator("[data-testid=trace-table]").InnerTextAsync(), StringComparison.Ordinal);

        await SetAsync(page, "race-concurrency", "60");
        await page.Locator("[data-testid=race-run]").ClickAsync();
        await page.Locator("[data-testid=race-result]").WaitForAsync(Patient);
        Assert.Equal(10, await CountAsync(page, "race-lua-admitted"));
        Assert.True(await CountAsync(page, "race-naive-admitted") >= 10);

        Directory.CreateDirectory(BrowserFixture.ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "rate-limiting.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_boundary_burst_shows_fixed_window_admitting_more_than_the_sliding_log()
    {
        var page = await browser.OpenAsync("/rate-limiting");

        await page.Locator("[data-testid=boundary-run]").ClickAsync();

        await page.Locator("[data-testid=boundary-progress]").WaitForAsync(Patient);
        await page.Locator("[data-testid=boundary-result]").WaitForAsync(Patient);
        var fixedWindow = await CountAsync(page, "boundary-total-fixed-window");
        Assert.InRange(fixedWindow, 10, 20);
        Assert.Equal(10, await CountAsync(page, "boundary-total-sliding-log"));
        Assert.Contains("TIME", await page.Locator("[data-testid=trace-table]").InnerTextAsync(), StringComparison.Ordinal);

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
