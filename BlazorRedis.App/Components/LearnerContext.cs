using BlazorRedis.Core.Keys;

namespace BlazorRedis.App.Components;

/// <summary>
/// Cascaded to every page: who this browser's learner is, the theme it started with, and whether this browser is the
/// teacher's (class-wide controls are the teacher's alone), and the presenter zoom it started with (0: not presenting).
/// </summary>
public sealed record LearnerContext(LearnerId Id, bool StartsDark, bool IsTeacher = false, int PresenterZoom = 0)
{
    /// <summary>Used before the router has run (and by tests that do not care).</summary>
    public static LearnerContext Anonymous { get; } = new(LearnerId.New(), false);
}
