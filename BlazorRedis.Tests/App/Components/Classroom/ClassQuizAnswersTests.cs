using BlazorRedis.App.Components.Pages.Classroom;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Lessons;
using BlazorRedis.Tests.Core.Classroom;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace BlazorRedis.Tests.App.Components.Classroom;

/// <summary>The teacher's quiz answers panel, on the real Redis: bars per option and each learner's last answer, live.</summary>
public class ClassQuizAnswersTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private (MudTestContext Ctx, ClassService Classes, LessonProgressStore Progress) NewContext()
    {
        var ctx = new MudTestContext();
        var classes = ClassTestKit.NewService(redis);
        ctx.Services.AddSingleton(classes);
        ctx.Services.AddSingleton(ClassTestKit.NewHub(redis, classes));
        ctx.Services.AddScoped<BlazorRedis.App.Classroom.ClassPresenceState>();
        ctx.Services.AddSingleton(new ClassPolls(classes, redis.Tracer));
        ClassTestKit.AddClassExperiments(ctx.Services, redis, classes);
        ctx.Services.AddSingleton(ClassTestKit.NewStampede(redis, classes));
        var progress = ClassTestKit.AddCourse(ctx.Services, redis);
        return (ctx, classes, progress);
    }

    private static int[] Right(Quiz quiz) => [.. Enumerable.Range(0, quiz.Options.Count).Where(i => quiz.Options[i].Correct)];

    [Fact]
    public async Task Without_a_class_the_panel_says_to_open_one()
    {
        var (ctx, _, _) = NewContext();
        await using var disposeCtx = ctx;

        var cut = ctx.RenderWithProviders<ClassQuizAnswers>();

        Assert.Contains("Open a class", cut.Find("[data-testid=quiz-answers-no-class]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_lessons_answers_show_as_bars_and_rows_and_a_new_answer_arrives_live()
    {
        var (ctx, classes, progress) = NewContext();
        await using var disposeCtx = ctx;
        var open = (await classes.OpenAsync()).Value;
        var ada = LearnerId.New();
        var bob = LearnerId.New();
        await classes.JoinAsync(open.Code, "Ada", ada, ClassTestKit.Client());
        var bobMembership = (await classes.JoinAsync(open.Code, "Bob", bob, ClassTestKit.Client())).Value;
        var lesson = ctx.Services.GetRequiredService<LessonCatalog>().Lessons.First(l => l.Quizzes.Any());
        var first = lesson.Quizzes.First();
        var wrong = Enumerable.Range(0, first.Quiz.Options.Count).First(i => !first.Quiz.Options[i].Correct);
        await progress.RecordQuizAsync(ada, lesson.Info.Id, first.Index, first.Quiz.Grade(Right(first.Quiz)));

        var cut = ctx.RenderWithProviders<ClassQuizAnswers>(p => p.Add(x => x.Class, open));

        cut.WaitForAssertion(() => Assert.Equal(lesson.Quizzes.Count(), cut.FindAll("[data-testid=quiz-tally]").Count), Wait);
        Assert.Equal("1 right answer (1 first time), 0 wrong answers, 1 not answered", RenderedText.Squash(cut.FindAll("[data-testid=quiz-summary]")[0].TextContent));
        Assert.Equal(["Ada", "Bob"], cut.FindAll("[data-testid=quiz-learner] th").Select(e => e.TextContent.Trim()));
        Assert.StartsWith("✓", cut.FindAll("[data-testid=quiz-learner]")[0].QuerySelector("[data-testid=quiz-learner-answer]")!.TextContent, StringComparison.Ordinal);
        Assert.EndsWith("(first try)", cut.FindAll("[data-testid=quiz-learner]")[0].QuerySelector("[data-testid=quiz-learner-answer]")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("—", cut.FindAll("[data-testid=quiz-learner]")[1].QuerySelector("[data-testid=quiz-learner-answer]")!.TextContent.Trim());

        // Bob answers wrong; his lesson page reports the action, and the panel re-reads.
        await progress.RecordQuizAsync(bob, lesson.Info.Id, first.Index, first.Quiz.Grade([wrong]));
        await classes.ReportActionAsync(bobMembership, "Record a quiz answer");

        cut.WaitForAssertion(() => Assert.Equal("1 right answer (1 first time), 1 wrong answer, 0 not answered", RenderedText.Squash(cut.FindAll("[data-testid=quiz-summary]")[0].TextContent)), Wait);
        var counts = cut.FindAll("[data-testid=quiz-tally]")[0].QuerySelectorAll("[data-testid=quiz-option-count]").Select(e => int.Parse(e.TextContent, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(1, counts[wrong]);
        Assert.Equal(2, counts.Sum()); // single choice: one option each
        Assert.Equal("✗ " + (char)('A' + wrong) + " (1 try)", cut.FindAll("[data-testid=quiz-learner]")[1].QuerySelector("[data-testid=quiz-learner-answer]")!.TextContent.Trim());

        // Bob answers again, right: right after two tries, not first time, and the panel tells them apart.
        await progress.RecordQuizAsync(bob, lesson.Info.Id, first.Index, first.Quiz.Grade(Right(first.Quiz)));
        await classes.ReportActionAsync(bobMembership, "Record a quiz answer");

        cut.WaitForAssertion(() => Assert.Equal("2 right answers (1 first time), 0 wrong answers, 0 not answered", RenderedText.Squash(cut.FindAll("[data-testid=quiz-summary]")[0].TextContent)), Wait);
        Assert.EndsWith("(on try 2)", cut.FindAll("[data-testid=quiz-learner]")[1].QuerySelector("[data-testid=quiz-learner-answer]")!.TextContent.Trim(), StringComparison.Ordinal);
    }

    // "Show me the answer" on the lesson page: the teacher sees it beside the learner's answer, and a right answer given
    // after it says so (it is not first time).
    [Fact]
    public async Task A_learner_shown_the_answer_is_marked_and_a_right_answer_after_it_says_so()
    {
        var (ctx, classes, progress) = NewContext();
        await using var disposeCtx = ctx;
        var open = (await classes.OpenAsync()).Value;
        var ada = LearnerId.New();
        var adaMembership = (await classes.JoinAsync(open.Code, "Ada", ada, ClassTestKit.Client())).Value;
        var lesson = ctx.Services.GetRequiredService<LessonCatalog>().Lessons.First(l => l.Quizzes.Any());
        var first = lesson.Quizzes.First();
        var wrong = Enumerable.Range(0, first.Quiz.Options.Count).First(i => !first.Quiz.Options[i].Correct);
        await progress.RecordQuizAsync(ada, lesson.Info.Id, first.Index, first.Quiz.Grade([wrong]));
        await progress.RecordAnswerShownAsync(ada, lesson.Info.Id, first.Index);

        var cut = ctx.RenderWithProviders<ClassQuizAnswers>(p => p.Add(x => x.Class, open));
        string Ada() => cut.FindAll("[data-testid=quiz-learner]")[0].QuerySelector("[data-testid=quiz-learner-answer]")!.TextContent.Trim();

        cut.WaitForAssertion(() => Assert.Equal("✗ " + (char)('A' + wrong) + " (1 try, shown the answer)", Ada()), Wait);
        Assert.Equal("0 right answers (0 first time), 1 wrong answer, 0 not answered", RenderedText.Squash(cut.FindAll("[data-testid=quiz-summary]")[0].TextContent));

        await progress.RecordQuizAsync(ada, lesson.Info.Id, first.Index, first.Quiz.Grade(Right(first.Quiz)));
        await classes.ReportActionAsync(adaMembership, "Record a quiz answer");

        cut.WaitForAssertion(() => Assert.EndsWith("(on try 2, after being shown the answer)", Ada(), StringComparison.Ordinal), Wait);
        Assert.Equal("1 right answer (0 first time), 0 wrong answers, 0 not answered", RenderedText.Squash(cut.FindAll("[data-testid=quiz-summary]")[0].TextContent));
    }

    [Fact]
    public async Task The_teacher_opens_a_class_on_the_teacher_page_and_the_quiz_panel_follows_it()
    {
        var (ctx, _, _) = NewContext();
        await using var disposeCtx = ctx;
        ctx.Services.AddSingleton(new LearnerKeysReset(new KeyspaceJanitor(redis.Multiplexer, redis.Tracer), redis.NewKeyspace()));
        ctx.ActAsTeacher();
        var cut = ctx.RenderWithProviders<TeacherPage>();
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=open-class]").HasAttribute("disabled")), Wait);
        Assert.NotEmpty(cut.FindAll("[data-testid=quiz-answers-no-class]"));

        await cut.InvokeAsync(() => cut.Find("button[data-testid=open-class]").Click());

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=quiz-answers-empty]")), Wait);
        Assert.NotEmpty(cut.FindAll("[data-testid=quiz-tally]"));
    }

    [Fact]
    public async Task A_slow_read_of_the_lesson_before_never_shows_under_the_lesson_picked_since()
    {
        var (ctx, classes, progress) = NewContext();
        await using var disposeCtx = ctx;
        var reporter = new GatedReporter(classes, progress);
        ctx.Services.AddSingleton<ClassQuizReporter>(reporter);
        var open = (await classes.OpenAsync()).Value;
        await classes.JoinAsync(open.Code, "Ada", LearnerId.New(), ClassTestKit.Client());

        var cut = ctx.RenderWithProviders<ClassQuizAnswers>(p => p.Add(x => x.Class, open));
        var withQuizzes = ctx.Services.GetRequiredService<LessonCatalog>().Lessons.Where(l => l.Quizzes.Any()).Take(2).ToArray();
        var (a, b) = (withQuizzes[0], withQuizzes[1]);
        var held = await reporter.Held.Task.WaitAsync(Wait, Xunit.TestContext.Current.CancellationToken); // the first read, slowly
        Assert.Equal(a.Info.Id, held);
        await cut.InvokeAsync(() => cut.FindComponent<MudSelect<string>>().Instance.ValueChanged.InvokeAsync(b.Info.Id));
        cut.WaitForAssertion(() => Assert.Equal(Questions(b), Questions(cut)), Wait);

        var renders = cut.RenderCount;
        reporter.Release();
        cut.WaitForState(() => cut.RenderCount > renders, Wait); // lesson A's read came back, and the panel drew again

        Assert.Equal(Questions(b), Questions(cut));
    }

    [Fact]
    public async Task Closing_the_panel_while_a_refresh_waits_cancels_it_and_reads_nothing_more()
    {
        var (ctx, classes, progress) = NewContext();
        await using var disposeCtx = ctx;
        var clock = new ManualTimeProvider();
        ctx.Services.AddSingleton<TimeProvider>(clock);
        var reporter = new CountingReporter(classes, progress);
        ctx.Services.AddSingleton<ClassQuizReporter>(reporter);
        var open = (await classes.OpenAsync()).Value;
        var ada = (await classes.JoinAsync(open.Code, "Ada", LearnerId.New(), ClassTestKit.Client())).Value;
        var cut = ctx.RenderWithProviders<ClassQuizAnswers>(p => p.Add(x => x.Class, open));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=quiz-tally]")), Wait);
        var reads = reporter.Reads;

        // MudBlazor's own services may keep timers on the same clock: count the panel's against them.
        var others = clock.TimerCount;

        // Ada acts: the panel waits a second on the app's clock to read once for every event of that second.
        await classes.ReportActionAsync(ada, "Record a quiz answer");
        // A timer made is not a render, which is all WaitForAssertion re-checks on: poll for it.
        var deadline = DateTime.UtcNow + Wait;
        while (clock.TimerCount != others + 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the panel never started its wait on the app's clock");
            await Task.Delay(20, Xunit.TestContext.Current.CancellationToken);
        }

        await ctx.DisposeComponentsAsync();

        Assert.Equal(others, clock.TimerCount);
        clock.Advance(TimeSpan.FromSeconds(5));
        await Task.Yield();
        Assert.Equal(reads, reporter.Reads);
    }

    private static string[] Questions(Lesson lesson) => [.. lesson.Quizzes.Select((q, n) => RenderedText.Squash($"Q{n + 1}. {q.Quiz.Question}"))];

    private static string[] Questions(IRenderedComponent<ClassQuizAnswers> cut) =>
        [.. cut.FindAll("[data-testid=quiz-tally] h3").Select(e => RenderedText.Squash(e.TextContent))];

    /// <summary>Counts the reads (each one is Redis calls).</summary>
    private sealed class CountingReporter(ClassService classes, LessonProgressStore progress) : ClassQuizReporter(classes, progress)
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public override Task<ClassQuizReport> ReadAsync(string code, Lesson lesson, IDictionary<string, LessonProgress>? known = null, IReadOnlySet<string>? changed = null)
        {
            Interlocked.Increment(ref _reads);
            return base.ReadAsync(code, lesson, known, changed);
        }
    }

    /// <summary>Holds the first read until the test releases it.</summary>
    private sealed class GatedReporter(ClassService classes, LessonProgressStore progress) : ClassQuizReporter(classes, progress)
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Set to the held read's lesson.</summary>
        public TaskCompletionSource<string> Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _gate.TrySetResult();

        public override async Task<ClassQuizReport> ReadAsync(string code, Lesson lesson, IDictionary<string, LessonProgress>? known = null, IReadOnlySet<string>? changed = null)
        {
            if (Held.TrySetResult(lesson.Info.Id))
            {
                await _gate.Task;
            }

            return await base.ReadAsync(code, lesson, known, changed);
        }
    }
}
