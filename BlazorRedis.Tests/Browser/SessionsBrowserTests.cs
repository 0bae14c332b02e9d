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
        await Assertions.Expect(page.GetByTestId("session-key")).ToContainTextAsync("{sessions}:demo:session:");
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

    [Fact]
    public async Task The_id_in_the_key_on_screen_is_not_a_cookie_the_session_api_accepts()
    {
        var ct = TestContext.Current.CancellationToken;
        var page = await browser.OpenAsync("/sessions");
        await page.GetByTestId("login").ClickAsync();
        var key = page.GetByTestId("session-key");
        await Assertions.Expect(key).ToContainTextAsync("session:");
        var shown = (await key.TextContentAsync())!.Trim();
        var id = shown[(shown.LastIndexOf(':') + 1)..];

        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = browser.App.BaseAddress };
        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/session/me");
        me.Headers.Add("Cookie", $"br-session={id}");
        using var logout = new HttpRequestMessage(HttpMethod.Post, "/api/session/logout") { Content = System.Net.Http.Json.JsonContent.Create(new { }) };
        logout.Headers.Add("Cookie", $"br-session={id}");

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await client.SendAsync(me, ct)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await client.SendAsync(logout, ct)).StatusCode);

        // The learner on the page is still logged in: a request still finds the session.
        await page.GetByTestId("touch").ClickAsync();
        await Assertions.Expect(page.GetByTestId("narration")).ToContainTextAsync("TTL went from");
    }

    [GeneratedRegex(@"^\s*\d\d:\d\d\s*$")]
    private static partial Regex Countdown();
}
