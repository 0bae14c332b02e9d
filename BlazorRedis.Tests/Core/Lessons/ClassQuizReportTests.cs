using BlazorRedis.Core;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Lessons;
using BlazorRedis.Tests.Core.Classroom;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.Core.Lessons;

/// <summary>The teacher's quiz report: the class's answers read from each learner's progress in the real Redis.</summary>
public class ClassQuizReportTests(RedisServerFixture redis)
{
    private static readonly Lesson TwoQuizzes = LessonParser.Parse(
        """
        ---
        id: two-quizzes
        title: Two quizzes
        area: Start here
        order: 1
        minutes: 5
        prerequisites:
        ---
        # Two quizzes

        ```quiz
        question: Which command reads a string?
        - [x] GET -- it returns the value.
        - [ ] SET -- it writes.
        - [ ] DEL -- it deletes.
        ```

        ```quiz
        question: Which of these are Redis types?
        - [x] Stream -- yes.
        - [x] Set -- yes.
        - [ ] Table -- no.
        ```
        """,
        "quizzes.md").Lesson!;

    private (ClassQuizReporter Reporter, LessonProgressStore Progress, BlazorRedis.Core.Classroom.ClassService Classes) NewReporter()
    {
        var keyspace = redis.NewKeyspace();
        var classes = ClassTestKit.NewService(redis, keyspace: keyspace);
        var progress = new LessonProgressStore(redis.Multiplexer, keyspace, redis.Tracer, Options.Create(new LessonOptions()));
        return (new ClassQuizReporter(classes, progress), progress, classes);
    }

    /// <summary>A class opened and joined by Ada, Bob and Cy, in that order.</summary>
    private static async Task<(string Code, LearnerId Ada, LearnerId Bob, LearnerId Cy)> OpenWithAdaBobAndCyAsync(BlazorRedis.Core.Classroom.ClassService classes)
    {
        var code = (await classes.OpenAsync()).Value.Code;
        var ada = LearnerId.New();
        var bob = LearnerId.New();
        var cy = LearnerId.New();
        await classes.JoinAsync(code, "Ada", ada, ClassTestKit.Client());
        await classes.JoinAsync(code, "Bob", bob, ClassTestKit.Client());
        await classes.JoinAsync(code, "Cy", cy, ClassTestKit.Client());
        return (code, ada, bob, cy);
    }

    [Fact]
    public async Task Each_learners_last_answer_is_counted_once_per_option_with_right_wrong_and_not_answered()
    {
        var (reporter, progress, classes) = NewReporter();
        var (code, ada, bob, cy) = await OpenWithAdaBobAndCyAsync(classes);
        var q1 = TwoQuizzes.Quizzes.First().Quiz;
        var q2 = TwoQuizzes.Quizzes.Last().Quiz;
        await progress.RecordQuizAsync(ada, "two-quizzes", 0, q1.Grade([1])); // first wrong…
        await progress.RecordQuizAsync(ada, "two-quizzes", 0, q1.Grade([0])); // …then right: only the last counts
        await progress.RecordQuizAsync(bob, "two-quizzes", 0, q1.Grade([2]));
        await progress.RecordQuizAsync(bob, "two-quizzes", 1, q2.Grade([0, 1]));
        await progress.RecordQuizAsync(bob, "another-lesson", 0, q1.Grade([0])); // another lesson's answers are not this one's

        var report = await reporter.ReadAsync(code, TwoQuizzes);

        Assert.Equal("two-quizzes", report.LessonId);
        Assert.Equal([1, 0, 1], report.Quizzes[0].Chosen);
        Assert.Equal((1, 1, 1), (report.Quizzes[0].Right, report.Quizzes[0].Wrong, report.Quizzes[0].Unanswered));
        Assert.Equal([1, 1, 0], report.Quizzes[1].Chosen);
        Assert.Equal((1, 0, 2), (report.Quizzes[1].Right, report.Quizzes[1].Wrong, report.Quizzes[1].Unanswered));
        Assert.Equal(["Ada", "Bob", "Cy"], report.Learners.Select(l => l.Nickname));
        Assert.True(report.Learners[0].Answers[0]!.Correct);
        Assert.Equal([0], report.Learners[0].Answers[0]!.Chosen);
        Assert.Null(report.Learners[0].Answers[1]);
        Assert.False(report.Learners[1].Answers[0]!.Correct);
        Assert.Equal([0, 1], report.Learners[1].Answers[1]!.Chosen);
        Assert.All(report.Learners[2].Answers, Assert.Null);
    }

