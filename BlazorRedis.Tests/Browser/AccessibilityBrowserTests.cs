using System.Text;
using System.Text.RegularExpressions;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorRedis.Tests.Browser;

/// <summary>
/// axe-core on every page of the app, in both themes and in presenter mode: no serious or critical violation anywhere,
/// and every page's headings in order. One theme per class, so the two halves (minutes each) can run side by side.
/// </summary>
public abstract partial class AccessibilityBrowserTests(BrowserFixture browser)
{
    // heading-order is only a moderate finding for axe, but a screen-reader user navigates by headings: a jump from h1
    // to h6 hides the page's outline. These rules fail the scan whatever their impact.
    private static readonly HashSet<string> HeadingRules = new(StringComparer.Ordinal) { "heading-order", "page-has-heading-one", "empty-heading" };

    // A lesson's code blocks and tables all shared one name ("Code example", "Table") as landmarks: several landmarks of
    // one name (landmark-unique, moderate) leave a screen-reader user a list of the same entry. The lesson scan fails on it.
    private static readonly HashSet<string> LessonRules = new(HeadingRules, StringComparer.Ordinal) { "landmark-unique" };

    [GeneratedRegex(@"^BlazorRedis · \S")]
    private static partial Regex PageTitle();

    /// <summary>Opens every page in <paramref name="theme"/> (presenter mode at <paramref name="presenterZoom"/> %, 0 for off) and scans it.</summary>
    protected async Task ScanEveryPageAsync(string theme, int presenterZoom)
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
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            await ScanAsync(page, path, theme, presenterZoom, $"{theme}, presenter {presenterZoom}", report, titles, HeadingRules);
        }

        Assert.True(report.Length == 0, $"axe found serious or critical violations, or headings out of order:\n{report}");
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// Opens every lesson of the course (the nav links to the course, not to each lesson) on a phone, 390 × 844, and scans
    /// it: a lesson's wide code and tables scroll on a phone, where the laptop scan sees them fit. Landmarks of one name
    /// fail here too.
    /// </summary>
    protected async Task ScanEveryLessonOnAPhoneAsync(string theme)
    {
        var page = await browser.NewPageAsync(390, 844);
        await page.Context.AddCookiesAsync([new Cookie { Name = "br-theme", Value = theme, Url = browser.App.BaseAddress.ToString() }]);
        var report = new StringBuilder();
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in AppPages.LessonPaths(browser.App))
        {
            await ScanAsync(page, path, theme, 0, $"{theme}, 390 × 844", report, titles, LessonRules);
        }

        Assert.True(report.Length == 0, $"axe found serious or critical violations, headings out of order, or landmarks of one name:\n{report}");
        await page.Context.CloseAsync();
    }

    private static async Task ScanAsync(IPage page, string path, string theme, int presenterZoom, string where, StringBuilder report, Dictionary<string, string> titles, HashSet<string> alwaysFailing)
    {
        await AppPages.GoAsync(page, path);
        await Expect(page.Locator($"[data-theme={theme}][data-presenter='{presenterZoom}']")).ToBeVisibleAsync();
        // Every page names itself in the tab (a teacher with ten tabs open finds the one to project). Blazor drops the
        // prerendered <title> when the head goes interactive, so this also waits for the page's own title to land
        // before axe reads document.title.
        await Expect(page).ToHaveTitleAsync(PageTitle());
        var title = await page.TitleAsync();
        Assert.False(titles.TryGetValue(title, out var other), $"{path} and {other} share the tab title \"{title}\"");
        titles[title] = path;
        // Scan the steady state: the status chip as learners see it most of the time.
        await page.Locator("[data-testid=status-chip][data-connected=true]").WaitForAsync();
        await Axe.StopTransitionsAsync(page);
        foreach (var v in await Axe.ScanAsync(page))
        {
            if (v.IsSeriousOrCritical || alwaysFailing.Contains(v.Id))
            {
                report.AppendLine($"{path} ({where}): {v.Id} [{v.Impact}] {v.Help}");
                foreach (var node in v.Nodes)
                {
                    report.AppendLine($"    {node.Target}  {node.Why}");
                }
            }
            else
            {
                // Not a failure, but worth seeing in the log: the other moderate and minor findings (regions).
                TestContext.Current.TestOutputHelper?.WriteLine($"{path} ({where}): {v.Id} [{v.Impact}] {v.NodeCount} nodes, e.g. {(v.Nodes.Count > 0 ? v.Nodes[0].Target : "")}");
            }
        }
    }
}

/// <summary>The light theme, on a laptop and in presenter mode at 200 %.</summary>
public sealed class LightThemeAccessibilityBrowserTests(BrowserFixture browser) : AccessibilityBrowserTests(browser), IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData(0)]
    [InlineData(200)]
    public Task Every_page_has_no_serious_or_critical_axe_violation_and_its_headings_in_order(int presenterZoom) => ScanEveryPageAsync("light", presenterZoom);

    // A lesson's code blocks scrolled sideways on a phone and could not be focused (scrollable-region-focusable, serious):
    // the laptop scan of the nav's pages never opened them at that width.
    [Fact]
    public Task Every_lesson_on_a_phone_has_no_serious_or_critical_axe_violation_and_its_headings_in_order() => ScanEveryLessonOnAPhoneAsync("light");
}

/// <summary>The dark theme, on a laptop and in presenter mode at 150 %.</summary>
public sealed class DarkThemeAccessibilityBrowserTests(BrowserFixture browser) : AccessibilityBrowserTests(browser), IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData(0)]
    [InlineData(150)]
    public Task Every_page_has_no_serious_or_critical_axe_violation_and_its_headings_in_order(int presenterZoom) => ScanEveryPageAsync("dark", presenterZoom);
}
