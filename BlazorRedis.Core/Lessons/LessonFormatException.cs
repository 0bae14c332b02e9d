namespace BlazorRedis.Core.Lessons;

/// <summary>A lesson file that does not follow the lesson format; <see cref="Line"/> is 1-based in the file.</summary>
public sealed class LessonFormatException(string message, int line) : Exception(message)
{
    /// <summary>The line of the file the problem is on (1-based; 0 for the file as a whole).</summary>
    public int Line { get; } = line;
}
