using System.Text.RegularExpressions;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorRedis.Tests.Browser;

/// <summary>
/// The class leaderboard and the class channel through the real app, Redis and pub/sub: a teacher and two learners, each
/// in their own browser context. Learners act, the teacher's leaderboard moves; messages cross between the three; the
/// teacher's message is highlighted; a muted learner's next post is refused.
/// </summary>
public partial class ClassExperimentsBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [GeneratedRegex("br-chat-teacher")]
    private static partial Regex TeacherHighlight();

    private static async Task<IPage> JoinAsync(BrowserFixture browser, string code, string name)
    {
        var learner = await browser.OpenAsync("/join");
        await learner.Locator("input[data-testid=join-code-input]").FillAsync(code);
        await learner.Locator("input[data-testid=nickname-input]").FillAsync(name);
        await learner.Locator("button[data-testid=join]").ClickAsync();
        await Expect(learner.Locator("[data-testid=joined]")).ToContainTextAsync(code);
        return learner;
    }

    private static async Task PushJobsAsync(IPage learner, int jobs)
    {
        await AppPages.GoAsync(learner, "/data-structures/lists");
        await learner.Locator("[data-testid=run-scenario]:not([disabled])").WaitForAsync();
        for (var i = 0; i < jobs; i++)
        {
            await learner.Locator("input[data-testid=job-name], [data-testid=job-name] input").FillAsync("job_" + i);
            await learner.Locator("[data-testid=push-job]").ClickAsync();
            await learner.Locator($"[data-testid=queue-box]:has-text('job_{i}')").WaitForAsync();
        }
    }

    private static async Task<ILocator> OpenChatAsync(IPage learner)
    {
        var card = learner.Locator("[data-testid=chat-card]");
        await card.Locator("button[data-testid=chat-open]").ClickAsync();
        await Expect(card.Locator("input[data-testid=chat-input]")).ToBeVisibleAsync();
        return card;
    }

    private static async Task PostAsync(ILocator card, string text)
    {
        await card.Locator("input[data-testid=chat-input]").FillAsync(text);
        await card.Locator("button[data-testid=chat-send]").ClickAsync();
    }

    [Fact]
    public async Task Learners_actions_move_the_leaderboard_and_the_class_channel_carries_highlights_and_mutes()
    {
        var teacher = await browser.OpenAsTeacherAsync("/teacher");
        await teacher.Locator("button[data-testid=open-class]").ClickAsync();
        var code = (await teacher.Locator("[data-testid=join-code]").TextContentAsync())!.Trim();
        var ada = await JoinAsync(browser, code, "Ada");
        var bob = await JoinAsync(browser, code, "Bob");

        // Learners act in a lab: every action scores on the server; the projector's leaderboard follows live. Joining is
        // an action; the lab's read as its page opens is not (the learner did nothing): Ada scores 1 + 3, Bob 1 + 1 (a
        // burst within the roster's 2-second gap is reported once and still scores every action).
        await PushJobsAsync(ada, 3);
        await PushJobsAsync(bob, 1);
        var rows = teacher.Locator("[data-testid=leaderboard-row]");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0)).ToHaveAttributeAsync("data-nickname", "Ada");
        await Expect(rows.Nth(0)).ToHaveAttributeAsync("data-score", "4");
        await Expect(rows.Nth(1)).ToHaveAttributeAsync("data-nickname", "Bob");
        await Expect(rows.Nth(1)).ToHaveAttributeAsync("data-score", "2");

        // A learner posts; the other learner and the teacher see it; each learner sees their own rank.
        var adaChat = await OpenChatAsync(ada);
        var bobChat = await OpenChatAsync(bob);
        await Expect(adaChat.Locator("[data-testid=my-rank]")).ToContainTextAsync("You are #1 of 2");
        await Expect(bobChat.Locator("[data-testid=my-rank]")).ToContainTextAsync("You are #2 of 2");
        await PostAsync(adaChat, "Is <b>LPUSH</b> O(1)?");
        await Expect(bobChat.Locator("[data-testid=chat-text]")).ToHaveTextAsync(["Is <b>LPUSH</b> O(1)?"]);
        var teacherMessages = teacher.Locator("[data-testid=channel-panel] [data-testid=chat-message]");
        await Expect(teacherMessages).ToHaveCountAsync(1);
        await Expect(teacherMessages.Nth(0)).ToContainTextAsync("Is <b>LPUSH</b> O(1)?");

        // The teacher answers: highlighted on every screen.
        await teacher.Locator("input[data-testid=teacher-chat-input]").FillAsync("Yes: it adds at the head.");
        await teacher.Locator("button[data-testid=teacher-chat-send]").ClickAsync();
        foreach (var card in new[] { adaChat, bobChat })
        {
            var answer = card.Locator("[data-testid=chat-message][data-teacher=true]");
            await Expect(answer).ToContainTextAsync("Yes: it adds at the head.");
            await Expect(answer).ToHaveClassAsync(TeacherHighlight());
        }

        var background = await adaChat.Locator("[data-testid=chat-message][data-teacher=true]").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        var plain = await adaChat.Locator("[data-testid=chat-message][data-teacher=false]").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        Assert.NotEqual(plain, background);

        // Bob posts; the teacher mutes him from his message; his next post is refused and reaches nobody.
        await PostAsync(bobChat, "Can I have the projector?");
        var bobsMessage = teacher.Locator("[data-testid=channel-panel] [data-testid=chat-message][data-author=Bob]");
        await Expect(bobsMessage).ToHaveCountAsync(1);
        await bobsMessage.Locator("button[data-testid=chat-mute]").ClickAsync();
        await Expect(bobsMessage.Locator("button[data-testid=chat-unmute]")).ToBeVisibleAsync();
        await Expect(bobChat.Locator("[data-testid=chat-muted]")).ToBeVisibleAsync();
        await PostAsync(bobChat, "Hello?");
        await Expect(bobChat.Locator("[data-testid=chat-error]")).ToContainTextAsync("The teacher muted you");
        await Expect(adaChat.Locator("[data-testid=chat-message]")).ToHaveCountAsync(3);
        await Expect(teacherMessages).ToHaveCountAsync(3);
        await teacher.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "class-channel.png"), FullPage = true });

        foreach (var page in new[] { ada, bob, teacher })
        {
            await page.Context.CloseAsync();
        }
    }
}
