using BlazorRedis.Tests.Infrastructure;
using Deque.AxeCore.Playwright;

namespace BlazorRedis.Tests.Browser;

/// <summary>
/// The in-page axe scan every accessibility test uses (<see cref="Axe"/>): it finds what Deque's own RunAxe finds, it
/// reports a real violation rather than nothing, and it refuses a page with a frame instead of skipping it.
/// </summary>
public class AxeBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Broken = """
        () => {
          const main = document.querySelector('main') ?? document.body;
          const button = document.createElement('button');
          button.dataset.testid = 'nameless';
          main.appendChild(button);
          const faint = document.createElement('p');
          faint.textContent = 'Grey on white is hard to read';
          faint.style.cssText = 'color: #eeeeee; background: #ffffff';
          main.appendChild(faint);
        }
        """;

    [Fact]
    public async Task It_finds_the_same_violations_as_Deques_RunAxe_on_a_page_of_the_app()
    {
        var page = await browser.NewPageAsync(1280, 720);
        await AppPages.GoAsync(page, "/caching");
        await page.EvaluateAsync(Broken);

        var ours = await Axe.ScanAsync(page);
        var deques = await page.RunAxe();
        Assert.Contains(ours, v => v.Id == "button-name");

        Assert.Equal(
            deques.Violations.Select(v => (v.Id, (string?)v.Impact, v.Nodes.Length)).OrderBy(v => v.Id, StringComparer.Ordinal),
            ours.Select(v => (v.Id, v.Impact, v.NodeCount)).OrderBy(v => v.Id, StringComparer.Ordinal));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_nameless_button_and_faint_text_are_reported_with_the_nodes_and_why()
    {
        var page = await browser.NewPageAsync(1280, 720);
        await AppPages.GoAsync(page, "/");
        Assert.DoesNotContain(await Axe.ScanAsync(page), v => v.IsSeriousOrCritical);

        await page.EvaluateAsync(Broken);
        var found = await Axe.ScanAsync(page);

        var button = Assert.Single(found, v => v.Id == "button-name");
        Assert.Equal("critical", button.Impact);
        Assert.Contains("[data-testid=\"nameless\"]", Assert.Single(button.Nodes).Target, StringComparison.Ordinal);
        var contrast = Assert.Single(found, v => v.Id == "color-contrast");
        Assert.True(contrast.IsSeriousOrCritical);
        Assert.Contains("contrast", contrast.Nodes[0].Why, StringComparison.OrdinalIgnoreCase);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_page_with_a_frame_fails_the_scan_rather_than_skip_the_frame()
    {
        var page = await browser.NewPageAsync(1280, 720);
        await AppPages.GoAsync(page, "/");
        await page.EvaluateAsync("() => document.body.appendChild(document.createElement('iframe'))");

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => Axe.ScanAsync(page));

        Assert.Contains("1 frame(s)", refused.Message, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
