using BlazorRedis.App.Components.Pages.Course;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Lessons;
using BlazorRedis.Core.Sessions;
using BlazorRedis.Core.Workbench;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.App.Components.Pages;

/// <summary>The course and lesson pages on a real Redis, with a one-lesson course written to a temporary folder.</summary>
public sealed class LessonPageTests : MudTestContext
{
    internal const string LessonText = """
        ---
        id: greetings
        title: Greetings that expire
        area: Data structures
        order: 1
        minutes: 5
        prerequisites:
        ---
        ## Set a greeting

        A **string** with a time to live. See [the strings demo](/data-structures/strings).

        ```redis
        SET greeting "hello world"
        EXPIRE greeting 60
        ```

        ```check
        TYPE greeting == string
        TTL greeting in 1..60 -- Run the block above: EXPIRE gives the key its TTL.
        ```

        ```quiz
        question: What does TTL answer for a key that does not exist?
        - [ ] -1 -- That is a key with no expiry.
        - [x] -2 -- Right: -2 means there is no such key.
        ```

        ```demo
        sessions
        ```

        ```diagram
        cache-aside
        ```
        """;

    private static TimeSpan Wait => TimeSpan.FromSeconds(15);

    private readonly RedisServerFixture _redis;
    private readonly string _folder = Directory.CreateTempSubdirectory("br-course-").FullName;
    private readonly RedisKeyspace _keyspace;
    private readonly LessonProgressStore _progress;
    private readonly LessonCatalog _catalog;

    public LessonPageTests(RedisServerFixture redis)
    {
        _redis = redis;
        _keyspace = redis.NewKeyspace();
        File.WriteAllText(Path.Combine(_folder, "01-greetings.md"), LessonText);
        File.WriteAllText(Path.Combine(_folder, "02-broken.md"), "no front matter here");
        var options = Options.Create(new LessonOptions { BuiltInDirectory = _folder });
        _progress = new LessonProgressStore(redis.Multiplexer, _keyspace, redis.Tracer, options);
        _catalog = new LessonCatalog(options, NullLogger<LessonCatalog>.Instance);
        Services.AddSingleton(_catalog);
        Services.AddSingleton(_progress);
        Services.AddSingleton(new CheckEvaluator(redis.Multiplexer, redis.Tracer));
        Services.AddKeyedSingleton<ISessionStore>(RedisSessionStore.DemoArea, new RedisSessionStore(redis.Multiplexer, _keyspace, redis.Tracer, Options.Create(new SessionOptions()), area: RedisSessionStore.DemoArea));
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton(new WorkbenchExecutor(
            redis.Multiplexer, redis.Tracer, _keyspace, new RedisCommandBudget(redis.Multiplexer, TimeSpan.FromSeconds(2)), Options.Create(new WorkbenchOptions())));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _catalog.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task LastLessonBecomesAsync(string id)
    {
        var deadline = DateTime.UtcNow + Wait;
        while ((await _progress.GetAsync(Learner.Id)).Value.LastLesson != id)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the last lesson did not become '{id}' within {Wait.TotalSeconds} s");
            await Task.Delay(50, Xunit.TestContext.Current.CancellationToken);
        }
    }

    private static CheckSegment GreetingsCheck => LessonParser.Parse(LessonText, "x.md").Lesson!.Checks.Single();

    /// <summary>
    /// Finds the quiz's Submit button and clicks it in one dispatch: the page may render between a Find and a click
    /// (a choice's change renders again), and a click on the button found before would name a handler that is gone.
    /// </summary>
    private static Task SubmitQuizAsync(IRenderedComponent<LessonPage> cut) =>
        cut.InvokeAsync(() => cut.Find("[data-testid=quiz-submit]").ClickAsync(new()));

    private IRenderedComponent<LessonPage> RenderLesson(string id = "greetings")
    {
        var cut = RenderWithProviders<LessonPage>(p => p.Add(x => x.Id, id));
        return cut;
    }

