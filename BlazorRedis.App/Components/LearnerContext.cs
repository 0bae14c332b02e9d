using BlazorRedis.Core.Keys;

namespace BlazorRedis.App.Components;

/// <summary>Cascaded to every page: who this browser's learner is, and the theme it started with.</summary>
public sealed record LearnerContext(LearnerId Id, bool StartsDark)
{
    /// <summary>Used before the router has run (and by tests that do not care).</summary>
    public static LearnerContext Anonymous { get; } = new(LearnerId.New(), false);
}
