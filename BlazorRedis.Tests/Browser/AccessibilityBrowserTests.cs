using System.Text;
using BlazorRedis.Tests.Infrastructure;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorRedis.Tests.Browser;

/// <summary>axe-core on every page of the app, in both themes: no serious or critical violation anywhere.</summary>
public class AccessibilityBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData("light", 0)]
    [InlineData("dark", 0)]
    [InlineData("light", 200)]
    [InlineData("dark", 150)]
    public async Task Every_page_has_no_serious_or_critical_axe_violation(string theme, int presenterZoom)
    {
        var page = await browser.NewPageAsync(1280, 720);
        await page.Context.AddCookiesAsync([new Cookie { Name = "br-theme", Value = theme, Url = browser.App.BaseAddress.ToString() }]);
        await AppPages.GoAsync(page, "/");
        var paths = await AppPages.AllAsync(page);
        Assert.Contains("/metrics", paths);
        if (presenterZoom > 0)
        {
            // Presenter mode (the projector layout) hides the drawer, so the paths are read first, then it is switched on.
            await page.Context.AddCookiesAsync([new Cookie { Name = "br-presenter", Value = presenterZoom.ToString(System.Globalization.CultureInfo.InvariantCulture), Url = browser.App.BaseAddress.ToString() }]);
        }

        var report = new StringBuilder();
        foreach (var path in paths)
        {
            await AppPages.GoAsync(page, path);
            await Expect(page.Locator($"[data-theme={theme}][data-presenter='{presenterZoom}']")).ToBeVisibleAsync();
            // Scan the steady state: the status chip as learners see it most of the time.
            await page.Locator("[data-testid=status-chip][data-connected=true]").WaitForAsync();
            // Colours mid-transition (a button fading from disabled to enabled) are not what anyone reads: scan the end state.
            await page.AddStyleTagAsync(new() { Content = "*, *::before, *::after { transition: none !important; animation: none !important; }" });
            var result = await page.RunAxe();
            foreach (var v in result.Violations.Where(v => v.Impact is not ("serious" or "critical")))
            {
                // Not a failure, but worth seeing in the log: moderate and minor findings (heading order, regions).
                TestContext.Current.TestOutputHelper?.WriteLine($"{path} ({theme}, presenter {presenterZoom}): {v.Id} [{v.Impact}] {v.Nodes.Length} nodes, e.g. {v.Nodes.FirstOrDefault()?.Target}");
            }

            foreach (var v in result.Violations.Where(v => v.Impact is "serious" or "critical"))
            {
                report.AppendLine($"{path} ({theme}, presenter {presenterZoom}): {v.Id} [{v.Impact}] {v.Help}");
                foreach (var node in v.Nodes.Take(5))
                {
                    var why = string.Join("; ", node.Any.Concat(node.All).Concat(node.None).Select(c => c.Message));
                    report.AppendLine($"    {node.Target}  {why}");
                }
            }
        }

        Assert.True(report.Length == 0, $"axe found serious or critical violations:\n{report}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Every_page_has_its_headings_in_order()
    {
        // heading-order is a moderate finding for axe, but a screen-reader user navigates by headings: a jump from
        // h1 to h6 hides the page's outline. The structure is the same in both themes.
        var page = await browser.NewPageAsync(1280, 720);
        await AppPages.GoAsync(page, "/");
        var report = new StringBuilder();
        foreach (var path in await AppPages.AllAsync(page))
        {
            await AppPages.GoAsync(page, path);
            await page.Locator("[data-testid=status-chip][data-connected=true]").WaitForAsync();
            var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "rule", Values = ["heading-order", "page-has-heading-one", "empty-heading"] } });
            foreach (var v in result.Violations)
            {
                report.AppendLine($"{path}: {v.Id} {string.Join(", ", v.Nodes.Take(5).Select(n => n.Target?.ToString()))}");
            }
        }

        Assert.True(report.Length == 0, $"headings out of order:\n{report}");
        await page.Context.CloseAsync();
    }
}
