using BlazorRedis.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorRedis.Tests.Browser;

/// <summary>A teacher and a learner in separate browser contexts: each learner's lab is their own; the class-wide controls are the teacher's alone.</summary>
public class ClassroomBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_learners_caching_lab_is_their_own_the_class_wide_controls_are_the_teachers_and_the_teacher_resets_every_learners_keys()
    {
        var slow = new LocatorAssertionsToHaveAttributeOptions { Timeout = 20_000 };
        var learner = await browser.OpenAsync("/caching");
        var teacher = await browser.OpenAsTeacherAsync("/caching");
        await Expect(learner.Locator("[data-testid=lab-scope]")).ToContainTextAsync("Your own lab");
        await Expect(teacher.Locator("[data-testid=lab-scope]")).ToContainTextAsync("The shared catalog");
        var teacherLatency = await teacher.Locator("[data-testid=latency-now]").InnerTextAsync();

        // The learner's latency is their lab's: the teacher's (the shared catalog's) does not move.
        await CachingBrowserTests.SetNumberAsync(learner, "latency-input", "37");
        await learner.Locator("button[data-testid=set-latency]").ClickAsync();
        await Expect(learner.Locator("[data-testid=latency-now]")).ToContainTextAsync("37 ms");
        await teacher.ReloadAsync();
        await Expect(teacher.Locator("[data-testid=latency-now]")).ToContainTextAsync(teacherLatency.Split('·')[0].Trim());
        await Expect(teacher.Locator("[data-testid=latency-now]")).Not.ToContainTextAsync("37 ms");

        // The learner's copy is cached under their own keyspace.
        await learner.Locator("button[data-testid=race]").ClickAsync();
        await Expect(learner.Locator("[data-testid=source-cached]")).ToHaveAttributeAsync("data-source", "database", slow);
        await learner.Locator("button[data-testid=race]").ClickAsync();
        await Expect(learner.Locator("[data-testid=source-cached]")).ToHaveAttributeAsync("data-source", "cache", slow);
        await Expect(learner.Locator("[data-testid=ttl-panel] code")).ToContainTextAsync(":learner:{");

        // What stays the teacher's: the eviction lab run for the class.
        await AppPages.GoAsync(learner, "/caching/eviction");
        await Expect(learner.Locator("button[data-testid=run]")).ToBeDisabledAsync();
        await Expect(learner.Locator("[data-testid=teacher-only]")).ToContainTextAsync("The teacher controls this");

        await AppPages.GoAsync(learner, "/teacher");
        await Expect(learner.Locator("[data-testid=not-teacher]")).ToBeVisibleAsync();

        await AppPages.GoAsync(teacher, "/teacher");
        await teacher.Locator("button[data-testid=reset-learners]").ClickAsync();
        await teacher.Locator("button[data-testid=reset-learners-yes]").ClickAsync();
        await Expect(teacher.Locator("[data-testid=reset-learners-result]")).ToContainTextAsync("deleted");

        // The learner's cached copy went with their keys: the next read loads it again.
        await AppPages.GoAsync(learner, "/caching");
        await learner.Locator("button[data-testid=race]").ClickAsync();
        await Expect(learner.Locator("[data-testid=source-cached]")).ToHaveAttributeAsync("data-source", "database", slow);
        await teacher.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "teacher.png"), FullPage = true });
        await learner.Context.CloseAsync();
        await teacher.Context.CloseAsync();
    }
}
