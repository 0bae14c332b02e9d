namespace BlazorRedis.Core.Lessons;

/// <summary>A problem the lesson linter found: an error makes the lesson unavailable; a warning does not.</summary>
/// <param name="File">The lesson file's name.</param>
/// <param name="Line">The 1-based line (0 for the file as a whole).</param>
/// <param name="Message">What is wrong and what to write instead.</param>
/// <param name="IsError">True for an error, false for a warning.</param>
public sealed record LessonDiagnostic(string File, int Line, string Message, bool IsError = true)
{
    /// <summary><c>file:line: error: message</c>, as compilers print it.</summary>
    public override string ToString() => $"{File}:{Line}: {(IsError ? "error" : "warning")}: {Message}";
}
