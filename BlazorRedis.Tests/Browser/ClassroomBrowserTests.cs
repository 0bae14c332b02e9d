using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorRedis.Tests.Browser;

/// <summary>A teacher and a learner in separate browser contexts: the class-wide controls are the teacher's alone.</summary>
public class ClassroomBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_teacher_has_the_class_wide_controls_and_a_learner_sees_them_read_only()
    {
        var learner = await browser.OpenAsync("/caching");
        var teacher = await browser.OpenAsTeacherAsync("/caching");

        await Expect(learner.Locator("button[data-testid=set-latency]")).ToBeDisabledAsync();
        await Expect(learner.Locator("[data-testid=teacher-only]")).ToContainTextAsync("The teacher controls this");
        await Expect(teacher.Locator("button[data-testid=set-latency]")).ToBeEnabledAsync();
        await Expect(teacher.Locator("[data-testid=teacher-only]")).ToHaveCountAsync(0);

        await AppPages.GoAsync(learner, "/teacher");
        await Expect(learner.Locator("[data-testid=not-teacher]")).ToBeVisibleAsync();

        await AppPages.GoAsync(teacher, "/teacher");
        await teacher.Locator("button[data-testid=reset-learners]").ClickAsync();
        await Expect(teacher.Locator("[data-testid=reset-learners-result]")).ToContainTextAsync("deleted");
        await teacher.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "teacher.png"), FullPage = true });
        await learner.Context.CloseAsync();
        await teacher.Context.CloseAsync();
    }
}