    [Fact]
    public void The_lesson_renders_its_text_blocks_demo_and_diagram_in_order()
    {
        var cut = RenderLesson();

        Assert.Equal("Greetings that expire", cut.Find("[data-testid=page-title]").TextContent);
        Assert.Contains("<strong>string</strong>", cut.Find("[data-testid=lesson-text]").InnerHtml, StringComparison.Ordinal);
        Assert.Contains("SET greeting \"hello world\"", cut.Find("[data-testid=redis-block] code").TextContent, StringComparison.Ordinal);
        // Named for its own commands and a group, not one more landmark named "Redis commands" (axe's landmark-unique).
        var box = cut.Find("[data-testid=redis-block] pre");
        Assert.Equal(("group", "Redis commands 1: SET, EXPIRE"), (box.GetAttribute("role"), box.GetAttribute("aria-label")));
        Assert.Equal(2, cut.FindAll("[data-testid=check-line]").Count);
        Assert.Equal(2, cut.FindAll("[data-testid=quiz-option]").Count);
        Assert.Equal("/sessions", cut.Find("[data-testid=demo-link]").GetAttribute("href"));
        Assert.Equal(4, cut.FindAll("[data-testid=diagram-step]").Count);
        Assert.Equal("/workbench?script=SET%20greeting%20%22hello%20world%22%0AEXPIRE%20greeting%2060", cut.Find("[data-testid=open-in-workbench]").GetAttribute("href"));
    }

