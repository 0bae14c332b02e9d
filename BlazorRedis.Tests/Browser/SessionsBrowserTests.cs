using System.Text.RegularExpressions;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorRedis.Tests.Browser;

public partial class SessionsBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_learner_logs_in_watches_the_ttl_count_down_and_a_request_resets_it()
    {
        var page = await browser.OpenAsync("/sessions");

        await page.GetByTestId("login").ClickAsync();

        var ttl = page.GetByTestId("ttl");
        await Assertions.Expect(ttl).ToHaveTextAsync(Countdown());
        await Assertions.Expect(page.GetByTestId("session-key")).ToContainTextAsync("{sessions}:session:");
        await Assertions.Expect(page.GetByTestId("hash-field")).ToHaveCountAsync(4);
        await Assertions.Expect(page.GetByTestId("session-row")).ToHaveCountAsync(1);
        var first = await ttl.TextContentAsync();
        await Assertions.Expect(ttl).Not.ToHaveTextAsync(first!); // the countdown runs

        await page.GetByTestId("touch").ClickAsync();

        await Assertions.Expect(page.GetByTestId("narration")).ToContainTextAsync("TTL went from");
        await Assertions.Expect(page.GetByTestId("trace-operation")).ToContainTextAsync("Make a request");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "sessions.png"), FullPage = true });

        await page.GetByTestId("logout-everywhere").ClickAsync();

        await Assertions.Expect(page.GetByTestId("no-session")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("no-sessions")).ToBeVisibleAsync();
    }

    [GeneratedRegex(@"^\s*\d\d:\d\d\s*$")]
    private static partial Regex Countdown();
}
