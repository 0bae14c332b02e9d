using System.Text.RegularExpressions;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorRedis.Tests.Browser;

/// <summary>
/// A teacher and three learners, each in their own browser context, through the real app, Redis and pub/sub: join by
/// code, the roster updates, "bring everyone here" (and catch up), pause and resume, a poll answered and tallied.
/// </summary>
public partial class ClassLiveBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [GeneratedRegex("/data-structures/hashes$")]
    private static partial Regex HashesPage();

    [Fact]
    public async Task A_teacher_and_three_learners_run_a_class_live()
    {
        var teacher = await browser.OpenAsTeacherAsync("/teacher");
        await teacher.Locator("button[data-testid=open-class]").ClickAsync();
        var code = (await teacher.Locator("[data-testid=join-code]").TextContentAsync())!.Trim();

        // Join by code: each learner types the code and a nickname; the teacher's roster grows live.
        var names = new[] { "Ada", "Bob", "Cy" };
        var learners = new List<IPage>();
        foreach (var name in names)
        {
            var learner = await browser.OpenAsync("/join");
            await learner.Locator("input[data-testid=join-code-input]").FillAsync(code.ToLowerInvariant());
            await learner.Locator("input[data-testid=nickname-input]").FillAsync(name);
            await learner.Locator("button[data-testid=join]").ClickAsync();
            await Expect(learner.Locator("[data-testid=joined]")).ToContainTextAsync(code);
            learners.Add(learner);
        }

        await Expect(teacher.Locator("[data-testid=roster-nickname]")).ToHaveTextAsync(names);

        // Bring everyone here, from the teacher bar on a demo page.
        await AppPages.GoAsync(teacher, "/data-structures/hashes");
        await teacher.Locator("button[data-testid=bar-bring]").ClickAsync();
        foreach (var learner in learners)
        {
            await Expect(learner).ToHaveURLAsync(HashesPage());
        }

        // A learner who steps away catches up in one click.
        await learners[0].Locator("[data-testid=nav] a[href='/sessions']").First.ClickAsync();
        await Expect(learners[0].Locator("button[data-testid=catch-up]")).ToBeVisibleAsync();

        // On a phone, "catch up" and the class channel's button both stay whole and tappable: neither covers the other.
        var size = learners[0].ViewportSize!;
        await learners[0].SetViewportSizeAsync(390, 844);
        var catchUp = (await learners[0].Locator("button[data-testid=catch-up]").BoundingBoxAsync())!;
        var chat = (await learners[0].Locator("button[data-testid=chat-open]").BoundingBoxAsync())!;
        Assert.True(
            catchUp.Y + catchUp.Height <= chat.Y || chat.Y + chat.Height <= catchUp.Y || catchUp.X + catchUp.Width <= chat.X || chat.X + chat.Width <= catchUp.X,
            $"catch up ({catchUp.X},{catchUp.Y} {catchUp.Width}x{catchUp.Height}) overlaps the chat button ({chat.X},{chat.Y} {chat.Width}x{chat.Height})");
        await learners[0].Locator("button[data-testid=chat-open]").ClickAsync(new LocatorClickOptions { Trial = true }); // nothing on top of it
        await learners[0].SetViewportSizeAsync(size.Width, size.Height);

        await learners[0].Locator("button[data-testid=catch-up]").ClickAsync();
        await Expect(learners[0]).ToHaveURLAsync(HashesPage());
        await Expect(learners[0].Locator("[data-testid=catch-up]")).ToHaveCountAsync(0);

        // Pause: a modal overlay with the focus on every learner's screen; resume: gone.
        await teacher.Locator("button[data-testid=bar-pause]").ClickAsync();
        foreach (var learner in learners)
        {
            await Expect(learner.Locator("[role=dialog][aria-modal=true]")).ToBeFocusedAsync();
            await Expect(learner.Locator("[role=dialog]")).ToContainTextAsync("The teacher paused the class");
        }

        await learners[2].ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "class-paused.png") });
        await teacher.Locator("button[data-testid=bar-pause]").ClickAsync();
        foreach (var learner in learners)
        {
            await Expect(learner.Locator("[data-testid=class-paused]")).ToHaveCountAsync(0);
        }

        // A poll: pushed from /teacher, answered by the three, tallied live on the teacher's page.
        await AppPages.GoAsync(teacher, "/teacher");
        await teacher.Locator("input[data-testid=poll-question-input]").FillAsync("Which command reads one field of a hash?");
        await teacher.Locator("input[data-testid=poll-option-input]").Nth(0).FillAsync("GET");
        await teacher.Locator("input[data-testid=poll-option-input]").Nth(1).FillAsync("HGET");
        await teacher.Locator("button[data-testid=poll-push]").ClickAsync();
        var picks = new[] { 1, 1, 0 };
        for (var i = 0; i < learners.Count; i++)
        {
            var card = learners[i].Locator("[data-testid=poll-card]");
            await Expect(card.Locator("[data-testid=poll-question]")).ToHaveTextAsync("Which command reads one field of a hash?");
            await card.Locator("input[data-testid=poll-choice]").Nth(picks[i]).CheckAsync();
            await card.Locator("button[data-testid=poll-send]").ClickAsync();
            await Expect(card.Locator("[data-testid=poll-sent]")).ToContainTextAsync("Answer sent");
        }

        await Expect(teacher.Locator("[data-testid=poll-count]")).ToHaveTextAsync(["1", "2"]);
        await Expect(teacher.Locator("[data-testid=poll-voters]")).ToContainTextAsync("3 answers");
        await teacher.Locator("input[data-testid=poll-mark-correct]").Nth(1).CheckAsync();
        await teacher.Locator("button[data-testid=poll-reveal]").ClickAsync();
        await Expect(learners[0].Locator("[data-testid=poll-sent]")).ToContainTextAsync("Right!");
        await Expect(learners[2].Locator("[data-testid=poll-sent]")).ToContainTextAsync("Not quite");
        await teacher.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "class-poll.png"), FullPage = true });

        foreach (var page in learners.Append(teacher))
        {
            await page.Context.CloseAsync();
        }
    }
}