    [Fact]
    public async Task A_check_fails_with_what_was_found_then_passes_after_the_block_runs_and_progress_is_kept()
    {
        var cut = RenderLesson();
        cut.WaitForAssertion(() => Assert.Contains("0 of 2 steps done", cut.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal), Wait);

        await cut.Find("[data-testid=check-my-work]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=check-result]").Count), Wait);
        var failed = cut.FindAll("[data-testid=check-result]");
        Assert.All(failed, r => Assert.Equal("false", r.GetAttribute("data-passed")));
        Assert.Contains("TTL greeting is -2: the key does not exist; expected in 1..60. Hint: Run the block above", failed[1].TextContent, StringComparison.Ordinal);

        await cut.Find("[data-testid=run-block]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal(["OK", "(integer) 1"], cut.FindAll("[data-testid=block-reply]").Select(r => r.TextContent)), Wait);
        await cut.Find("[data-testid=check-my-work]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.All(cut.FindAll("[data-testid=check-result]"), r => Assert.Equal("true", r.GetAttribute("data-passed"))), Wait);
        cut.WaitForAssertion(() => Assert.Contains("1 of 2 steps done", cut.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains("TTL", cut.Find("[data-testid=command-trace]").TextContent, StringComparison.Ordinal);
        var kept = (await _progress.GetAsync(Learner.Id)).Value;
        Assert.True(kept.CheckPassed("greetings", GreetingsCheck));
        Assert.Equal("greetings", kept.LastLesson);
    }

    // A learner who had run nothing saw green ticks for HEXISTS user:77 email == 0 and EXISTS session:old == 0.
    [Fact]
    public async Task Before_the_learner_runs_anything_no_line_is_green_and_a_missing_key_is_shown_as_still_to_do()
    {
        File.WriteAllText(Path.Combine(_folder, "03-profile.md"), """
            ---
            id: profile
            title: A profile without an email
            area: Data structures
            order: 3
            minutes: 5
            prerequisites:
            ---
            ```redis
            HSET user:77 username asha email asha@example.com
            HDEL user:77 email
            DEL session:old
            ```

            ```check
            TYPE user:77 == hash
            HEXISTS user:77 email == 0 -- Remove the field: HDEL user:77 email
            EXISTS session:old == 0
            ```
            """);
        _catalog.Reload();
        var cut = RenderLesson("profile");
        cut.WaitForAssertion(() => Assert.Contains("0 of 1 steps done", cut.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal), Wait);

        await cut.Find("[data-testid=check-my-work]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=check-result]").Count), Wait);
        var results = cut.FindAll("[data-testid=check-result]");
        Assert.All(results, r => Assert.Equal(("false", "not-started"), (r.GetAttribute("data-passed"), r.GetAttribute("data-state"))));
        Assert.All(cut.FindAll("[data-testid=check-line]"), l => Assert.Equal("br-not-started", l.ClassName));
        Assert.Equal("Not yet: user:77 does not exist yet: run the lesson's commands that create it, then check again. Hint: Remove the field: HDEL user:77 email", results[1].TextContent.Trim());
        Assert.StartsWith("Not yet: session:old does not exist, as this line expects, but that counts only once the other lines of this check pass", results[2].TextContent.Trim(), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=check-passed-before]"));

        await cut.Find("[data-testid=run-block]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=block-reply]").Count), Wait);
        await cut.Find("[data-testid=check-my-work]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.All(cut.FindAll("[data-testid=check-result]"), r => Assert.Equal("passed", r.GetAttribute("data-state"))), Wait);
        cut.WaitForAssertion(() => Assert.Contains("1 of 1 steps done", cut.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal), Wait);
    }

    // Passes were kept by block number alone: a check the teacher changed after a learner passed it still counted as passed.
    [Fact]
    public async Task A_check_the_teacher_changed_after_it_passed_asks_the_learner_to_check_again()
    {
        var cut = RenderLesson();
        cut.WaitForAssertion(() => Assert.Contains("0 of 2 steps done", cut.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal), Wait);
        await cut.Find("[data-testid=run-block]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal(["OK", "(integer) 1"], cut.FindAll("[data-testid=block-reply]").Select(r => r.TextContent)), Wait);
        await cut.Find("[data-testid=check-my-work]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Contains("1 of 2 steps done", cut.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal), Wait);

        File.WriteAllText(Path.Combine(_folder, "01-greetings.md"), LessonText.Replace("TTL greeting in 1..60", "TTL greeting in 1..30", StringComparison.Ordinal));
        _catalog.Reload();
        var edited = RenderWithProviders<LessonPage>(p => p.Add(x => x.Id, "greetings"), popoverProvider: false); // the first page's provider serves

        edited.WaitForAssertion(() => Assert.Contains("0 of 2 steps done", edited.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(edited.FindAll("[data-testid=check-passed-before]"));
        Assert.Equal(0, (await _progress.GetAsync(Learner.Id)).Value.Steps(_catalog.Find("greetings")!).Done);
    }

    [Fact]
    public async Task A_quiz_is_graded_at_once_explains_a_wrong_choice_without_giving_the_answer_away_and_the_answer_is_restored_on_return()
    {
        var cut = RenderLesson();
        cut.WaitForAssertion(() => Assert.Contains("0 of 2", cut.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal), Wait);

        // Nothing chosen: said beside the quiz's own button (the review found it only at the top of the lesson, out of
        // sight below a long lesson), and nothing graded or saved.
        await SubmitQuizAsync(cut);
        cut.WaitForAssertion(() => Assert.Contains("Choose an answer", cut.Find("[data-testid=quiz-block] [data-testid=quiz-error]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(cut.FindAll("[data-testid=quiz-verdict]"));
        Assert.Empty(cut.FindAll("[data-testid=form-error]"));

        cut.FindAll("[data-testid=quiz-choice]")[0].Change(true);
        await SubmitQuizAsync(cut);
        cut.WaitForAssertion(() => Assert.StartsWith("Not quite", cut.Find("[data-testid=quiz-verdict]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(cut.FindAll("[data-testid=quiz-error]"));
        // Why the chosen option is wrong, and nothing about the right one (the review saw it labelled "Right answer"
        // beside "Not quite": a second click always passed).
        var explained = Assert.Single(cut.FindAll("[data-testid=quiz-explanation]"));
        Assert.Equal("Not this one. That is a key with no expiry.", RenderedText.Squash(explained.TextContent));
        Assert.NotNull(cut.FindAll("[data-testid=quiz-option]")[0].QuerySelector("[data-testid=quiz-explanation]"));
        Assert.DoesNotContain("Right", cut.Find("[data-testid=quiz-block]").TextContent, StringComparison.Ordinal);

        cut.FindAll("[data-testid=quiz-choice]")[1].Change(true);
        await SubmitQuizAsync(cut);
        cut.WaitForAssertion(() => Assert.Equal("Right!", cut.Find("[data-testid=quiz-verdict]").TextContent), Wait);
        Assert.Equal(2, cut.FindAll("[data-testid=quiz-explanation]").Count); // answered right: every option explained
        Assert.Contains("Right answer.", cut.FindAll("[data-testid=quiz-explanation]")[1].TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=quiz-show-answer]"));
        cut.WaitForAssertion(() => Assert.Contains("1 of 2", cut.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal), Wait);

        await DisposeComponentsAsync();
        var again = RenderLesson();
        again.WaitForAssertion(() => Assert.Equal("Right!", again.Find("[data-testid=quiz-verdict]").TextContent), Wait);
        Assert.True(again.FindAll("[data-testid=quiz-choice]")[1].HasAttribute("checked"));
    }

    [Fact]
    public async Task After_a_wrong_answer_show_me_the_answer_reveals_the_right_option_without_making_it_a_step_done()
    {
        var cut = RenderLesson();
        cut.WaitForAssertion(() => Assert.Contains("0 of 2", cut.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(cut.FindAll("[data-testid=quiz-show-answer]"));
        cut.FindAll("[data-testid=quiz-choice]")[0].Change(true);
        await SubmitQuizAsync(cut);
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=quiz-explanation]")), Wait);

        await cut.Find("[data-testid=quiz-show-answer]").ClickAsync(new());

        var explanations = cut.FindAll("[data-testid=quiz-explanation]");
        Assert.Equal(2, explanations.Count);
        Assert.StartsWith("Right answer. Right: -2", RenderedText.Squash(explanations[1].TextContent), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=quiz-show-answer]"));
        Assert.Contains("0 of 2", cut.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal);
    }

    // The teacher's panel shows who was shown the answer: the lesson page keeps it in the learner's progress (after how
    // many tries), and it is still not a step done; a right answer after it is counted as a try as ever.
    [Fact]
    public async Task Show_me_the_answer_is_recorded_for_the_teacher_without_counting_as_an_answer()
    {
        var cut = RenderLesson();
        cut.WaitForAssertion(() => Assert.Contains("0 of 2", cut.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal), Wait);
        cut.FindAll("[data-testid=quiz-choice]")[0].Change(true);
        await SubmitQuizAsync(cut);
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=quiz-explanation]")), Wait);

        await cut.Find("[data-testid=quiz-show-answer]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.StartsWith("Record an answer shown", cut.Find("[data-testid=trace-operation]").TextContent.Trim(), StringComparison.Ordinal), Wait);
        Assert.Equal(2, cut.FindAll("[data-testid=quiz-explanation]").Count);
        var shown = (await _progress.GetAsync(Learner.Id)).Value;
        Assert.Equal(1, shown.QuizShownAfter("greetings", 0));
        Assert.False(shown.QuizAnswer("greetings", 0)!.Value.Correct);
        Assert.Equal<(int, int?)?>((1, null), shown.QuizTries("greetings", 0));
        Assert.Contains("0 of 2", cut.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal);

        cut.FindAll("[data-testid=quiz-choice]")[1].Change(true);
        await SubmitQuizAsync(cut);

        cut.WaitForAssertion(() => Assert.Contains("1 of 2", cut.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal), Wait);
        var right = (await _progress.GetAsync(Learner.Id)).Value;
        Assert.Equal<(int, int?)?>((2, 2), right.QuizTries("greetings", 0));
        Assert.Equal(1, right.QuizShownAfter("greetings", 0));
    }

    // The review answered right in one tab, then wrong in a stale second tab (or again in the same one): on reload the
    // step done was undone ("1 of 4" after "2 of 4").
    [Fact]
    public async Task A_wrong_answer_in_a_stale_second_tab_does_not_undo_a_right_one()
    {
        var first = RenderLesson();
        var stale = RenderWithProviders<LessonPage>(p => p.Add(x => x.Id, "greetings"), popoverProvider: false);
        first.WaitForAssertion(() => Assert.Contains("0 of 2", first.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal), Wait);
        stale.WaitForAssertion(() => Assert.Contains("0 of 2", stale.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal), Wait);
        first.FindAll("[data-testid=quiz-choice]")[1].Change(true);
        await first.Find("[data-testid=quiz-submit]").ClickAsync(new());
        first.WaitForAssertion(() => Assert.Contains("1 of 2", first.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal), Wait);

        stale.FindAll("[data-testid=quiz-choice]")[0].Change(true);
        await stale.Find("[data-testid=quiz-submit]").ClickAsync(new());

        stale.WaitForAssertion(() => Assert.Equal("Not quite, but your earlier right answer still counts.", stale.Find("[data-testid=quiz-verdict]").TextContent), Wait);
        Assert.Contains("1 of 2", stale.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal);
        Assert.Equal(2, stale.FindAll("[data-testid=quiz-explanation]").Count); // passed before: the answer is shown
        await DisposeComponentsAsync();
        var reloaded = RenderLesson();
        reloaded.WaitForAssertion(() => Assert.Contains("1 of 2", reloaded.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal("Right!", reloaded.Find("[data-testid=quiz-verdict]").TextContent);
        Assert.Equal<(int, int?)?>((2, 1), (await _progress.GetAsync(Learner.Id)).Value.QuizTries("greetings", 0));
    }

    [Fact]
    public async Task The_diagram_labels_the_app_to_redis_hop_with_the_round_trips_of_the_learners_last_action()
    {
        var cut = RenderLesson();
        cut.WaitForAssertion(() => Assert.Contains("0 of 2 steps done", cut.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(cut.FindAll("[data-testid=diagram-run]"));

        await cut.Find("[data-testid=run-block]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=block-reply]").Count), Wait);
        // The diagram follows the replies in a render of its own: wait for it, checking the same things.
        cut.WaitForAssertion(
            () =>
            {
                var hops = cut.FindAll("[data-testid=diagram-hop]");
                Assert.Contains(hops, h => h.QuerySelector("code")!.TextContent == "SET");
                Assert.Contains(hops, h => h.QuerySelector("code")!.TextContent == "EXPIRE");
                Assert.All(hops, h => Assert.Equal("Redis", h.GetAttribute("data-to")));
                Assert.All(hops, h => Assert.Matches(@"^[\d.]+ (ms|µs)$", h.QuerySelector("[data-testid=diagram-hop-time]")!.TextContent));
                Assert.Contains($"app → Redis {hops.Count} times", cut.Find("[data-testid=diagram-run]").TextContent, StringComparison.Ordinal);
            },
            Wait);
    }

    [Fact]
    public async Task A_demo_block_runs_the_real_lab_inside_the_lesson_only_when_the_learner_opens_it()
    {
        var cut = RenderLesson();
        Assert.Empty(cut.FindAll("[data-testid=embedded-lab]"));

        await cut.Find("[data-testid=demo-toggle]").ClickAsync(new());

        var lab = cut.Find("[data-testid=embedded-lab]");
        Assert.Equal("Live lab: Server-side sessions", lab.GetAttribute("aria-label"));
        cut.WaitForElement("[data-testid=embedded-lab] [data-testid=no-sessions]", Wait);
        await cut.Find("[data-testid=embedded-lab] [data-testid=login]").ClickAsync(new());
        cut.WaitForElement("[data-testid=embedded-lab] [data-testid=session-key]", Wait);

        await cut.Find("[data-testid=demo-toggle]").ClickAsync(new());
        Assert.Empty(cut.FindAll("[data-testid=embedded-lab]"));
    }

    [Fact]
    public void An_unknown_lesson_says_so_and_links_to_the_course()
    {
        var cut = RenderLesson("no-such-lesson");

        Assert.Equal("No such lesson", cut.Find("[data-testid=page-title]").TextContent);
        Assert.Contains("no-such-lesson", cut.Find("[data-testid=no-lesson]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_course_page_lists_lessons_by_area_with_progress_resume_a_badge_and_the_unavailable_file()
    {
        await _progress.SetLastAsync(Learner.Id, "greetings");
        await _progress.RecordCheckPassedAsync(Learner.Id, "greetings", GreetingsCheck);
        var quiz = LessonParser.Parse(LessonText, "x.md").Lesson!.Quizzes.Single().Quiz;
        await _progress.RecordQuizAsync(Learner.Id, "greetings", 0, quiz.Grade([1]));

        var cut = RenderWithProviders<CoursePage>();

        cut.WaitForAssertion(() => Assert.Equal("Completed", cut.Find("[data-testid=lesson-steps]").TextContent), Wait);
        Assert.Equal("Data structures", cut.Find("[data-testid=course-area]").GetAttribute("aria-label"));
        // Its only lesson is complete: the course is, and there is nothing to pick up.
        Assert.Empty(cut.FindAll("[data-testid=resume]"));
        Assert.Contains("You have finished the course", cut.Find("[data-testid=course-complete]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Data structures complete", cut.Find("[data-testid=area-badge]").TextContent, StringComparison.Ordinal);
        var unavailable = cut.Find("[data-testid=unavailable-lesson]").TextContent;
        Assert.Contains("02-broken.md", unavailable, StringComparison.Ordinal);
        Assert.Contains("starts with front matter", unavailable, StringComparison.Ordinal);
    }

    private const string QuizLessonText = """
        ---
        id: second
        title: A second lesson
        area: Data structures
        order: 2
        minutes: 5
        prerequisites:
        ---
        ## One question

        ```quiz
        question: Which command reads a string?
        - [x] GET -- Right: GET reads it.
        - [ ] SET -- That writes it.
        ```
        """;

    [Fact]
    public async Task A_lesson_with_a_javascript_or_data_autolink_is_unavailable_and_no_such_href_is_ever_rendered()
    {
        File.WriteAllText(Path.Combine(_folder, "03-evil.md"), """
            ---
            id: evil
            title: Evil links
            area: Caching
            order: 1
            minutes: 5
            ---
            Click <javascript:alert(document.cookie)> or <data:text/html,hello>
            """);
        _catalog.Reload();

        var lesson = RenderLesson("evil");
        Assert.Equal("No such lesson", lesson.Find("[data-testid=page-title]").TextContent);
        var lessonMarkup = lesson.Markup;
        await DisposeComponentsAsync();
        var course = RenderWithProviders<CoursePage>();

        var reasons = string.Join("\n", course.FindAll("[data-testid=unavailable-lesson]").Select(e => e.TextContent));
        Assert.Contains("03-evil.md", reasons, StringComparison.Ordinal);
        Assert.Contains("not 'javascript:alert(document.cookie)'", reasons, StringComparison.Ordinal);
        foreach (var markup in new[] { lessonMarkup, course.Markup })
        {
            Assert.DoesNotContain("href=\"javascript:", markup, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("href=\"data:", markup, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Moving_to_another_lesson_in_the_same_page_restores_its_answers_and_remembers_it_as_the_last_lesson()
    {
        File.WriteAllText(Path.Combine(_folder, "03-second.md"), QuizLessonText);
        _catalog.Reload();
        var second = _catalog.Find("second")!.Quizzes.Single().Quiz;
        await _progress.RecordQuizAsync(Learner.Id, "second", 0, second.Grade([0]));
        var cut = RenderLesson();
        cut.WaitForAssertion(() => Assert.Contains("0 of 2 steps done", cut.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal), Wait);
        await LastLessonBecomesAsync("greetings");

        cut.Render(p => p.Add(x => x.Id, "second"));

        cut.WaitForAssertion(() => Assert.Equal("Right!", cut.Find("[data-testid=quiz-verdict]").TextContent), Wait);
        Assert.True(cut.FindAll("[data-testid=quiz-choice]")[0].HasAttribute("checked"));
        Assert.Contains("1 of 1 steps done", cut.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal);
        await LastLessonBecomesAsync("second");
    }

    [Fact]
    public async Task A_saved_answer_that_no_longer_fits_its_quiz_is_skipped_and_the_lesson_opens_normally()
    {
        var db = _redis.Multiplexer.GetDatabase();
        await db.HashSetAsync(_progress.KeyFor(Learner.Id), "greetings:quiz:0", "0,1|wrong");

        var cut = RenderLesson();

        cut.WaitForAssertion(() => Assert.Contains("0 of 2 steps done", cut.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal), Wait);
        await LastLessonBecomesAsync("greetings");
        Assert.Empty(cut.FindAll("[data-testid=form-error]"));
        Assert.Empty(cut.FindAll("[data-testid=quiz-verdict]"));
        Assert.All(cut.FindAll("[data-testid=quiz-choice]"), c => Assert.False(c.HasAttribute("checked")));

        cut.FindAll("[data-testid=quiz-choice]")[1].Change(true);
        await SubmitQuizAsync(cut);
        cut.WaitForAssertion(() => Assert.Equal("Right!", cut.Find("[data-testid=quiz-verdict]").TextContent), Wait);
    }

    [Fact]
    public async Task A_right_answer_kept_from_before_the_quiz_changed_is_not_a_step_done_on_the_card_the_area_or_the_lesson()
    {
        // The quiz is single-answer now; the kept answer chose two options and was right then.
        await _progress.RecordCheckPassedAsync(Learner.Id, "greetings", GreetingsCheck);
        await _redis.Multiplexer.GetDatabase().HashSetAsync(_progress.KeyFor(Learner.Id), "greetings:quiz:0", "0,1|right");

        var course = RenderWithProviders<CoursePage>();

        course.WaitForAssertion(() => Assert.Equal("1 of 2 steps done", course.Find("[data-lesson=greetings] [data-testid=lesson-steps]").TextContent), Wait);
        Assert.Contains("0 of 1 done", course.Find("[data-testid=area-count]").TextContent, StringComparison.Ordinal);
        Assert.Empty(course.FindAll("[data-testid=area-badge]"));
        await DisposeComponentsAsync();

        var lesson = RenderLesson();
        lesson.WaitForAssertion(() => Assert.Contains("1 of 2 steps done", lesson.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(lesson.FindAll("[data-testid=quiz-verdict]"));
    }

    [Fact]
    public async Task A_reading_only_card_never_says_steps_not_even_to_a_screen_reader()
    {
        File.WriteAllText(Path.Combine(_folder, "04-reading.md"), """
            ---
            id: reading
            title: Just reading
            area: Caching
            order: 1
            minutes: 5
            ---
            Nothing to run here: read and move on.
            """);
        _catalog.Reload();

        var cut = RenderWithProviders<CoursePage>();

        cut.WaitForAssertion(() => Assert.Equal("Open it to complete it", cut.Find("[data-lesson=reading] [data-testid=lesson-steps]").TextContent), Wait);
        var card = cut.Find("[data-lesson=reading]");
        Assert.DoesNotContain("steps", card.TextContent, StringComparison.Ordinal);
        Assert.All(card.QuerySelectorAll("[aria-label]"), e => Assert.DoesNotContain("steps", e.GetAttribute("aria-label"), StringComparison.Ordinal));
        Assert.Contains("aria-label=\"Just reading: Open it to complete it\"", card.OuterHtml, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Greetings that expire: 0 of 2 steps done\"", cut.Find("[data-lesson=greetings]").OuterHtml, StringComparison.Ordinal);
        await DisposeComponentsAsync();

        var lesson = RenderLesson("reading");
        lesson.WaitForAssertion(() => Assert.Contains("Read: nothing to check", lesson.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal), Wait);
        await DisposeComponentsAsync();
        var after = RenderWithProviders<CoursePage>();
        after.WaitForAssertion(() => Assert.Equal("Completed", after.Find("[data-lesson=reading] [data-testid=lesson-steps]").TextContent), Wait);
        Assert.Contains("aria-label=\"Just reading: Completed\"", after.Find("[data-lesson=reading]").OuterHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lesson_with_nothing_to_do_is_complete_once_opened_and_its_area_is_then_complete()
    {
        File.WriteAllText(Path.Combine(_folder, "04-reading.md"), """
            ---
            id: reading
            title: Just reading
            area: Caching
            order: 1
            minutes: 5
            ---
            Nothing to run here: read and move on.
            """);
        _catalog.Reload();
        var before = RenderWithProviders<CoursePage>();
        before.WaitForAssertion(() => Assert.Equal("Open it to complete it", before.Find("[data-lesson=reading] [data-testid=lesson-steps]").TextContent), Wait);
        Assert.Contains("reading only", before.Find("[data-lesson=reading]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("0 steps", before.Find("[data-lesson=reading]").TextContent, StringComparison.Ordinal);
        Assert.Contains("0 of 1 done", before.Find("[aria-label=Caching] [data-testid=area-count]").TextContent, StringComparison.Ordinal);
        await DisposeComponentsAsync();

        var lesson = RenderLesson("reading");
        lesson.WaitForAssertion(() => Assert.Contains("Read: nothing to check", lesson.Find("[data-testid=lesson-meta]").TextContent, StringComparison.Ordinal), Wait);
        await DisposeComponentsAsync();
        var after = RenderWithProviders<CoursePage>();

        after.WaitForAssertion(() => Assert.Equal("Completed", after.Find("[data-lesson=reading] [data-testid=lesson-steps]").TextContent), Wait);
        Assert.Contains("1 of 1 done", after.Find("[aria-label=Caching] [data-testid=area-count]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Caching complete", after.Find("[aria-label=Caching] [data-testid=area-badge]").TextContent, StringComparison.Ordinal);
    }

    // The review finished "What Redis is" and the course page still said "Pick up where you left off: What Redis is".
    [Fact]
    public async Task After_finishing_the_last_lesson_opened_the_course_suggests_the_next_unfinished_one()
    {
        File.WriteAllText(Path.Combine(_folder, "03-second.md"), QuizLessonText);
        _catalog.Reload();
        await _progress.SetLastAsync(Learner.Id, "greetings");
        var unfinished = RenderWithProviders<CoursePage>();
        unfinished.WaitForAssertion(() => Assert.Contains("Pick up where you left off: Greetings that expire", RenderedText.Squash(unfinished.Find("[data-testid=resume]").TextContent), StringComparison.Ordinal), Wait);
        Assert.Equal("/course/greetings", unfinished.Find("[data-testid=resume-link]").GetAttribute("href"));
        await DisposeComponentsAsync();
        await _progress.RecordCheckPassedAsync(Learner.Id, "greetings", GreetingsCheck);
        await _progress.RecordQuizAsync(Learner.Id, "greetings", 0, _catalog.Find("greetings")!.Quizzes.Single().Quiz.Grade([1]));

        var cut = RenderWithProviders<CoursePage>();

        cut.WaitForAssertion(() => Assert.Contains("You finished Greetings that expire. Next: A second lesson", RenderedText.Squash(cut.Find("[data-testid=resume]").TextContent), StringComparison.Ordinal), Wait);
        Assert.Equal("/course/second", cut.Find("[data-testid=resume-link]").GetAttribute("href"));
        Assert.DoesNotContain("Pick up where you left off", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=course-complete]"));
    }

    // The prerequisites ran together: "after Cache-aside, TTLs, and measuring hit rate and latencyCache stampedes — …".
    [Fact]
    public void The_prerequisites_are_a_list_with_commas_and_and()
    {
        File.WriteAllText(Path.Combine(_folder, "03-second.md"), QuizLessonText);
        File.WriteAllText(Path.Combine(_folder, "04-third.md"), QuizLessonText
            .Replace("id: second", "id: third", StringComparison.Ordinal).Replace("title: A second lesson", "title: A third lesson", StringComparison.Ordinal)
            .Replace("order: 2", "order: 3", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(_folder, "05-fourth.md"), QuizLessonText
            .Replace("id: second", "id: fourth", StringComparison.Ordinal).Replace("title: A second lesson", "title: After three", StringComparison.Ordinal)
            .Replace("order: 2", "order: 4", StringComparison.Ordinal).Replace("prerequisites:", "prerequisites: greetings, second, third", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(_folder, "06-fifth.md"), QuizLessonText
            .Replace("id: second", "id: fifth", StringComparison.Ordinal).Replace("title: A second lesson", "title: After two", StringComparison.Ordinal)
            .Replace("order: 2", "order: 5", StringComparison.Ordinal).Replace("prerequisites:", "prerequisites: greetings, second", StringComparison.Ordinal));
        _catalog.Reload();

        var three = RenderLesson("fourth");
        var two = RenderWithProviders<LessonPage>(p => p.Add(x => x.Id, "fifth"), popoverProvider: false);

        Assert.EndsWith("after Greetings that expire, A second lesson and A third lesson", RenderedText.Squash(three.Find("[data-testid=lesson-meta]").TextContent), StringComparison.Ordinal);
        Assert.Equal(["/course/greetings", "/course/second", "/course/third"], three.FindAll("[data-testid=lesson-prerequisite]").Select(a => a.GetAttribute("href")));
        Assert.EndsWith("after Greetings that expire and A second lesson", RenderedText.Squash(two.Find("[data-testid=lesson-meta]").TextContent), StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_learner_sees_no_progress_and_no_resume()
    {
        var cut = RenderWithProviders<CoursePage>();

        cut.WaitForAssertion(() => Assert.Equal("0 of 2 steps done", cut.Find("[data-testid=lesson-steps]").TextContent), Wait);
        Assert.Empty(cut.FindAll("[data-testid=resume]"));
        Assert.Empty(cut.FindAll("[data-testid=area-badge]"));
    }
}
