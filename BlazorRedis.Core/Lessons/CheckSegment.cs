namespace BlazorRedis.Core.Lessons;

/// <summary>A <c>```check</c> block: every check must pass on the learner's own data.</summary>
/// <param name="Line">The line of the opening fence.</param>
/// <param name="Index">Its number among the lesson's check blocks (0-based), which progress is kept by.</param>
/// <param name="Checks">The checks, in order.</param>
public sealed record CheckSegment(int Line, int Index, IReadOnlyList<LessonCheck> Checks) : LessonSegment(Line);
