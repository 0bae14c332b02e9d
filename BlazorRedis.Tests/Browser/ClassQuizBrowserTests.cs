using BlazorRedis.Core.Lessons;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorRedis.Tests.Browser;

/// <summary>A teacher opens a class, a learner joins and answers a lesson's quiz, and the teacher sees the answer live.</summary>
public class ClassQuizBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string LessonId = "what-is-redis";

    private static readonly LocatorAssertionsToContainTextOptions Slow = new() { Timeout = 30_000 };

    [Fact]
    public async Task The_teacher_sees_a_learners_quiz_answer_arrive_in_the_class_quiz_panel()
    {
        var lesson = LessonFiles.ReadDirectory(Path.Combine(AppContext.BaseDirectory, "Lessons")).Select(f => f.Lesson).Single(l => l?.Info.Id == LessonId)!;
        var quiz = lesson.Quizzes.First().Quiz;
        var wrong = Enumerable.Range(0, quiz.Options.Count).First(i => !quiz.Options[i].Correct);

        var teacher = await browser.OpenAsTeacherAsync("/teacher");
        var open = teacher.Locator("button[data-testid=open-class]");
        await Expect(open.Or(teacher.Locator("[data-testid=join-code]"))).ToBeVisibleAsync(new() { Timeout = 30_000 });
        if (await open.IsVisibleAsync())
        {
            await open.ClickAsync();
        }

        var code = (await teacher.Locator("[data-testid=join-code]").TextContentAsync(new() { Timeout = 30_000 }))!.Trim();
        await Expect(teacher.Locator("[data-testid=quiz-lesson]")).ToBeVisibleAsync();

        var learner = await browser.OpenAsync($"/join/{code}");
        await learner.Locator("input[data-testid=nickname-input]").FillAsync("Quinn");
        await learner.Locator("button[data-testid=join]").ClickAsync();
        await Expect(learner.Locator("[data-testid=joined]")).ToContainTextAsync("Quinn", Slow);
        await Expect(teacher.Locator("[data-testid=quiz-learner] th")).ToContainTextAsync("Quinn", Slow);

        await AppPages.GoAsync(learner, $"/course/{LessonId}");
        var block = learner.Locator("[data-testid=quiz-block]").First;
        await block.Locator("[data-testid=quiz-choice]").Nth(wrong).CheckAsync();
        await block.Locator("button[data-testid=quiz-submit]").ClickAsync();
        await Expect(block.Locator("[data-testid=quiz-verdict]")).ToContainTextAsync("Not quite", Slow);

        var first = teacher.Locator("[data-testid=quiz-tally]").First;
        await Expect(first.Locator("[data-testid=quiz-summary]")).ToContainTextAsync("1 wrong answer", Slow);
        await Expect(first.Locator("[data-testid=quiz-option-count]").Nth(wrong)).ToHaveTextAsync("1");
        await Expect(teacher.Locator("[data-testid=quiz-learner-answer]").First).ToContainTextAsync("✗ " + (char)('A' + wrong));

        await Axe.StopTransitionsAsync(teacher);
        await Axe.AssertNoSeriousAsync(teacher);
        await teacher.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "teacher-quiz-answers.png"), FullPage = true });
        await learner.Context.CloseAsync();
        await teacher.Context.CloseAsync();
    }
}
