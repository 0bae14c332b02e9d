using BlazorRedis.Core.Lessons;

namespace BlazorRedis.Tests.Core.Lessons;

/// <summary>Progress as the course counts it, from the fields kept in the learner's progress hash.</summary>
public class LessonProgressTests
{
    // One check, then a single-answer quiz with two options (the second right) and a multiple-answer one (first two right).
    private static readonly Lesson Lesson = LessonParser.Parse(
        """
        ---
        id: ttl
        title: TTL
        area: Start here
        order: 1
        minutes: 5
        prerequisites:
        ---
        ```check
        EXISTS k == 1
        ```

        ```quiz
        question: What does TTL answer for a key that does not exist?
        - [ ] -1 -- That is a key with no expiry.
        - [x] -2 -- Right.
        ```

        ```quiz
        question: Which are Redis types?
        - [x] Stream -- yes.
        - [x] Set -- yes.
        - [ ] Table -- no.
        ```
        """,
        "ttl.md").Lesson!;

    private static LessonProgress With(string quiz0, string quiz1) => new(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ttl:check:0"] = LessonProgressStore.CheckFingerprint(Lesson.Checks.Single()),
        ["ttl:quiz:0"] = quiz0,
        ["ttl:quiz:1"] = quiz1,
    });

    [Fact]
    public void Right_answers_that_fit_their_quizzes_complete_the_lesson()
    {
        var progress = With("1|right", "0,1|right");

        Assert.Equal((3, 3), progress.Steps(Lesson));
        Assert.True(progress.Completed(Lesson));
        Assert.Equal([1], progress.GradedAnswer(Lesson.Info.Id, Lesson.Quizzes.First())!.Chosen);
    }

    [Theory]
    [InlineData("0,1|right", "0,1|right")] // two options chosen; the first quiz is single-answer now
    [InlineData("1|right", "0,3|right")] // option 4 of a three-option quiz
    [InlineData("1|right", "|right")] // nothing chosen
    public void A_right_answer_kept_from_before_the_teacher_changed_the_quiz_is_not_a_step_done(string quiz0, string quiz1)
    {
        var progress = With(quiz0, quiz1);

        Assert.Equal(2, progress.Steps(Lesson).Done);
        Assert.False(progress.Completed(Lesson));
        var changed = quiz0 == "1|right" ? Lesson.Quizzes.ElementAt(1) : Lesson.Quizzes.First();
        Assert.Null(progress.GradedAnswer(Lesson.Info.Id, changed));
    }

    [Fact]
    public void An_answer_that_still_fits_counts_as_the_quiz_grades_it_now_as_the_lesson_page_shows_it()
    {
        // The teacher moved the right answer: "-2" is now the first option, so the kept answer (option 2) is wrong now,
        // and one kept as wrong (option 1) is right now.
        var edited = LessonParser.Parse(
            """
            ---
            id: ttl
            title: TTL
            area: Start here
            order: 1
            minutes: 5
            prerequisites:
            ---
            ```quiz
            question: What does TTL answer for a key that does not exist?
            - [x] -2 -- Right.
            - [ ] -1 -- That is a key with no expiry.
            ```
            """,
            "ttl.md").Lesson!;

        Assert.Equal((0, 1), With("1|right", "").Steps(edited));
        Assert.Equal((1, 1), With("0|wrong", "").Steps(edited));
    }
}
