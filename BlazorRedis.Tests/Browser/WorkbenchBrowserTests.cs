using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorRedis.Tests.Browser;

/// <summary>The workbench in Chromium, as a learner uses it: typing commands of all nine types, the key browser drawing each.</summary>
public class WorkbenchBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly LocatorAssertionsToHaveTextOptions Patient = new() { Timeout = BrowserFixture.PatienceMs };

    private static async Task TypeAsync(IPage page, string line, string? reply)
    {
        var entries = await page.Locator("[data-testid=entry]").CountAsync();
        var input = page.Locator("input[data-testid=command-line]");
        await input.FillAsync(line);
        await input.PressAsync("Enter");
        await Expect(page.Locator("[data-testid=entry]")).ToHaveCountAsync(entries + 1, new() { Timeout = BrowserFixture.PatienceMs });
        if (reply is not null)
        {
            await Expect(page.Locator("[data-testid=entry-reply]").Last).ToHaveTextAsync(reply, Patient);
        }
    }

    private static async Task ShowAsync(IPage page, string key, string picture)
    {
        await page.Locator($"[data-testid=key-row][data-key='{key}'] [data-testid=key-select]").ClickAsync();
        await Expect(page.Locator("[data-testid=key-view] h3")).ToHaveTextAsync(key, Patient);
        await Expect(page.Locator("[data-testid=key-view]")).ToHaveAttributeAsync("data-picture", picture, new() { Timeout = BrowserFixture.PatienceMs });
    }

    [Fact]
    public async Task A_learner_types_all_nine_types_and_the_key_browser_draws_each()
    {
        var page = await browser.OpenAsync("/workbench");
        await Expect(page.Locator("[data-testid=key-browser]")).ToHaveAttributeAsync("data-loaded", "true", new() { Timeout = BrowserFixture.PatienceMs });

        // Help as you type, from the server's own docs.
        await page.Locator("input[data-testid=command-line]").PressSequentiallyAsync("HSE");
        await Expect(page.Locator("[data-testid=completion]").First).ToHaveTextAsync("HSET", Patient);
        await page.Locator("[data-testid=completion]").First.ClickAsync();
        await Expect(page.Locator("[data-testid=hint-syntax]")).ToContainTextAsync("HSET key field value", new() { Timeout = BrowserFixture.PatienceMs });

        await TypeAsync(page, "SET greeting \"hello world\"", "OK");
        await TypeAsync(page, "RPUSH jobs resize email", "(integer) 2");
        await TypeAsync(page, "HSET user:1 name Ada visits 3", "(integer) 2");
        await TypeAsync(page, "SADD tags:a redis cache", "(integer) 2");
        await TypeAsync(page, "SADD tags:b redis sql", "(integer) 2");
        await TypeAsync(page, "ZADD board 10 ada 30 bob", "(integer) 2");
        await TypeAsync(page, "SETBIT logins 5 1", "(integer) 0");
        await TypeAsync(page, "PFADD visitors a b c", "(integer) 1");
        await TypeAsync(page, "GEOADD cafes 77.5946 12.9716 central 77.6101 12.9759 mg-road", "(integer) 2");
        await TypeAsync(page, "XADD temps 1-1 c 21", "\"1-1\"");
        await TypeAsync(page, "XGROUP CREATE temps billing 0", "OK");
        await TypeAsync(page, "XREADGROUP GROUP billing w1 STREAMS temps >", null);
        await Expect(page.Locator("[data-testid=entry-reply]").Last).ToContainTextAsync("\"21\"", new() { Timeout = BrowserFixture.PatienceMs });

        await Expect(page.Locator("[data-testid=key-row]")).ToHaveCountAsync(10, new() { Timeout = BrowserFixture.PatienceMs });

        // On a 1366 px laptop the key browser beside the console keeps a short name on one line (it broke "board" as
        // "boa/rd"): the text of each name of up to 8 characters lies on a single line.
        var size = page.ViewportSize!;
        await page.SetViewportSizeAsync(1366, 768);
        foreach (var name in new[] { "board", "greeting", "user:1", "tags:a" })
        {
            var lines = await page.Locator($"[data-testid=key-row][data-key='{name}'] [data-testid=key-select]").EvaluateAsync<int>(
                "el => { const r = document.createRange(); r.selectNodeContents(el); return new Set([...r.getClientRects()].map(c => Math.round(c.top))).size; }");
            Assert.True(lines == 1, $"{name} takes {lines} lines in the key browser at 1366 px");
        }

        await page.SetViewportSizeAsync(size.Width, size.Height);

        await ShowAsync(page, "greeting", "Text");
        await Expect(page.Locator("[data-testid=string-text]")).ToHaveTextAsync("hello world", Patient);
        await ShowAsync(page, "jobs", "List");
        await Expect(page.Locator("[data-testid=wb-list-box]")).ToHaveCountAsync(2);
        await ShowAsync(page, "user:1", "Hash");
        await Expect(page.Locator("[data-testid=hash-field]")).ToHaveCountAsync(2);
        await ShowAsync(page, "tags:a", "Set");
        await page.Locator("[data-testid=compare-with]").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "tags:b" }).ClickAsync();
        await Expect(page.Locator("[data-testid=venn]")).ToBeVisibleAsync(new() { Timeout = BrowserFixture.PatienceMs });
        await ShowAsync(page, "board", "Ranked");
        await Expect(page.Locator("[data-testid=leaderboard-row]")).ToHaveCountAsync(2);
        await ShowAsync(page, "logins", "Bits");
        await Expect(page.Locator("[data-testid=bit][data-bit='1']")).ToHaveAttributeAsync("data-offset", "5");
        await ShowAsync(page, "visitors", "HyperLogLog");
        await Expect(page.Locator("[data-testid=hll-estimate]")).ToHaveTextAsync("≈ 3", Patient);
        await ShowAsync(page, "cafes", "Map");
        await Expect(page.Locator("[data-testid=geo-point]")).ToHaveCountAsync(2);
        await ShowAsync(page, "temps", "Stream");
        await Expect(page.Locator("[data-testid=stream-group-pending]")).ToHaveTextAsync("1 pending", Patient);

        // An edit from the browser runs through the console.
        await page.Locator("input[data-testid=edit-field-0]").FillAsync("c");
        await page.Locator("input[data-testid=edit-field-1]").FillAsync("22");
        await page.Locator("[data-testid=edit-add]").ClickAsync();
        await Expect(page.Locator("[data-testid=entry-line]").Last).ToHaveTextAsync("redis> XADD temps * c 22", Patient);
        await Expect(page.Locator("[data-testid=stream-entry]")).ToHaveCountAsync(2, new() { Timeout = BrowserFixture.PatienceMs });

        await Axe.StopTransitionsAsync(page);
        await Axe.AssertNoSeriousAsync(page);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "workbench-key-browser.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_blocking_pop_waits_on_its_own_connection_until_the_learners_other_tab_pushes()
    {
        var page = await browser.OpenAsync("/workbench");
        await Expect(page.Locator("[data-testid=key-browser]")).ToHaveAttributeAsync("data-loaded", "true", new() { Timeout = BrowserFixture.PatienceMs });
        var other = await page.Context.NewPageAsync();
        await other.GotoAsync(page.Url);
        await Expect(other.Locator("[data-testid=key-browser]")).ToHaveAttributeAsync("data-loaded", "true", new() { Timeout = BrowserFixture.PatienceMs });

        var input = page.Locator("input[data-testid=command-line]");
        await input.FillAsync("BLPOP inbox 0");
        await input.PressAsync("Enter");
        await Expect(page.Locator("[data-testid=running]")).ToContainTextAsync("BLPOP inbox 0", new() { Timeout = BrowserFixture.PatienceMs });

        await TypeAsync(other, "RPUSH inbox wake-up", "(integer) 1");

        await Expect(page.Locator("[data-testid=entry-reply]").Last).ToContainTextAsync("\"wake-up\"", new() { Timeout = BrowserFixture.PatienceMs });
        await page.Context.CloseAsync();
    }
}
