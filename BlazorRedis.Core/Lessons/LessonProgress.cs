namespace BlazorRedis.Core.Lessons;

/// <summary>
/// A learner's progress through the course, as kept in Redis: which check blocks passed, each quiz's kept answer (the
/// last, or the right one once there is one) and tries, which lessons with nothing to do were read, and the lesson
/// they were on last.
/// </summary>
public sealed record LessonProgress(IReadOnlyDictionary<string, string> Fields)
{
    /// <summary>No progress yet.</summary>
    public static LessonProgress None { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>The lesson the learner last opened, or null.</summary>
    public string? LastLesson => Fields.GetValueOrDefault(LessonProgressStore.LastField);

    /// <summary>True when the learner opened this lesson, one with no check or quiz (<see cref="LessonProgressStore.RecordReadAsync"/>).</summary>
    public bool Read(string lessonId) => Fields.ContainsKey(LessonProgressStore.ReadField(lessonId));

    /// <summary>
    /// True when the check block passed (at least once) as it is now: a pass recorded for a block that checked other
    /// things (the teacher changed it, or a block was inserted before it), or one kept before passes were fingerprinted,
    /// does not count, and the learner checks their work again.
    /// </summary>
    public bool CheckPassed(string lessonId, CheckSegment block)
    {
        ArgumentNullException.ThrowIfNull(block);
        return Fields.TryGetValue(LessonProgressStore.CheckField(lessonId, block.Index), out var value)
            && value == LessonProgressStore.CheckFingerprint(block);
    }

    /// <summary>The kept answer to a quiz (chosen indexes and whether it was right), or null: the last one, unless an earlier one was right (<see cref="LessonProgressStore.RecordQuizAsync"/>).</summary>
    public (IReadOnlyList<int> Chosen, bool Correct)? QuizAnswer(string lessonId, int index)
    {
        if (!Fields.TryGetValue(LessonProgressStore.QuizField(lessonId, index), out var value))
        {
            return null;
        }

        var parts = value.Split('|');
        var chosen = parts[0].Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => int.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) ? i : -1)
            .Where(i => i >= 0).ToArray();
        return (chosen, parts.Length > 1 && parts[1] == "right");
    }

    /// <summary>
    /// How many times the learner answered a quiz, and on which try it was first answered right (null: not yet); null
    /// when no tries were counted (answers kept before tries were, or none).
    /// </summary>
    public (int Tries, int? RightOn)? QuizTries(string lessonId, int index) =>
        Number(LessonProgressStore.TriesField(lessonId, index)) is { } tries
            ? (tries, Number(LessonProgressStore.RightOnField(lessonId, index)))
            : null;

    /// <summary>
    /// How many tries the learner had made when they first asked to see the quiz's answer ("Show me the answer"), or
    /// null when they never did (<see cref="LessonProgressStore.RecordAnswerShownAsync"/>).
    /// </summary>
    public int? QuizShownAfter(string lessonId, int index) => Number(LessonProgressStore.ShownField(lessonId, index));

    private int? Number(string field) =>
        Fields.TryGetValue(field, out var value) && int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>
    /// The learner's last answer to <paramref name="quiz"/>, graded again against the quiz as it is now (as the lesson
    /// page shows it); null when they have not answered, or when the answer no longer fits the quiz because the teacher
    /// changed it since (an option it chose is gone, or it chose several and the question now has one right answer): the
    /// learner answers again, and it is not a step done.
    /// </summary>
    public QuizGrade? GradedAnswer(string lessonId, QuizSegment quiz)
    {
        ArgumentNullException.ThrowIfNull(quiz);
        if (QuizAnswer(lessonId, quiz.Index) is not { } answer)
        {
            return null;
        }

        try
        {
            return quiz.Quiz.Grade([.. answer.Chosen]);
        }
        catch (LearnerInputException)
        {
            return null;
        }
    }

    /// <summary>A number the learner's last run of a lab recorded (<see cref="LabResults"/>), or null when they have not run it.</summary>
    public long? LabResult(string name) =>
        Fields.TryGetValue(LessonProgressStore.LabField(name), out var value) && long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>
    /// Steps done out of steps in the lesson: check blocks passed as they are now (<see cref="CheckPassed"/>) and quizzes whose last answer is right as the quiz is
    /// now (<see cref="GradedAnswer"/>: an answer kept from before the teacher changed the quiz does not count).
    /// </summary>
    public (int Done, int Total) Steps(Lesson lesson)
    {
        ArgumentNullException.ThrowIfNull(lesson);
        var id = lesson.Info.Id;
        var done = lesson.Checks.Count(c => CheckPassed(id, c)) + lesson.Quizzes.Count(q => GradedAnswer(id, q) is { Correct: true });
        return (done, lesson.Checks.Count() + lesson.Quizzes.Count());
    }

    /// <summary>
    /// True when every check passed and every quiz was answered right; a lesson with neither is complete once the learner
    /// opened it (<see cref="Read"/>), so an area of such lessons can be finished too.
    /// </summary>
    public bool Completed(Lesson lesson)
    {
        var (done, total) = Steps(lesson);
        return total == 0 ? Read(lesson.Info.Id) : done == total;
    }
}