    // The review: Bob picked A, then B, then C (wrong, wrong, right); the panel said "1 right answer, 0 wrong answers",
    // as if he had known it. Each learner's tries are counted, and the first right one's.
    [Fact]
    public async Task Tries_tell_right_first_time_from_right_after_several_tries_and_a_wrong_try_after_a_pass_undoes_nothing()
    {
        var (reporter, progress, classes) = NewReporter();
        var (code, ada, bob, cy) = await OpenWithAdaBobAndCyAsync(classes);
        var q1 = TwoQuizzes.Quizzes.First().Quiz;
        await progress.RecordQuizAsync(ada, "two-quizzes", 0, q1.Grade([0])); // right first time…
        await progress.RecordQuizAsync(ada, "two-quizzes", 0, q1.Grade([2])); // …then a wrong try, which undoes nothing
        await progress.RecordQuizAsync(bob, "two-quizzes", 0, q1.Grade([1]));
        await progress.RecordQuizAsync(bob, "two-quizzes", 0, q1.Grade([2]));
        await progress.RecordQuizAsync(bob, "two-quizzes", 0, q1.Grade([0])); // right on the third try
        await progress.RecordQuizAsync(cy, "two-quizzes", 0, q1.Grade([1]));
        await progress.RecordQuizAsync(cy, "two-quizzes", 0, q1.Grade([2])); // two tries, not right yet

        var report = await reporter.ReadAsync(code, TwoQuizzes);

        var tally = report.Quizzes[0];
        Assert.Equal((2, 1, 0, 1), (tally.Right, tally.Wrong, tally.Unanswered, tally.RightFirstTime));
        Assert.Equal([2, 0, 1], tally.Chosen);
        var answers = report.Learners.Select(l => l.Answers[0]!).ToArray();
        Assert.Equal<(bool, int?, int?)>([(true, 2, 1), (true, 3, 3), (false, 2, null)], answers.Select(a => (a.Correct, a.Tries, a.RightOn)));
        Assert.Equal([true, false, false], answers.Select(a => a.RightFirstTime));
    }

    [Fact]
    public async Task After_the_teacher_moves_a_quizs_right_answer_the_report_grades_each_kept_answer_as_the_quiz_is_now()
    {
        var (reporter, progress, classes) = NewReporter();
        var (code, ada, bob, cy) = await OpenWithAdaBobAndCyAsync(classes);
        var q1 = TwoQuizzes.Quizzes.First().Quiz;
        await progress.RecordQuizAsync(ada, "two-quizzes", 0, q1.Grade([0])); // GET: kept as right
        await progress.RecordQuizAsync(bob, "two-quizzes", 0, q1.Grade([0])); // GET: kept as right
        await progress.RecordQuizAsync(cy, "two-quizzes", 0, q1.Grade([1])); // SET: kept as wrong
        // The teacher edits the lesson: the question now asks for the command that writes, so SET is the right answer.
        var edited = LessonParser.Parse(
            """
            ---
            id: two-quizzes
            title: Two quizzes
            area: Start here
            order: 1
            minutes: 5
            prerequisites:
            ---
            # Two quizzes

            ```quiz
            question: Which command writes a string?
            - [ ] GET -- it reads.
            - [x] SET -- it writes.
            - [ ] DEL -- it deletes.
            ```
            """,
            "quizzes.md").Lesson!;

        var report = await reporter.ReadAsync(code, edited);

        // As the lesson page and the step counts grade them (LessonProgress.GradedAnswer): the kept '|right' of Ada and
        // Bob is wrong now, Cy's kept '|wrong' is right.
        Assert.Equal((1, 2, 0), (report.Quizzes[0].Right, report.Quizzes[0].Wrong, report.Quizzes[0].Unanswered));
        Assert.Equal([2, 1, 0], report.Quizzes[0].Chosen);
        Assert.Equal(["Ada", "Bob", "Cy"], report.Learners.Select(l => l.Nickname));
        Assert.Equal([false, false, true], report.Learners.Select(l => l.Answers[0]!.Correct));
        // Each learner's own step count agrees with the teacher's report.
        Assert.Equal((0, 1), (await progress.GetAsync(ada)).Value.Steps(edited));
        Assert.Equal((1, 1), (await progress.GetAsync(cy)).Value.Steps(edited));
    }

