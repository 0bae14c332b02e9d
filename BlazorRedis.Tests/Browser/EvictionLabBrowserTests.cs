using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorRedis.Tests.Browser;

public class EvictionLabBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_learner_fills_the_sandbox_and_sees_the_evicted_keys()
    {
        var page = await browser.OpenAsync("/caching/eviction");
        await Assertions.Expect(page.Locator("[data-testid=page-title]")).ToHaveTextAsync("Eviction lab");

        await page.Locator("button[data-testid=run]").ClickAsync();

        var evicted = page.Locator("[data-testid=evicted-keys]");
        await evicted.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        Assert.True(long.Parse(await evicted.TextContentAsync() ?? "0", System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.True(await page.Locator("[data-testid=key-grid] i.br-evicted").CountAsync() > 0);
        Assert.True(await page.Locator("[data-testid=trace-row]").CountAsync() > 0);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "eviction-lab.png"), FullPage = true });
    }
}
