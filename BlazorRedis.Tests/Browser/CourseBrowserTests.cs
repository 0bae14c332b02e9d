using BlazorRedis.Core.Lessons;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorRedis.Tests.Browser;

/// <summary>A learner completes a whole lesson in Chromium, on the real app and Redis, and sees it on the course page.</summary>
public class CourseBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string LessonId = "what-is-redis";

    private static readonly LocatorAssertionsToContainTextOptions Slow = new() { Timeout = 30_000 };

    [Fact]
    public async Task A_learner_fails_a_check_runs_the_blocks_passes_answers_every_question_and_sees_the_lesson_completed()
    {
        var lesson = LessonFiles.ReadDirectory(Path.Combine(AppContext.BaseDirectory, "Lessons")).Select(f => f.Lesson).Single(l => l?.Info.Id == LessonId)!;

        // A new learner checks the hashes lesson before running it: HEXISTS user:77 email == 0 once ticked green for a
        // key never made. Now no line is green, and that one is still to do.
        var page = await browser.OpenAsync("/course/hashes");
        var hashes = page.Locator("[data-testid=check-block]").First;
        await hashes.Locator("button[data-testid=check-my-work]").ClickAsync();
        var hexists = hashes.Locator("[data-testid=check-line]", new() { HasText = "HEXISTS user:77 email == 0" }).Locator("[data-testid=check-result]");
        await Expect(hexists).ToHaveAttributeAsync("data-state", "not-started", new() { Timeout = 30_000 });
        await Expect(hexists).ToContainTextAsync("user:77 does not exist yet");
        await Expect(hashes.Locator("[data-testid=check-result][data-passed=true]")).ToHaveCountAsync(0);

        await page.GotoAsync($"/course/{LessonId}");
        await page.Locator("[data-interactive='true']").WaitForAsync();
        await Expect(page.Locator("[data-testid=page-title]")).ToHaveTextAsync(lesson.Info.Title);
        var steps = lesson.Checks.Count() + lesson.Quizzes.Count();
        await Expect(page.Locator("[data-testid=lesson-meta]")).ToContainTextAsync($"0 of {steps} steps done", Slow);

        // Checked before doing anything: it fails and says what it found.
        var firstCheck = page.Locator("[data-testid=check-block]").First;
        await firstCheck.Locator("button[data-testid=check-my-work]").ClickAsync();
        await Expect(firstCheck.Locator("[data-testid=check-result][data-passed=false]").First).ToContainTextAsync("Not yet", Slow);

        var blocks = page.Locator("[data-testid=redis-block]");
        for (var i = 0; i < await blocks.CountAsync(); i++)
        {
            await blocks.Nth(i).Locator("button[data-testid=run-block]").ClickAsync();
            await Expect(blocks.Nth(i).Locator("[data-testid=block-reply]")).ToHaveCountAsync(lesson.Segments.OfType<RedisSegment>().ElementAt(i).Commands.Count, new() { Timeout = 30_000 });
        }

        var checks = page.Locator("[data-testid=check-block]");
        for (var i = 0; i < await checks.CountAsync(); i++)
        {
            await checks.Nth(i).Locator("button[data-testid=check-my-work]").ClickAsync();
            await Expect(checks.Nth(i).Locator("[data-testid=check-passed-before]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Expect(checks.Nth(i).Locator("[data-testid=check-result][data-passed=false]")).ToHaveCountAsync(0);
        }

        var quizzes = page.Locator("[data-testid=quiz-block]");
        foreach (var quiz in lesson.Quizzes)
        {
            var block = quizzes.Nth(quiz.Index);
            for (var o = 0; o < quiz.Quiz.Options.Count; o++)
            {
                if (quiz.Quiz.Options[o].Correct)
                {
                    await block.Locator("[data-testid=quiz-choice]").Nth(o).CheckAsync();
                }
            }

            await block.Locator("button[data-testid=quiz-submit]").ClickAsync();
            await Expect(block.Locator("[data-testid=quiz-verdict]")).ToHaveTextAsync("Right!", new() { Timeout = 30_000 });
        }

        await Expect(page.Locator("[data-testid=lesson-meta]")).ToContainTextAsync($"{steps} of {steps} steps done", Slow);
        Directory.CreateDirectory(BrowserFixture.ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "course-lesson.png"), FullPage = true });

        await page.Locator("a[href='/course']").First.ClickAsync();
        var card = page.Locator($"[data-testid=lesson-card][data-lesson={LessonId}]");
        await Expect(card.Locator("[data-testid=lesson-steps]")).ToHaveTextAsync("Completed", new() { Timeout = 30_000 });
        // Finished: the course suggests the next lesson, not "pick up where you left off" on this one.
        await Expect(page.Locator("[data-testid=resume]")).ToContainTextAsync($"You finished {lesson.Info.Title}. Next:");
        await Expect(page.Locator("[data-testid=resume-link]")).ToHaveAttributeAsync("href", "/course/strings-and-ttl");
    }

    [Fact]
    public async Task A_learner_runs_the_real_lab_inside_a_lesson_and_the_diagram_replays_its_path()
    {
        var page = await browser.OpenAsync("/course/sessions");
        var demo = page.Locator("[data-testid=demo-block]").First;

        await demo.Locator("button[data-testid=demo-toggle]").ClickAsync();
        var lab = demo.Locator("[data-testid=embedded-lab]");
        await Expect(lab.Locator("[data-testid=no-sessions]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await lab.Locator("button[data-testid=login]").ClickAsync();

        await Expect(lab.Locator("[data-testid=session-key]")).ToContainTextAsync("session:", Slow);
        // The lesson's diagram replays the lab's real run: its hops go to the diagram's Redis hash box, each with its time.
        var hop = page.Locator("[data-testid=diagram-hop]").First;
        await Expect(hop).ToHaveAttributeAsync("data-to", "Redis hash", new() { Timeout = 30_000 });
        await Expect(hop.Locator("[data-testid=diagram-hop-time]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[\d.]+ ms$"));
        await page.Locator("[data-testid=diagram]").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "course-diagram.png") });
        await demo.Locator("button[data-testid=demo-toggle]").ClickAsync();
        await Expect(lab).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Open_in_workbench_carries_a_lessons_commands_into_the_console_where_they_run()
    {
        var page = await browser.OpenAsync($"/course/{LessonId}");
        var block = page.Locator("[data-testid=redis-block]").First;
        var commands = (await block.Locator("code").InnerTextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        await block.Locator("[data-testid=open-in-workbench]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/workbench\\?script="));
        await page.Locator("[data-interactive='true']").WaitForAsync();
        await page.Locator("button[data-testid=run-script]").ClickAsync();

        await Expect(page.Locator("[data-testid=entry]")).ToHaveCountAsync(commands.Length, new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=script-position]")).ToHaveTextAsync($"All {commands.Length} lines run.");
    }
}
