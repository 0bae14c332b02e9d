using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorRedis.Tests.Browser;

/// <summary>The cluster page in Chromium: the app starts its sandbox cluster on the first click, and the teacher fails over a master.</summary>
public class ClusterBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly LocatorAssertionsToContainTextOptions Slow = new() { Timeout = 60_000 };

    [Fact]
    public async Task The_teacher_runs_every_experiment_of_the_cluster_page_and_fails_over_a_master()
    {
        var page = await browser.OpenAsTeacherAsync("/cluster");

        await page.Locator("input[data-testid=locate-key]").FillAsync("{user:1000}:cart");
        await page.Locator("button[data-testid=locate]").ClickAsync();
        await Expect(page.Locator("[data-testid=slot]")).ToHaveTextAsync("1649", new() { Timeout = 60_000 });
        await Expect(page.Locator("[data-testid=sandbox-state]")).ToContainTextAsync("is running", Slow);

        await page.Locator("button[data-testid=crossslot]").ClickAsync();
        await Expect(page.Locator("[data-testid=untagged-reply]")).ToContainTextAsync("CROSSSLOT", Slow);
        await Expect(page.Locator("[data-testid=tagged-reply]")).ToHaveTextAsync("OK");

        await page.Locator("button[data-testid=moved]").ClickAsync();
        await Expect(page.Locator("[data-testid=redirect]")).ToContainTextAsync("MOVED", Slow);

        await page.Locator("button[data-testid=failover]").ClickAsync();
        await Expect(page.Locator("[data-testid=failover-read]").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=failover-summary]")).ToContainTextAsync("answered as the new master", Slow);

        await Axe.StopTransitionsAsync(page);
        await Axe.AssertNoSeriousAsync(page);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "cluster.png"), FullPage = true });
        await page.Context.CloseAsync();
    }
}
