using System.Text.RegularExpressions;
using BlazorRedis.Tests.Infrastructure;
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
