using BlazorRedis.App.Components.Shared;
using BlazorRedis.Core;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Lessons;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Core.Workbench;
using Microsoft.AspNetCore.Components;
using CourseLesson = BlazorRedis.Core.Lessons.Lesson;

namespace BlazorRedis.App.Components.Pages.Course;

/// <summary>
/// One lesson: its text, <c>```redis</c> blocks that run in the learner's own workbench space, checks graded on that
/// space, quizzes graded at once, and progress kept in Redis.
/// </summary>
public partial class LessonPage
{
    private readonly Dictionary<RedisSegment, List<WorkbenchReply>> _replies = [];
    private readonly Dictionary<int, IReadOnlyList<CheckResult>> _checks = [];
    private readonly HashSet<int> _uncheckable = [];
    private readonly Dictionary<int, HashSet<int>> _chosen = [];
    private readonly Dictionary<int, QuizGrade> _grades = [];

    // Quizzes whose right answer the learner asked to see ("Show me the answer") after a wrong one.
    private readonly HashSet<int> _shown = [];

    // An answer the quiz refuses (none chosen): said beside its Answer button, where the learner looks, not at the top.
    private readonly Dictionary<int, string> _quizErrors = [];
    private readonly HashSet<DemoSegment> _openLabs = [];
    private CourseLesson? _lesson;
    private LessonProgress _progress = LessonProgress.None;
    private WorkbenchSession? _session;
    private OperationTrace? _lastRun;
    private bool _loaded;

    // The lesson whose progress was (or is being) read; another lesson in the same page is read again.
    private string? _opened;

    /// <summary>The lesson's id, from the address.</summary>
    [Parameter]
    public string Id { get; set; } = "";

    /// <summary>The request, on the server's first render (null inside a circuit): an unknown lesson answers 404.</summary>
    [CascadingParameter]
    private HttpContext? HttpContext { get; set; }

    [Inject]
    private LessonCatalog Catalog { get; set; } = null!;

    [Inject]
    private LessonProgressStore Progress { get; set; } = null!;

    [Inject]
    private CheckEvaluator Evaluator { get; set; } = null!;

    [Inject]
    private WorkbenchExecutor Executor { get; set; } = null!;

    private string StepsText
    {
        get
        {
            var (done, total) = _lesson is null ? (0, 0) : _progress.Steps(_lesson);
            return (total, _loaded) switch
            {
                (0, false) => "nothing to check: reading it completes it",
                (0, true) => "Read: nothing to check",
                _ => _loaded ? $"{done} of {total} steps done" : $"{total} steps",
            };
        }
    }

    /// <inheritdoc/>
    protected override void OnInitialized() => _session = Executor.OpenSession(LearnerId);

    /// <inheritdoc/>
    protected override void OnParametersSet()
    {
        if (_lesson?.Info.Id == Id)
        {
            return;
        }

        _lesson = Catalog.Find(Id);
        if (_lesson is null)
        {
            NotFoundStatus.Set(HttpContext);
        }

        _loaded = false;
        _replies.Clear();
        _checks.Clear();
        _uncheckable.Clear();
        _chosen.Clear();
        _grades.Clear();
        _shown.Clear();
        _openLabs.Clear();
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Runs after the first render and again whenever the address moves to another lesson (Blazor keeps this component
    /// for every <c>/course/…</c> address), so each lesson gets its own progress, answers and "last lesson".
    /// </remarks>
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_lesson is null || _lesson.Info.Id == _opened)
        {
            return;
        }

        var lesson = _lesson;
        var id = lesson.Info.Id;
        _opened = id;
        var readOnly = !lesson.Checks.Any() && !lesson.Quizzes.Any();
        await RunAsync(async () =>
        {
            // A lesson with nothing to check or answer is complete once opened: record that first, so the read sees it.
            var opened = readOnly ? await Progress.RecordReadAsync(LearnerId, id) : null;
            var read = await Progress.GetAsync(LearnerId);
            if (!ReferenceEquals(_lesson, lesson))
            {
                // The learner moved on while this was read: the new lesson reads its own progress.
                return read.Trace;
            }

            _progress = read.Value;
            _loaded = true;
            RestoreAnswers();
            var last = await Progress.SetLastAsync(LearnerId, id);
            return OperationTrace.Combine("Open the lesson: read your progress, remember where you are", new[] { opened, read.Trace, last }.OfType<OperationTrace>());
        });
        StateHasChanged();
    }

