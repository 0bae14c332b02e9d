namespace BlazorRedis.Core.Lessons;

/// <summary>
/// A lesson file read: the lesson (null when an error makes it unavailable), its problems, and the links it makes,
/// which only the whole course can check.
/// </summary>
public sealed record LessonParseResult(Lesson? Lesson, IReadOnlyList<LessonDiagnostic> Problems, IReadOnlyList<(string Url, int Line)> Links)
{
    /// <summary>The first error, the reason the course gives for an unavailable lesson.</summary>
    public string? Reason => Problems.FirstOrDefault(p => p.IsError)?.ToString();
}
