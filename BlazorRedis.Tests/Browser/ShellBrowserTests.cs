using System.Text.RegularExpressions;
using BlazorRedis.App.Hosting;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorRedis.Tests.Browser;

public class ShellBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Home_page_status_chip_says_connected_with_a_live_ping()
    {
        var page = await browser.OpenAsync("/");

        var chip = page.Locator("[data-testid=status-chip][data-connected=true]");
        await Expect(chip).ToContainTextAsync("Connected");
        await Expect(page.Locator("[data-testid=ping]")).ToHaveTextAsync(new Regex(@"\d+\.\d ms"), new() { UseInnerText = true });
        await Expect(page.Locator("[data-testid=fact-version]")).ToHaveTextAsync(new Regex(@"^\d+\.\d+\.\d+"), new() { UseInnerText = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Learner_opens_a_demo_from_the_nav_and_comes_back_home()
    {
        var page = await browser.OpenAsync("/");

        // Only the group of the page shown is open: the learner opens Data structures first.
        await page.Locator("[data-testid=nav] button[aria-label='Toggle Data structures']").ClickAsync();
        await page.Locator("[data-testid=nav] a[href='/data-structures/geo']").ClickAsync();
        await page.WaitForURLAsync("**/data-structures/geo");
        // The URL changes before the circuit renders the new page: wait for its title.
        await Expect(page.Locator("[data-testid=page-title]")).ToHaveTextAsync("Geospatial", new() { UseInnerText = true });

        await page.Locator("[data-testid=nav] a[href='/']").ClickAsync();
        await Expect(page.Locator("[data-testid=page-title]")).ToContainTextAsync("Watch Redis work");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Dark_mode_is_remembered_across_a_reload_and_screenshots_look_finished()
    {
        Directory.CreateDirectory(BrowserFixture.ScreenshotDirectory);
        var page = await browser.OpenAsync("/");
        await page.Locator("[data-testid=status-chip][data-connected=true]").WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "home-light.png") });

        await page.Locator("[data-testid=theme-toggle]").ClickAsync();
        await page.Locator("[data-theme=dark]").WaitForAsync();
        await page.ReloadAsync();
        await page.Locator("[data-interactive=true][data-theme=dark]").WaitForAsync();
        await page.Locator("[data-testid=status-chip][data-connected=true]").WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "home-dark.png") });

        Assert.True(new FileInfo(Path.Combine(BrowserFixture.ScreenshotDirectory, "home-dark.png")).Length > 10_000);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Skip_link_is_the_first_tab_stop_and_takes_the_focus_past_the_menu()
    {
        var page = await browser.OpenAsync("/caching", 1280, 720);

        // Blazor puts the focus on the h1 after loading; start where a keyboard learner does, at the app bar's
        // first button, and step back: the skip link is before it, and nothing is before the skip link.
        await page.Locator("button[aria-label='Toggle navigation']").FocusAsync();
        await page.Keyboard.PressAsync("Shift+Tab");
        var skip = page.Locator("[data-testid=skip-link]");
        await Expect(skip).ToBeFocusedAsync();
        await Expect(skip).ToBeInViewportAsync();
        Assert.True(await page.EvaluateAsync<bool>("""
            () => [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])')]
                .find(e => e.tabIndex >= 0 && e.getClientRects().length > 0) === document.querySelector('[data-testid=skip-link]')
            """), "something focusable comes before the skip link");

        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("main#main-content")).ToBeFocusedAsync();
        Assert.EndsWith("/caching", page.Url, StringComparison.Ordinal);

        // The next stop is inside the page, not in the app bar or the menu.
        await page.Keyboard.PressAsync("Tab");
        Assert.True(await page.EvaluateAsync<bool>("() => document.getElementById('main-content').contains(document.activeElement)"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Keyboard_focus_is_shown_by_a_ring_not_by_colour_alone()
    {
        var page = await browser.OpenAsync("/", 1280, 720);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");

        var outline = await page.EvaluateAsync<string>("() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth; }");
        Assert.Equal("solid 3px", outline);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/sessions")]
    [InlineData("/rate-limiting")]
    [InlineData("/pubsub")]
    public async Task Page_title_is_the_one_h1_and_headings_do_not_skip_levels(string path)
    {
        var page = await browser.OpenAsync(path, 1280, 720);

        await Expect(page.Locator("h1")).ToHaveCountAsync(1);
        await Expect(page.Locator("main h1")).ToHaveAttributeAsync("data-testid", "page-title");
        var levels = await page.Locator("main :is(h1, h2, h3, h4, h5, h6)").EvaluateAllAsync<int[]>("hs => hs.map(h => +h.tagName[1])");
        for (var i = 1; i < levels.Length; i++)
        {
            Assert.True(levels[i] <= levels[i - 1] + 1, $"heading levels {string.Join(", ", levels)} skip from h{levels[i - 1]} to h{levels[i]}");
        }

        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Two_browsers_get_different_learner_ids()
    {
        var a = await browser.OpenAsync("/");
        var b = await browser.OpenAsync("/");

        var idA = (await a.Context.CookiesAsync()).Single(c => c.Name == "br-learner").Value;
        var idB = (await b.Context.CookiesAsync()).Single(c => c.Name == "br-learner").Value;

        // The cookie carries a protected token, not the id the traces show; each names a learner of its own.
        var tokens = browser.App.Services.GetRequiredService<LearnerTokens>();
        Assert.True(tokens.TryReadCookie(idA, out var learnerA));
        Assert.True(tokens.TryReadCookie(idB, out var learnerB));
        Assert.NotEqual(learnerA, learnerB);
        Assert.DoesNotMatch("^[0-9a-f]{32}$", idA);
        await a.Context.CloseAsync();
        await b.Context.CloseAsync();
    }
}
