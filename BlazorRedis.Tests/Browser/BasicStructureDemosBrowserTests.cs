using System.Text.RegularExpressions;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorRedis.Tests.Browser;

/// <summary>A learner opens each demo, runs its scenario, and sees the picture and the commands.</summary>
public partial class BasicStructureDemosBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Narration = "[data-testid=narration]";

    private static readonly LocatorWaitForOptions Patient = new() { Timeout = 45_000 };

    private async Task<IPage> RunScenarioAsync(string slug, string title)
    {
        var page = await browser.OpenAsync($"/data-structures/{slug}");
        await Expect(page.Locator("[data-testid=page-title]")).ToHaveTextAsync(title, new() { UseInnerText = true });
        await page.Locator("[data-testid=run-scenario]:not([disabled])").WaitForAsync(Patient);
        await PageHistory.WatchAsync(page, Narration);

        await page.Locator("[data-testid=run-scenario]").ClickAsync();

        await page.Locator("[data-testid=narration]:has-text('Done')").WaitForAsync(Patient);
        // Step 1 shows for about a second; recorded in the page, since a busy machine can skip past it between polls.
        Assert.Contains(await PageHistory.SeenAsync(page, Narration), text => text.Contains("Step 1", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid=trace-row]").First).ToBeAttachedAsync();
        await Expect(page.Locator("[data-testid=trace-operation]")).ToContainTextAsync("Scenario");
        return page;
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(BrowserFixture.ScreenshotDirectory);
        await page.WaitForTimeoutAsync(800); // let the CSS transitions settle for the picture
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"ds-{name}.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Strings_scenario_shows_the_counter_up_by_a_thousand_and_the_token_expiring()
    {
        var page = await RunScenarioAsync("strings", "Strings");

        await Expect(page.Locator("[data-testid=burst-result]")).ToContainTextAsync("+1,000");
        await Expect(page.Locator("[data-testid=string-entry]")).ToContainTextAsync("hello world");

        // The 8-second token runs out while the learner watches; the page then GETs it and shows (nil).
        await page.Locator("[data-testid=token-value]:has-text('(nil)')").WaitForAsync(Patient);
        await page.Locator("[data-testid=trace-row]:has-text('(nil)')").WaitForAsync(Patient);
        await ScreenshotAsync(page, "strings");
    }

    [Fact]
    public async Task Lists_scenario_draws_the_queue_the_workers_and_the_capped_feed()
    {
        var page = await RunScenarioAsync("lists", "Lists");

        await Expect(page.Locator("[data-testid=taken-job]")).ToHaveCountAsync(4);
        await Expect(page.Locator("[data-testid=activity-item]")).ToHaveCountAsync(5);
        await Expect(page.Locator("[data-testid=taken-job]").First).ToContainTextAsync("generate_report");

        await page.Locator("input[data-testid=job-name], [data-testid=job-name] input").FillAsync("from_the_browser");
        await page.Locator("[data-testid=push-job]").ClickAsync();
        await page.Locator("[data-testid=queue-box]:has-text('from_the_browser')").WaitForAsync(Patient);
        await ScreenshotAsync(page, "lists");
    }

    [Fact]
    public async Task Open_in_workbench_replays_what_a_demo_button_ran_on_the_learners_own_copies()
    {
        var page = await RunScenarioAsync("lists", "Lists");
        await page.Locator("input[data-testid=job-name], [data-testid=job-name] input").FillAsync("replayed_job");
        await page.Locator("[data-testid=push-job]").ClickAsync();
        await page.Locator("[data-testid=queue-box]:has-text('replayed_job')").WaitForAsync(Patient);

        await page.Locator("[data-testid=open-trace-in-workbench]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/workbench\\?script="));
        await page.Locator("[data-interactive='true']").WaitForAsync();
        await page.Locator("button[data-testid=run-script]").ClickAsync();

        // The push replays on the learner's workbench copy of the queue: no prefix, no learner id in what they see.
        await Expect(page.Locator("[data-testid=entry]").First).ToBeVisibleAsync(new() { Timeout = 45_000 });
        await Expect(page.Locator("[data-testid=script-position]")).ToContainTextAsync("lines run", new() { Timeout = 45_000 });
        var entries = await page.Locator("[data-testid=entry]").AllInnerTextsAsync();
        // The demo's push runs in a transaction (WATCH, LLEN, MULTI, LPUSH, EXEC: the queue's cap); the workbench has no
        // WATCH (a comment says so) but replays MULTI … EXEC: the push is queued, and EXEC applies it.
        var push = entries.ToList().FindIndex(e => e.Contains("LPUSH lists:queue:tasks replayed_job", StringComparison.Ordinal));
        Assert.True(push >= 0, string.Join(" | ", entries));
        Assert.Contains("QUEUED", entries[push], StringComparison.Ordinal);
        Assert.Contains(entries.Skip(push + 1), e => e.StartsWith("redis> EXEC", StringComparison.Ordinal) && e.Contains("1) (integer)", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Contains("learner:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Hashes_scenario_shows_the_profile_card_and_the_memory_bars()
    {
        var page = await RunScenarioAsync("hashes", "Hashes");

        await Expect(page.Locator("[data-testid=hash-field]")).ToHaveCountAsync(3);
        await Expect(page.Locator("[data-testid=memory-hash]")).ToHaveTextAsync(Bytes(), new() { UseInnerText = true });
        await Expect(page.Locator("[data-testid=memory-strings]")).ToHaveTextAsync(Bytes(), new() { UseInnerText = true });
        await ScreenshotAsync(page, "hashes");
    }

    [Fact]
    public async Task Sets_scenario_draws_the_venn_diagram_with_the_union_shaded()
    {
        var page = await RunScenarioAsync("sets", "Sets");

        await Expect(page.Locator("[data-testid=venn-tag][data-region=both]")).ToHaveCountAsync(2);
        await Expect(page.Locator("[data-testid=venn-tag]")).ToHaveCountAsync(6);
        await Expect(page.Locator("[data-testid=venn-shade]")).ToHaveAttributeAsync("data-region", "all");

        await page.Locator("[data-testid=sinter]").ClickAsync();
        await page.Locator("[data-testid=venn-shade][data-region=both]").WaitForAsync(Patient);
        await ScreenshotAsync(page, "sets");
    }

    [Fact]
    public async Task Sorted_sets_scenario_draws_the_re_sorted_leaderboard()
    {
        var page = await RunScenarioAsync("sorted-sets", "Sorted sets");

        await Expect(page.Locator("[data-testid=leaderboard-row][data-player=Alice]")).ToHaveAttributeAsync("data-rank", "0");
        await Expect(page.Locator("[data-testid=leaderboard-row][data-player=Dave]")).ToHaveAttributeAsync("data-rank", "2");
        await Expect(page.Locator("[data-testid=standing-result]")).ToContainTextAsync("ZREVRANK");
        await ScreenshotAsync(page, "sorted-sets");
    }

    [GeneratedRegex(@"^[\d,]+ B$")]
    private static partial Regex Bytes();
}
