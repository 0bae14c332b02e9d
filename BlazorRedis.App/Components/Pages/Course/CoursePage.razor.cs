using BlazorRedis.App.Components.Shared;
using BlazorRedis.Core.Lessons;
using Microsoft.AspNetCore.Components;

namespace BlazorRedis.App.Components.Pages.Course;

/// <summary>The course: lessons by area with each learner's progress (kept in Redis), resume, and a badge per finished area.</summary>
public partial class CoursePage
{
    private LessonProgress _progress = LessonProgress.None;
    private bool _loaded;

    [Inject]
    private LessonCatalog Catalog { get; set; } = null!;

    [Inject]
    private LessonProgressStore Progress { get; set; } = null!;

    private IReadOnlyList<(string Name, IReadOnlyList<BlazorRedis.Core.Lessons.Lesson> Lessons)> Areas =>
        [.. LessonAreas.All.Select(a => (a, (IReadOnlyList<BlazorRedis.Core.Lessons.Lesson>)[.. Catalog.Lessons.Where(l => l.Info.Area == a)])).Where(a => a.Item2.Count > 0)];

    private IReadOnlyList<CourseEntry> Unavailable => [.. Catalog.Entries.Where(e => e.Lesson is null)];

    private BlazorRedis.Core.Lessons.Lesson? Last => Catalog.Find(_progress.LastLesson);

    // Where to go on from the lesson opened last: that lesson while it is unfinished, else the first unfinished one after
    // it in the course, then from the start; null when every lesson is complete. The card said "pick up where you left
    // off" on a lesson the learner had just finished.
    private BlazorRedis.Core.Lessons.Lesson? Suggested(BlazorRedis.Core.Lessons.Lesson last)
    {
        var lessons = Catalog.Lessons.ToList();
        var at = lessons.FindIndex(l => l.Info.Id == last.Info.Id);
        return lessons.Skip(at).Concat(lessons.Take(at)).FirstOrDefault(l => !_progress.Completed(l));
    }

    /// <inheritdoc/>
    protected override void OnInitialized() => Catalog.Changed += OnCourseChanged;

    /// <inheritdoc/>
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        await RunAsync(async () =>
        {
            var read = await Progress.GetAsync(LearnerId);
            _progress = read.Value;
            _loaded = true;
            return read.Trace;
        });
        StateHasChanged();
    }

    public void Dispose()
    {
        Catalog.Changed -= OnCourseChanged;
        GC.SuppressFinalize(this);
    }

    // A lesson with no check and no quiz is for reading: "0 steps" would read as a lesson not yet written. The card's
    // caption and its progress bar's label (what a screen reader says) are the same text.
    private static string Wording(int steps) => steps switch { 0 => "reading only", 1 => "1 step", _ => $"{steps} steps" };

    private void OnCourseChanged() => _ = InvokeAsync(StateHasChanged);
}
