using BlazorRedis.Core.Classroom;
using BlazorRedis.Core.Keys;

namespace BlazorRedis.Core.Lessons;

/// <summary>How the class answered one quiz: learners per option, right, wrong and not yet answered.</summary>
/// <param name="Index">The quiz's number in its lesson (0-based).</param>
/// <param name="Quiz">The question and its options.</param>
/// <param name="Chosen">For each option, how many learners chose it in their kept answer.</param>
/// <param name="Right">Learners whose kept answer is right as the quiz is now.</param>
/// <param name="Wrong">Learners whose kept answer is wrong as the quiz is now.</param>
/// <param name="Unanswered">Learners in the class who have not answered, or whose answer no longer fits the quiz (they answer again).</param>
/// <param name="RightFirstTime">Of <paramref name="Right"/>, the learners who answered right on their first try.</param>
public sealed record QuizTally(int Index, Quiz Quiz, IReadOnlyList<int> Chosen, int Right, int Wrong, int Unanswered, int RightFirstTime);

/// <summary>One learner's kept answer to each quiz of the lesson (null where they have not answered).</summary>
public sealed record LearnerQuizAnswers(string Learner, string Nickname, IReadOnlyList<QuizAnswer?> Answers);

/// <summary>
/// A learner's kept answer to one quiz (<see cref="LessonProgress.QuizAnswer"/>): the options they chose (0-based),
/// whether that is right as the quiz is now, how many times they answered, and on which try they first answered right
/// (<see cref="LessonProgress.QuizTries"/>; null when not counted, as for answers kept before tries were), and after how
/// many tries they asked to see the answer (<see cref="LessonProgress.QuizShownAfter"/>; null when they never did).
/// </summary>
public sealed record QuizAnswer(IReadOnlyList<int> Chosen, bool Correct, int? Tries = null, int? RightOn = null, int? ShownAfter = null)
{
    /// <summary>Right as the quiz is now, on the learner's first try, before any showing of the answer.</summary>
    public bool RightFirstTime => Correct && RightOn == 1 && !RightAfterShown;

    /// <summary>Right as the quiz is now, first answered right after the learner was shown the answer.</summary>
    public bool RightAfterShown => Correct && ShownAfter is { } shown && RightOn is { } on && on > shown;
}

/// <summary>The class's answers to one lesson's quizzes, for the teacher.</summary>
public sealed record ClassQuizReport(string LessonId, IReadOnlyList<QuizTally> Quizzes, IReadOnlyList<LearnerQuizAnswers> Learners)
{
    /// <summary>
    /// Tallies the answers kept in each learner's progress; a learner's answers count once, the kept one (their last, or
    /// their right one once they answered right), with its tries, graded against
    /// the quiz as it is now (<see cref="LessonProgress.GradedAnswer"/>, the rule the lesson page and the step counts
    /// use), not by the right or wrong kept with it: after the teacher changes a quiz's right answer the report agrees
    /// with what each learner sees. An answer that no longer fits the quiz counts as not answered.
    /// </summary>
    public static ClassQuizReport Tally(Lesson lesson, IEnumerable<(RosterEntry Learner, LessonProgress Progress)> learners)
    {
        ArgumentNullException.ThrowIfNull(lesson);
        ArgumentNullException.ThrowIfNull(learners);
        var id = lesson.Info.Id;
        var quizzes = lesson.Quizzes.ToArray();
        var rows = learners
            .OrderBy(l => l.Learner.Nickname, StringComparer.CurrentCultureIgnoreCase)
            .Select(l => new LearnerQuizAnswers(
                l.Learner.Learner,
                l.Learner.Nickname,
                [.. quizzes.Select(q => Answer(l.Progress, id, q))]))
            .ToArray();
        var tallies = quizzes.Select((q, n) =>
        {
            var answers = rows.Select(r => r.Answers[n]).ToArray();
            var chosen = new int[q.Quiz.Options.Count];
            foreach (var option in answers.OfType<QuizAnswer>().SelectMany(a => a.Chosen))
            {
                chosen[option]++;
            }

            return new QuizTally(q.Index, q.Quiz, chosen, answers.Count(a => a is { Correct: true }), answers.Count(a => a is { Correct: false }), answers.Count(a => a is null), answers.Count(a => a is { RightFirstTime: true }));
        }).ToArray();
        return new ClassQuizReport(id, tallies, rows);
    }

    private static QuizAnswer? Answer(LessonProgress progress, string lessonId, QuizSegment quiz) =>
        progress.GradedAnswer(lessonId, quiz) is not { } grade ? null
        : progress.QuizTries(lessonId, quiz.Index) is { } tries ? new QuizAnswer(grade.Chosen, grade.Correct, tries.Tries, tries.RightOn, progress.QuizShownAfter(lessonId, quiz.Index))
        : new QuizAnswer(grade.Chosen, grade.Correct, ShownAfter: progress.QuizShownAfter(lessonId, quiz.Index));
}

/// <summary>
/// Reads the class's quiz answers for a lesson: the roster (<see cref="ClassService.GetRosterAsync"/>) and each learner's
/// progress hash (one HGETALL each, sent together), then <see cref="ClassQuizReport.Tally"/>. Read-only. Its reads may be
/// overridden (a component test holds one back to race a newer one).
/// </summary>
public class ClassQuizReporter(ClassService classes, LessonProgressStore progress)
{
    /// <summary>The report for the class with this code (a closed or unknown class has nobody in it).</summary>
    /// <exception cref="LearnerInputException">The code is not a join code.</exception>
    /// <param name="code">The class.</param>
    /// <param name="lesson">The lesson whose quizzes are tallied.</param>
    /// <param name="known">
    /// Progress read before, by learner: a learner in it is not read again unless named in <paramref name="changed"/>
    /// (the learners who acted since); it is filled with what this call reads, from the thread pool, so a dictionary that
    /// two reads may share must be a thread-safe one (a <see cref="System.Collections.Concurrent.ConcurrentDictionary{TKey, TValue}"/>).
    /// Null: read everyone.
    /// </param>
    /// <param name="changed">The learners whose progress must be read again.</param>
    public virtual async Task<ClassQuizReport> ReadAsync(string code, Lesson lesson, IDictionary<string, LessonProgress>? known = null, IReadOnlySet<string>? changed = null)
    {
        ArgumentNullException.ThrowIfNull(lesson);
        var roster = (await classes.GetRosterAsync(code).ConfigureAwait(false)).Value;
        var reads = roster.Select(async entry =>
        {
            if (known is not null && changed?.Contains(entry.Learner) != true && known.TryGetValue(entry.Learner, out var kept))
            {
                return (Entry: entry, Progress: kept, Fresh: false);
            }

            var read = LearnerId.TryParse(entry.Learner, out var learner)
                ? (await progress.GetAsync(learner).ConfigureAwait(false)).Value
                : LessonProgress.None;
            return (Entry: entry, Progress: read, Fresh: true);
        });
        var rows = await Task.WhenAll(reads).ConfigureAwait(false);
        if (known is not null)
        {
            foreach (var row in rows.Where(r => r.Fresh))
            {
                known[row.Entry.Learner] = row.Progress;
            }
        }

        return ClassQuizReport.Tally(lesson, rows.Select(r => (r.Entry, r.Progress)));
    }
}