    public void Dispose()
    {
        _session?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The workbench, with this block's commands ready to run there.</summary>
    // Each block's box has a name of its own ("Redis commands 2: SET, GET"), and is a group, not a landmark: regions all
    // named "Redis commands" were several landmarks of one name on a page (axe's landmark-unique).
    private static string BlockName(CourseLesson lesson, RedisSegment block)
    {
        var number = lesson.Segments.OfType<RedisSegment>().TakeWhile(b => !ReferenceEquals(b, block)).Count() + 1;
        var names = block.Commands.Select(c => c.Split(' ', 2)[0].ToUpperInvariant()).Distinct(StringComparer.Ordinal).Take(3);
        return $"Redis commands {number}: {string.Join(", ", names)}";
    }

    internal static string WorkbenchLink(RedisSegment block) => WorkbenchScript.Link(string.Join("\n", block.Commands));

    // A lab is a whole page of the app: it is built only when the learner opens it, and torn down when closed.
    private void ToggleLab(DemoSegment demo)
    {
        if (!_openLabs.Remove(demo))
        {
            _openLabs.Add(demo);
        }
    }

    // The right answer is shown (marked, with every option's explanation) once the learner answered right, or passed
    // this quiz before, or asked to see it; after a wrong answer only the wrong options they chose are explained, so a
    // second click is not a free pass.
    private bool Revealed(CourseLesson lesson, QuizSegment quiz, QuizGrade? grade) =>
        grade is { Correct: true }
        || _shown.Contains(quiz.Index)
        || _progress.GradedAnswer(lesson.Info.Id, quiz) is { Correct: true };

    // A wrong answer after a right one is a try, not a step undone (LessonProgressStore.RecordQuizAsync): said so.
    private string Verdict(CourseLesson lesson, QuizSegment quiz, QuizGrade grade) =>
        grade.Correct ? "Right!"
        : _progress.GradedAnswer(lesson.Info.Id, quiz) is { Correct: true } ? "Not quite, but your earlier right answer still counts."
        : _shown.Contains(quiz.Index) ? "Not quite."
        : "Not quite: read why, and try again.";

    private HashSet<int> Chosen(int quiz) => _chosen.TryGetValue(quiz, out var set) ? set : _chosen[quiz] = [];

    private void Toggle(QuizSegment quiz, int option)
    {
        var chosen = Chosen(quiz.Index);
        if (quiz.Quiz.MultipleChoice)
        {
            if (!chosen.Remove(option))
            {
                chosen.Add(option);
            }
        }
        else
        {
            chosen.Clear();
            chosen.Add(option);
        }
    }

    private async Task RunBlockAsync(RedisSegment block)
    {
        if (_session is null)
        {
            return;
        }

        var session = _session;
        await RunAsync(async () =>
        {
            var replies = new List<WorkbenchReply>();
            _replies[block] = replies;
            foreach (var line in block.Commands)
            {
                var reply = await Executor.ExecuteAsync(session, line);
                replies.Add(reply);
                StateHasChanged();
            }

            _lastRun = OperationTrace.Combine("Run the lesson's commands in your workbench", replies.Select(r => r.Trace));
            return _lastRun;
        });
    }

    private async Task CheckAsync(CheckSegment block)
    {
        if (_session is null || _lesson is null)
        {
            return;
        }

        var id = _lesson.Info.Id;
        var keys = _session.Keys;
        // A check that could not run shows no grade, not even the last one: only that Redis is unavailable.
        _checks.Remove(block.Index);
        _uncheckable.Remove(block.Index);
        await RunAsync(async () =>
        {
            Traced<IReadOnlyList<CheckResult>> graded;
            try
            {
                graded = await Evaluator.EvaluateAsync(keys, block.Checks);
            }
            catch (Exception ex) when (RedisFailures.IsUnavailable(ex))
            {
                if (_lesson?.Info.Id == id)
                {
                    _uncheckable.Add(block.Index);
                }

                throw;
            }

            if (_lesson?.Info.Id == id)
            {
                _checks[block.Index] = graded.Value;
            }

            if (graded.Value.All(r => r.Passed))
            {
                var recorded = await Progress.RecordCheckPassedAsync(LearnerId, id, block);
                _progress = await ReloadAsync();
                return OperationTrace.Combine("Check my work, and record the pass", graded.Trace, recorded);
            }

            return graded.Trace;
        });
    }

    private async Task AnswerAsync(QuizSegment quiz)
    {
        if (_lesson is null)
        {
            return;
        }

        var id = _lesson.Info.Id;
        var chosen = Chosen(quiz.Index).ToArray();
        QuizGrade grade;
        try
        {
            grade = quiz.Quiz.Grade(chosen);
            _quizErrors.Remove(quiz.Index);
        }
        catch (LearnerInputException refused)
        {
            // Nothing graded, nothing saved: the last verdict (if any) gives way to what to do.
            _quizErrors[quiz.Index] = refused.Message;
            return;
        }

        _grades[quiz.Index] = grade;
        var saved = await RunAsync(async () =>
        {
            var recorded = await Progress.RecordQuizAsync(LearnerId, id, quiz.Index, grade);
            _progress = await ReloadAsync();
            return recorded;
        });
        if (!saved)
        {
            // Graded here, but not kept: said beside the quiz (the page's error is at its top, out of sight), so a
            // learner does not leave believing the answer counts.
            _quizErrors[quiz.Index] = $"{(grade.Correct ? "Right" : "Not quite")}, but your answer was not saved: {ErrorMessage} Answer again once Redis is back.";
        }
    }

    // The answer is shown at once; that the learner asked for it is kept for the teacher (their panel says so beside the
    // answer), and is not a step done. When Redis cannot keep it the answer is shown all the same.
    private async Task ShowAnswerAsync(QuizSegment quiz)
    {
        _shown.Add(quiz.Index);
        if (_lesson is not { } lesson)
        {
            return;
        }

        var id = lesson.Info.Id;
        await RunAsync(async () =>
        {
            var recorded = await Progress.RecordAnswerShownAsync(LearnerId, id, quiz.Index);
            _progress = await ReloadAsync();
            return recorded;
        });
    }

    private async Task<LessonProgress> ReloadAsync() => (await Progress.GetAsync(LearnerId)).Value;

    // A learner coming back sees their last answers, graded.
    private void RestoreAnswers()
    {
        if (_lesson is null)
        {
            return;
        }

        // An answer that no longer fits its quiz (the teacher changed it since) is skipped: the learner answers again.
        foreach (var quiz in _lesson.Quizzes)
        {
            if (_progress.GradedAnswer(_lesson.Info.Id, quiz) is { } grade)
            {
                _grades[quiz.Index] = grade;
                _chosen[quiz.Index] = [.. grade.Chosen];
            }
        }
    }
}
