using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Lessons;
using BlazorRedis.Core.Workbench;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.Core.Lessons;

/// <summary>The course that ships with the app: clean under the linter, and every lesson's own commands pass its own checks.</summary>
public class BuiltInCourseTests(RedisServerFixture redis)
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Lessons");

    private static readonly IReadOnlyList<LessonParseResult> Files = LessonFiles.ReadDirectory(Folder);

    public static TheoryData<string> LessonFileNames() => [.. Files.Select(f => f.Lesson?.Source ?? f.Problems[0].File)];

    [Fact]
    public void The_course_ships_beside_the_app_with_at_least_twelve_lessons_in_every_area()
    {
        Assert.True(Files.Count >= 12, $"{Files.Count} lesson files in {Folder}");
        Assert.All(LessonAreas.All, area => Assert.Contains(Files, f => f.Lesson?.Info.Area == area));
    }

    [Fact]
    public void The_linter_reports_nothing_on_the_built_in_course()
    {
        // The same page check the lint-lessons command uses: the app's own @page routes.
        var report = LessonLinter.Lint(Files, BlazorRedis.App.Hosting.LessonLintCommand.IsAppPage);

        Assert.Empty(report.Select(d => d.ToString()));
    }

    [Theory]
    [MemberData(nameof(LessonFileNames))]
    public async Task Running_a_lessons_redis_blocks_on_an_empty_space_makes_every_check_pass(string file)
    {
        var lesson = Files.Single(f => (f.Lesson?.Source ?? f.Problems[0].File) == file).Lesson!;
        var executor = NewWorkbench();
        using var session = executor.OpenSession(LearnerId.New());
        var learner = session.Keys;
        foreach (var line in lesson.Commands)
        {
            // Through the learner's own workbench, as the lesson's Run button sends them.
            var reply = await executor.ExecuteAsync(session, line, TestContext.Current.CancellationToken);
            Assert.False(reply.IsError, $"{file}: {line} → {reply.Text}");
        }

        await AssertChecksPassAsync(new CheckEvaluator(redis.Multiplexer, redis.Tracer), learner, lesson, file);
    }

    [Fact]
    public async Task A_learner_who_takes_the_course_in_order_passes_every_check_with_the_earlier_lessons_keys_still_there()
    {
        // One learner's space for the whole course, as in class: the keys of earlier lessons live on (an hour without a
        // TTL of their own) while the next lesson runs, so a check must not count keys another lesson made, and no lesson
        // may reuse another's key with a different type.
        var executor = NewWorkbench();
        using var session = executor.OpenSession(LearnerId.New());
        var evaluator = new CheckEvaluator(redis.Multiplexer, redis.Tracer);
        foreach (var lesson in Files.Select(f => f.Lesson!).OrderBy(l => l.Info.Order))
        {
            foreach (var line in lesson.Commands)
            {
                var reply = await executor.ExecuteAsync(session, line, TestContext.Current.CancellationToken);
                Assert.False(reply.IsError, $"{lesson.Source}: {line} → {reply.Text}");
            }

            await AssertChecksPassAsync(evaluator, session.Keys, lesson, lesson.Source);
        }
    }

    [Theory]
    [MemberData(nameof(LessonFileNames))]
    public async Task No_check_block_passes_for_a_new_learner_who_has_done_nothing(string file)
    {
        // A check made only of "this key is gone" lines passes on an empty space: Check my work would say well done to
        // a learner who has not run a single command. Every block needs one line that proves the work was done.
        var lesson = Files.Single(f => (f.Lesson?.Source ?? f.Problems[0].File) == file).Lesson!;
        var learner = redis.NewKeyspace().ForLearner(LearnerId.New());
        var evaluator = new CheckEvaluator(redis.Multiplexer, redis.Tracer);
        foreach (var block in lesson.Checks)
        {
            var graded = await evaluator.EvaluateAsync(learner, block.Checks, TestContext.Current.CancellationToken);
            Assert.False(graded.Value.All(r => r.Passed), $"{file}:{block.Line}: every check of the block passes before the learner did anything");
        }
    }

    [Fact]
    public async Task No_check_line_of_any_lesson_passes_for_a_new_learner_who_has_done_nothing()
    {
        // Each block graded as Check my work sends it, for a learner with no keys. A green tick here is for work not done:
        // HEXISTS user:77 email == 0, GETBIT logins:both 3 == 0 and XLEN writebehind:queue == 0 are true of a key never
        // made, and so is every "the key is gone" line (EXISTS cache:product:1 == 0) on its own.
        var evaluator = new CheckEvaluator(redis.Multiplexer, redis.Tracer);
        var passing = new List<string>();
        var notMarkedToDo = new List<string>();
        foreach (var lesson in Files.Select(f => f.Lesson!))
        {
            foreach (var block in lesson.Checks)
            {
                var learner = redis.NewKeyspace().ForLearner(LearnerId.New());
                var graded = await evaluator.EvaluateAsync(learner, block.Checks, TestContext.Current.CancellationToken);
                passing.AddRange(graded.Value.Where(r => r.Passed).Select(r => $"{lesson.Source}:{r.Check.Line}: {r.Check.Text}"));
                notMarkedToDo.AddRange(graded.Value.Where(r => !r.Passed && !r.NotStarted).Select(r => $"{lesson.Source}:{r.Check.Line}: {r.Message}"));
            }
        }

        Assert.True(passing.Count == 0, "These lines pass before the learner did anything:\n" + string.Join('\n', passing));
        // Nothing is there yet, so every line is still to do: none is shown as wrong either.
        Assert.True(notMarkedToDo.Count == 0, "These lines are shown as wrong, not as still to do:\n" + string.Join('\n', notMarkedToDo));
    }

    [Theory]
    [MemberData(nameof(LessonFileNames))]
    public async Task Running_every_block_twice_in_a_row_gives_no_error_and_still_passes_every_check(string file)
    {
        // A learner presses Run again (to watch it once more, or a double click): a block that only adds to its keys
        // would push a list to 4 where the check expects 2, or refuse an XADD id, and the learner could never pass.
        var lesson = Files.Single(f => (f.Lesson?.Source ?? f.Problems[0].File) == file).Lesson!;
        var executor = NewWorkbench();
        using var session = executor.OpenSession(LearnerId.New());
        foreach (var block in lesson.Segments.OfType<RedisSegment>())
        {
            for (var run = 1; run <= 2; run++)
            {
                foreach (var line in block.Commands)
                {
                    var reply = await executor.ExecuteAsync(session, line, TestContext.Current.CancellationToken);
                    Assert.False(reply.IsError, $"{file}, run {run} of the block: {line} → {reply.Text}");
                }
            }
        }

        await AssertChecksPassAsync(new CheckEvaluator(redis.Multiplexer, redis.Tracer), session.Keys, lesson, file);
    }

    [Fact]
    public void The_caching_libraries_lesson_caches_its_summary_under_the_key_the_apps_own_code_derives()
    {
        var lesson = Files.Select(f => f.Lesson!).Single(l => l.Info.Id == "caching-libraries");
        var set = CommandLineParser.Parse(lesson.Commands.Single(c => c.StartsWith("SET summar", StringComparison.Ordinal))).Select(System.Text.Encoding.UTF8.GetString).ToList();
        var text = File.ReadAllText(Path.Combine(Folder, lesson.Source));

        // The text is short, so its 50-word summary is the text itself: the libraries lab caches it under this key.
        Assert.Equal(BlazorRedis.Core.Caching.Libraries.LibrariesLab.SummaryKey(set[2], 50), set[1]);
        Assert.All(lesson.Checks.SelectMany(b => b.Checks).Where(c => c.Key?.StartsWith("summar", StringComparison.Ordinal) == true), c => Assert.Equal(set[1], c.Key));
        Assert.Contains("Convert.ToHexStringLower(", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Convert.ToHexString(", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sessions_lesson_says_the_cookie_is_secure_only_over_https_as_the_app_sets_it()
    {
        var lesson = Files.Select(f => f.Lesson!).Single(l => l.Info.Id == "sessions");
        var text = File.ReadAllText(Path.Combine(Folder, lesson.Source));

        // SessionApi sets Secure = request.IsHttps: on plain http (a local run) the cookie is not Secure.
        Assert.DoesNotContain("`Secure` (HTTPS only)", text, StringComparison.Ordinal);
        Assert.Contains("On plain http", text, StringComparison.Ordinal);
    }

    /// <summary>A learner's workbench, as the lesson's Run button sends its commands, under a key prefix of this test's own.</summary>
    private WorkbenchExecutor NewWorkbench() => new(
        redis.Multiplexer, redis.Tracer, redis.NewKeyspace(), new RedisCommandBudget(redis.Multiplexer, TimeSpan.FromSeconds(2)), Options.Create(new WorkbenchOptions()));

    private static async Task AssertChecksPassAsync(CheckEvaluator evaluator, LearnerKeyspace learner, Lesson lesson, string file)
    {
        // LAB checks grade what an embedded demo recorded, not the redis blocks: the demo pages' tests run the real labs
        // and grade these (StampedePageTests, RateLimitingPageTests).
        foreach (var block in lesson.Checks.Where(b => b.Checks.Any(c => c.Command != "LAB")))
        {
            var graded = await evaluator.EvaluateAsync(learner, [.. block.Checks.Where(c => c.Command != "LAB")], TestContext.Current.CancellationToken);
            Assert.All(graded.Value, r => Assert.True(r.Passed, $"{file}:{r.Check.Line}: {r.Message}"));
        }
    }
}
