using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorRedis.Tests.Faults;

/// <summary>An open dashboard while its Redis (the test's own, on a fixed port) stops and comes back.</summary>
public class RedisOutageBrowserTests
{
    private const string WatchReconnect = """
        () => {
            window.__reconnectShown = false;
            const check = () => {
                const d = document.getElementById('components-reconnect-modal');
                if (d && (d.open || d.className.includes('components-reconnect-show') || d.className.includes('components-reconnect-failed'))) {
                    window.__reconnectShown = true;
                }
            };
            new MutationObserver(check).observe(document.documentElement, { subtree: true, attributes: true, childList: true });
            check();
        }
        """;

    // When the banner entered the page (first time) and last left it, on the wall clock (the test reads the same clock):
    // measured inside the page so a busy machine's polling delay does not count against the app.
    private const string WatchBanner = """
        () => {
            window.__bannerShownAt = null;
            window.__bannerClearedAt = null;
            const check = () => {
                const present = document.querySelector('[data-testid=redis-unavailable]') !== null;
                if (present) {
                    window.__bannerShownAt ??= Date.now();
                    window.__bannerClearedAt = null;
                } else if (window.__bannerShownAt !== null && window.__bannerClearedAt === null) {
                    window.__bannerClearedAt = Date.now();
                }
            };
            new MutationObserver(check).observe(document.body, { subtree: true, childList: true });
            check();
        }
        """;

    [Fact]
    public async Task The_banner_appears_within_2_s_of_redis_stopping_and_clears_within_5_s_of_its_return_without_losing_the_circuit()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await RestartableRedis.StartAsync();
        await using var app = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?>
        {
            ["Catalog:DatabaseLatencyMs"] = "20",
        }).Start();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("BLAZORREDIS_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1920, Height = 1080 },
        });
        context.SetDefaultTimeout(BrowserFixture.PatienceMs);
        Assertions.SetDefaultExpectTimeout(BrowserFixture.PatienceMs);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/caching");
        await page.Locator("[data-interactive='true']").WaitForAsync();
        await page.EvaluateAsync(WatchReconnect);
        var banner = page.Locator("[data-testid=redis-unavailable]");
        await Expect(banner).ToHaveCountAsync(0);
        await page.EvaluateAsync(WatchBanner);

        redis.Stop();
        var downAt = DateTimeOffset.UtcNow;
        await Expect(banner).ToBeVisibleAsync();
        var shownAfter = await PageTimeAsync(page, "__bannerShownAt") - downAt;
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        await Expect(banner).ToBeVisibleAsync();

        await redis.StartAgainAsync();
        var upAt = DateTimeOffset.UtcNow;
        await Expect(banner).ToHaveCountAsync(0);
        var clearedAfter = await PageTimeAsync(page, "__bannerClearedAt") - upAt;
        TestContext.Current.TestOutputHelper?.WriteLine($"banner shown {shownAfter.TotalMilliseconds:0} ms after Redis stopped, cleared {clearedAfter.TotalMilliseconds:0} ms after it returned");

        // The same circuit still answers clicks: a race reads the product through the recovered cache.
        await Expect(page.Locator("[data-interactive='true']")).ToHaveCountAsync(1);
        await page.Locator("button[data-testid=race]").ClickAsync();
        await Expect(page.Locator("[data-testid=source-cached]")).ToHaveAttributeAsync("data-source", "database");
        await page.Locator("button[data-testid=race]").ClickAsync();
        await Expect(page.Locator("[data-testid=source-cached]")).ToHaveAttributeAsync("data-source", "cache");
        Assert.False(await page.EvaluateAsync<bool>("() => window.__reconnectShown"), "the reconnect dialog was shown: the circuit was lost");
        Assert.True(shownAfter < TimeSpan.FromSeconds(2), $"banner after {shownAfter}");
        Assert.True(clearedAfter < TimeSpan.FromSeconds(5), $"banner cleared after {clearedAfter}");
    }

    private static async Task<DateTimeOffset> PageTimeAsync(IPage page, string variable)
    {
        var ms = await page.EvaluateAsync<double?>($"() => window.{variable}");
        Assert.True(ms is not null, $"the page never recorded {variable}");
        return DateTimeOffset.FromUnixTimeMilliseconds((long)ms.Value);
    }
}
