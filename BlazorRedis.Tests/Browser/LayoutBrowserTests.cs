using System.Text;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorRedis.Tests.Browser;

/// <summary>Every page fits its screen: a phone, a laptop and a projector; long input never widens a page.</summary>
public class LayoutBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>A pattern or a value with no place to break a line, as long as the pattern field allows.</summary>
    private static readonly string LongWord = string.Concat(Enumerable.Repeat("product:4711-", 16))[..200];

    private const string PageWidth = "() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })";

    /// <summary>
    /// One pass over every page per screen: it is no wider than the screen, and a full-page screenshot is kept
    /// (bin/…/screenshots/WxH/) for a person to look over.
    /// </summary>
    [Theory]
    [InlineData(390, 844)]
    [InlineData(1280, 720)]
    [InlineData(1920, 1080)]
    public async Task Every_page_fits_the_screen_and_is_photographed(int width, int height)
    {
        var folder = Path.Combine(BrowserFixture.ScreenshotDirectory, $"{width}x{height}");
        Directory.CreateDirectory(folder);
        var page = await browser.OpenAsync("/", width, height);
        var report = new StringBuilder();
        foreach (var path in await AllPathsAsync(page))
        {
            await AppPages.GoAsync(page, path);
            await page.Locator("[data-testid=status-chip][data-connected=true]").WaitForAsync();
            var size = await page.EvaluateAsync<PageSize>(PageWidth);
            if (size.Scroll > size.Inner)
            {
                report.AppendLine($"{path}: {size.Scroll} px wide on a {size.Inner} px screen; widest: {await WidestAsync(page)}");
            }

            var file = Path.Combine(folder, (path.Trim('/').Replace('/', '-') is { Length: > 0 } name ? name : "home") + ".png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
            if (new FileInfo(file).Length <= 5_000)
            {
                report.AppendLine($"{path}: the screenshot is blank ({file})");
            }
        }

        Assert.True(report.Length == 0, report.ToString());
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(390, 844)]
    [InlineData(1280, 720)]
    public async Task A_200_character_pattern_without_spaces_does_not_widen_the_invalidation_page(int width, int height)
    {
        var page = await browser.OpenAsTeacherAsync("/caching/invalidation", width, height);

        await page.Locator("input[data-testid=pattern]").FillAsync(LongWord);
        await page.Locator("[data-testid=by-pattern]").ClickAsync();
        await AssertEchoedWithinTheScreenAsync(page);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(390, 844)]
    [InlineData(1280, 720)]
    public async Task A_200_character_value_without_spaces_does_not_widen_the_strings_demo(int width, int height)
    {
        var page = await browser.OpenAsync(await DemoPathAsync("strings"), width, height);

        await page.Locator("input[data-testid=key-name]").FillAsync("long");
        await page.Locator("input[data-testid=key-value]").FillAsync(LongWord);
        await page.Locator("[data-testid=set]").ClickAsync();
        await AssertEchoedWithinTheScreenAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task On_a_phone_the_theme_toggle_is_on_screen()
    {
        var page = await browser.OpenAsync("/rate-limiting", 390, 844);
        await page.Locator("[data-testid=status-chip][data-connected=true]").WaitForAsync();

        var toggle = page.Locator("[data-testid=theme-toggle]");
        await Expect(toggle).ToBeInViewportAsync(new() { Ratio = 1 });
        await toggle.ClickAsync();
        await Expect(page.Locator("[data-theme=dark]")).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/caching")]
    [InlineData("/sessions")]
    public async Task At_1280_by_720_live_metrics_is_in_the_menu_without_scrolling(string path)
    {
        var page = await browser.OpenAsync(path, 1280, 720);
        var metrics = page.Locator("[data-testid=nav] a[href='/metrics']");

        await Expect(metrics).ToBeInViewportAsync(new() { Ratio = 1 });
        // In the viewport is not enough when the drawer itself clips it: the link must be what is drawn there.
        Assert.True(await metrics.EvaluateAsync<bool>("""
            a => { const r = a.getBoundingClientRect(); const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2); return a.contains(hit); }
            """), "Live metrics is hidden below the fold of the menu");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task At_1280_by_720_live_metrics_stays_in_view_with_both_groups_open()
    {
        var page = await browser.OpenAsync("/caching", 1280, 720);
        await page.Locator("[data-testid=nav] button[aria-label='Toggle Data structures']").ClickAsync();
        await Expect(page.Locator("[data-testid=nav] a[href='/data-structures/streams']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=nav] a[href='/caching/load']")).ToBeVisibleAsync();

        var metrics = page.Locator("[data-testid=nav] a[href='/metrics']");
        await Expect(metrics).ToBeInViewportAsync(new() { Ratio = 1 });
        Assert.True(await metrics.EvaluateAsync<bool>("""
            a => { const r = a.getBoundingClientRect(); const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2); return a.contains(hit); }
            """), "Live metrics is hidden below the fold of the menu");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task At_1280_by_720_live_metrics_is_in_the_menu_on_a_demo_page()
    {
        var page = await browser.OpenAsync(await DemoPathAsync("streams"), 1280, 720);

        await Expect(page.Locator("[data-testid=nav] a[href='/metrics']")).ToBeInViewportAsync(new() { Ratio = 1 });
        await page.Context.CloseAsync();
    }

    private static async Task<IReadOnlyList<string>> AllPathsAsync(IPage page)
    {
        var paths = await AppPages.AllAsync(page);
        Assert.Contains("/metrics", paths);
        return paths;
    }

    /// <summary>The demo's page, as the menu links it (wherever demos are routed).</summary>
    private async Task<string> DemoPathAsync(string slug)
    {
        var page = await browser.OpenAsync("/");
        var path = (await AppPages.AllAsync(page)).Single(p => p.EndsWith("/" + slug, StringComparison.Ordinal));
        await page.Context.CloseAsync();
        return path;
    }

    /// <summary>The long word is shown back (in the trace's command and C#), and the page is still no wider than the screen.</summary>
    private static async Task AssertEchoedWithinTheScreenAsync(IPage page)
    {
        await Expect(page.Locator("[data-testid=command-trace]")).ToContainTextAsync(LongWord[..40]);
        var size = await page.EvaluateAsync<PageSize>(PageWidth);
        Assert.True(size.Scroll <= size.Inner, $"{size.Scroll} px wide on a {size.Inner} px screen; widest: {await WidestAsync(page)}");
    }

    /// <summary>The element that sticks out furthest to the right, to name the culprit in a failure.</summary>
    private static Task<string> WidestAsync(IPage page) => page.EvaluateAsync<string>("""
        () => {
            let worst = null, right = 0;
            for (const e of document.querySelectorAll('body *')) {
                const r = e.getBoundingClientRect().right;
                if (r > right) { right = r; worst = e; }
            }
            return worst ? `${worst.tagName.toLowerCase()}.${[...worst.classList].join('.')} (${Math.round(right)} px): ${(worst.textContent ?? '').slice(0, 60)}` : '';
        }
        """);

    private sealed class PageSize
    {
        public int Scroll { get; set; }

        public int Inner { get; set; }
    }
}
