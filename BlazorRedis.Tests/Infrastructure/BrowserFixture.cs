using Microsoft.Playwright;

namespace BlazorRedis.Tests.Infrastructure;

/// <summary>
/// One headless Debian Chromium per test class (Playwright never downloads a browser here), the app on
/// Kestrel beside it, and a fresh browser context (own cookies, so own learner) per test.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private readonly RedisServerFixture _redis;
    private IPlaywright? _playwright;

    public BrowserFixture(RedisServerFixture redis) => _redis = redis;

    public IBrowser Browser { get; private set; } = null!;

    public BlazorRedisAppFactory App { get; private set; } = null!;

    /// <summary>Where screenshots go (under the test output folder).</summary>
    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>
    /// How long waits and web-first assertions (<c>Expect(...)</c>) keep retrying. Generous for a loaded 2-core CI box:
    /// a wait returns as soon as the page is in the expected state, so only a failing test pays for it.
    /// </summary>
    public const int PatienceMs = 30_000;

    public async ValueTask InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(PatienceMs);
        App = new BlazorRedisAppFactory(_redis.Configuration).Start();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("BLAZORREDIS_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A new page in a new context (a new learner), at 1920x1080 like a projector.</summary>
    public async Task<IPage> NewPageAsync(int width = 1920, int height = 1080)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(PatienceMs);
        return await context.NewPageAsync();
    }

    /// <summary>Opens <paramref name="path"/> and waits until the Blazor circuit is live (clicks before that are lost).</summary>
    public async Task<IPage> OpenAsync(string path, int width = 1920, int height = 1080)
    {
        var page = await NewPageAsync(width, height);
        await page.GotoAsync(path);
        await page.Locator("[data-interactive='true']").WaitForAsync();
        return page;
    }

    /// <summary>Like <see cref="OpenAsync"/>, in a context that opened the teacher link first (the teacher's browser).</summary>
    public async Task<IPage> OpenAsTeacherAsync(string path, int width = 1920, int height = 1080)
    {
        var page = await NewPageAsync(width, height);
        await page.GotoAsync(App.TeacherLinkPath);
        await page.GotoAsync(path);
        await page.Locator("[data-interactive='true']").WaitForAsync();
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await App.DisposeAsync();
    }
}
