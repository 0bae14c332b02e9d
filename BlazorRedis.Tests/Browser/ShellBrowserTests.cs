using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorRedis.Tests.Browser;

public class ShellBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Home_page_status_chip_says_connected_with_a_live_ping()
    {
        var page = await browser.OpenAsync("/");

        var chip = page.Locator("[data-testid=status-chip][data-connected=true]");
        await chip.WaitForAsync();
        Assert.Contains("Connected", await chip.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Matches(@"\d+\.\d ms", await page.Locator("[data-testid=ping]").InnerTextAsync());
        Assert.Matches(@"^\d+\.\d+\.\d+", await page.Locator("[data-testid=fact-version]").InnerTextAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Learner_opens_a_demo_from_the_nav_and_comes_back_home()
    {
        var page = await browser.OpenAsync("/");

        await page.Locator("[data-testid=nav] a[href='/data-structures/geo']").ClickAsync();
        await page.WaitForURLAsync("**/data-structures/geo");
        // The URL changes before the circuit renders the new page: wait for its title, then check it.
        await page.Locator("[data-testid=page-title]:has-text('Geospatial')").WaitForAsync();
        Assert.Equal("Geospatial", await page.Locator("[data-testid=page-title]").InnerTextAsync());

        await page.Locator("[data-testid=nav] a[href='/']").ClickAsync();
        await page.Locator("[data-testid=page-title]:has-text('Watch Redis work')").WaitForAsync();
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
    public async Task Two_browsers_get_different_learner_ids()
    {
        var a = await browser.OpenAsync("/");
        var b = await browser.OpenAsync("/");

        var idA = (await a.Context.CookiesAsync()).Single(c => c.Name == "br-learner").Value;
        var idB = (await b.Context.CookiesAsync()).Single(c => c.Name == "br-learner").Value;

        Assert.NotEqual(idA, idB);
        Assert.Matches("^[0-9a-f]{32}$", idA);
        await a.Context.CloseAsync();
        await b.Context.CloseAsync();
    }
}
