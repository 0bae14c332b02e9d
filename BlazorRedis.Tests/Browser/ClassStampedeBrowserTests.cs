using System.Globalization;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorRedis.Tests.Browser;

/// <summary>
/// The class stampede with a teacher and three learners, each in their own browser context, through the real app, Redis
/// and pub/sub: a round with no protection (three readers, three database loads), then a round with the lock (three
/// readers, one load), each learner seeing their own measured wait, the projector showing both rounds side by side.
/// </summary>
public class ClassStampedeBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    // Long enough for three browsers to see the card and press Read; every read of the window finds the key cold,
    // because a round holds its loads until the window closes.
    private const string Window = "8";

    [Fact]
    public async Task A_class_stampede_with_no_protection_then_with_the_lock()
    {
        var teacher = await browser.OpenAsTeacherAsync("/teacher");
        await teacher.Locator("button[data-testid=open-class]").ClickAsync();
        var code = (await teacher.Locator("[data-testid=join-code]").TextContentAsync())!.Trim();
        var names = new[] { "Ada", "Bob", "Cy" };
        var learners = new List<IPage>();
        foreach (var name in names)
        {
            var learner = await browser.OpenAsync("/join");
            await learner.Locator("input[data-testid=join-code-input]").FillAsync(code);
            await learner.Locator("input[data-testid=nickname-input]").FillAsync(name);
            await learner.Locator("button[data-testid=join]").ClickAsync();
            await Expect(learner.Locator("[data-testid=joined]")).ToContainTextAsync(code);
            learners.Add(learner);
        }

        await Expect(teacher.Locator("[data-testid=roster-nickname]")).ToHaveTextAsync(names);
        var panel = teacher.Locator("[data-testid=stampede-panel]");
        await panel.Locator("input[data-testid=stampede-window]").FillAsync(Window);
        await panel.Locator("input[data-testid=stampede-window]").PressAsync("Tab");

        // Round 1, no protection: every learner's read misses and loads.
        var none = await RunRoundAsync(teacher, learners, "none");
        await Expect(panel.Locator("[data-testid=stampede-readers]")).ToHaveTextAsync("3");
        await Expect(panel.Locator("[data-testid=stampede-loads]")).ToHaveTextAsync("3");
        Assert.All(none, r => Assert.Equal("Database", r.Source));

        // Round 2, the lock: one learner loads, the other two wait for that load.
        await panel.GetByText("The lock", new() { Exact = true }).ClickAsync();
        var locked = await RunRoundAsync(teacher, learners, "lock");
        await Expect(panel.Locator("[data-testid=stampede-readers]")).ToHaveTextAsync("3");
        await Expect(panel.Locator("[data-testid=stampede-loads]")).ToHaveTextAsync("1");
        Assert.Single(locked, r => r.Source == "Database");
        Assert.Equal(2, locked.Count(r => r.Source == "Lock"));

        // Side by side: both rounds in the table, newest first.
        var rows = panel.Locator("[data-testid=stampede-round-row]");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Locator("[data-testid=stampede-row-loads]")).ToHaveTextAsync(["1", "3"]);
        await Expect(rows.Locator("[data-testid=stampede-row-readers]")).ToHaveTextAsync(["3", "3"]);
        await teacher.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "class-stampede.png"), FullPage = true });
        await learners[0].ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "class-stampede-learner.png") });

        // axe on the teacher's panel and a learner's card: no serious or critical violation.
        await Axe.StopTransitionsAsync(teacher);
        await Axe.AssertNoSeriousAsync(panel);
        await Axe.AssertNoSeriousAsync(learners[0].Locator("[data-testid=stampede-card]"));

        foreach (var page in learners.Append(teacher))
        {
            await page.Context.CloseAsync();
        }
    }

    private static async Task<(string Nickname, string Source, double WaitMs)[]> RunRoundAsync(IPage teacher, List<IPage> learners, string protection)
    {
        var panel = teacher.Locator("[data-testid=stampede-panel]");
        var previous = await panel.Locator("[data-testid=stampede-current]").CountAsync() > 0
            ? await panel.Locator("[data-testid=stampede-current]").GetAttributeAsync("data-round")
            : null;
        await panel.Locator("button[data-testid=stampede-arm]").ClickAsync();
        var current = panel.Locator($"[data-testid=stampede-current][data-protection={protection}]");
        await Expect(current).ToBeVisibleAsync();
        var round = await current.GetAttributeAsync("data-round");
        Assert.NotEqual(previous, round);

        // Every learner gets the card of this round and presses Read, within the window.
        var cards = learners.Select(l => l.Locator($"[data-testid=stampede-card][data-round='{round}']")).ToList();
        foreach (var card in cards)
        {
            await Expect(card.Locator("button[data-testid=stampede-read]")).ToBeVisibleAsync();
        }

        foreach (var card in cards)
        {
            await card.Locator("button[data-testid=stampede-read]").ClickAsync();
        }

        // While the loads are held, the projector already counts three readers.
        await Expect(panel.Locator("[data-testid=stampede-readers]")).ToHaveTextAsync("3");

        // Each learner sees their own wait, and the projector lists the same measurement under their nickname.
        await Expect(panel.Locator("[data-testid=stampede-read-item]")).ToHaveCountAsync(3);
        var reads = new List<(string, string, double)>();
        for (var i = 0; i < learners.Count; i++)
        {
            var wait = cards[i].Locator("[data-testid=stampede-my-wait]");
            await Expect(wait).ToBeVisibleAsync();
            var ms = double.Parse((await wait.GetAttributeAsync("data-wait-ms"))!, CultureInfo.InvariantCulture);
            var source = (await cards[i].Locator("[data-testid=stampede-my-source]").GetAttributeAsync("data-source"))!;
            var shown = (await wait.TextContentAsync())!.Trim();
            Assert.StartsWith("You waited ", shown, StringComparison.Ordinal);
            Assert.True(ms > 0, $"{ms} ms");
            var nickname = i switch { 0 => "Ada", 1 => "Bob", _ => "Cy" };
            var item = panel.Locator("[data-testid=stampede-read-item]").Filter(new() { HasText = nickname + ":" });
            await Expect(item).ToHaveAttributeAsync("data-source", source);
            await Expect(item).ToContainTextAsync(shown["You waited ".Length..].TrimEnd('.'));
            await Expect(cards[i].Locator("[data-testid=stampede-error]")).ToHaveCountAsync(0);
            reads.Add((nickname, source, ms));
        }

        return [.. reads];
    }
}