    [Fact]
    public async Task A_class_nobody_joined_has_every_quiz_unanswered_by_nobody_and_a_bad_code_is_refused()
    {
        var (reporter, _, classes) = NewReporter();
        var code = (await classes.OpenAsync()).Value.Code;

        var report = await reporter.ReadAsync(code, TwoQuizzes);

        Assert.Empty(report.Learners);
        Assert.All(report.Quizzes, q => Assert.Equal((0, 0, 0), (q.Right, q.Wrong, q.Unanswered)));
        await Assert.ThrowsAsync<LearnerInputException>(() => reporter.ReadAsync("not a code", TwoQuizzes));
    }

    [Fact]
    public void A_stored_answer_naming_an_option_the_quiz_no_longer_has_is_not_counted()
    {
        // A teacher edited the lesson after learners answered: option 5 no longer exists, so the answer no longer fits the
        // quiz. The lesson page asks the learner to answer again (LessonProgress.GradedAnswer), and the report counts it
        // as not answered: neither right nor wrong, and none of its options.
        var progress = new LessonProgress(new Dictionary<string, string>(StringComparer.Ordinal) { ["two-quizzes:quiz:0"] = "0,5|wrong" });
        var learner = new BlazorRedis.Core.Classroom.RosterEntry("l1", "Ada", DateTimeOffset.UnixEpoch, null, null, null, null);

        var report = ClassQuizReport.Tally(TwoQuizzes, [(learner, progress)]);

        Assert.Equal([0, 0, 0], report.Quizzes[0].Chosen);
        Assert.Equal((0, 0, 1), (report.Quizzes[0].Right, report.Quizzes[0].Wrong, report.Quizzes[0].Unanswered));
        Assert.Null(report.Learners[0].Answers[0]);
    }

    [Fact]
    public async Task With_the_progress_read_before_only_the_learners_who_acted_are_read_again()
    {
        var (reporter, progress, classes) = NewReporter();
        var code = (await classes.OpenAsync()).Value.Code;
        var ada = LearnerId.New();
        var bob = LearnerId.New();
        await classes.JoinAsync(code, "Ada", ada, ClassTestKit.Client());
        await classes.JoinAsync(code, "Bob", bob, ClassTestKit.Client());
        var q1 = TwoQuizzes.Quizzes.First().Quiz;
        var known = new Dictionary<string, LessonProgress>(StringComparer.Ordinal);

        var first = await reporter.ReadAsync(code, TwoQuizzes, known, new HashSet<string>());
        await progress.RecordQuizAsync(ada, "two-quizzes", 0, q1.Grade([0]));
        await progress.RecordQuizAsync(bob, "two-quizzes", 0, q1.Grade([1]));
        var onlyAda = await reporter.ReadAsync(code, TwoQuizzes, known, new HashSet<string> { ada.Value! });
        var both = await reporter.ReadAsync(code, TwoQuizzes, known, new HashSet<string> { bob.Value! });

        Assert.Equal(2, known.Count);
        Assert.Equal(2, first.Quizzes[0].Unanswered);
        Assert.Equal((1, 0, 1), (onlyAda.Quizzes[0].Right, onlyAda.Quizzes[0].Wrong, onlyAda.Quizzes[0].Unanswered)); // Bob's answer not read yet
        Assert.Equal((1, 1, 0), (both.Quizzes[0].Right, both.Quizzes[0].Wrong, both.Quizzes[0].Unanswered));
    }
}
