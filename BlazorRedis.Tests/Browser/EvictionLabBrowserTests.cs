using System.Text.RegularExpressions;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorRedis.Tests.Browser;

public partial class EvictionLabBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_teacher_fills_the_sandbox_and_sees_the_evicted_keys()
    {
        var page = await browser.OpenAsTeacherAsync("/caching/eviction");
        await Assertions.Expect(page.Locator("[data-testid=page-title]")).ToHaveTextAsync("Eviction lab");

        await page.Locator("button[data-testid=run]").ClickAsync();

        var evicted = page.Locator("[data-testid=evicted-keys]");
        await Assertions.Expect(evicted).ToHaveTextAsync(PositiveCount());
        await Assertions.Expect(page.Locator("[data-testid=key-grid] i.br-evicted").First).ToBeAttachedAsync();
        await Assertions.Expect(page.Locator("[data-testid=trace-row]").First).ToBeAttachedAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "eviction-lab.png"), FullPage = true });
    }

    /// <summary>A whole number above zero (evicted_keys as the page prints it).</summary>
    [GeneratedRegex(@"^\s*0*[1-9][0-9]*\s*$")]
    private static partial Regex PositiveCount();
}
