namespace BlazorRedis.Core.Lessons;

/// <summary>One piece of a lesson, in reading order: Markdown, or a block with meaning.</summary>
/// <param name="Line">The 1-based line of the file it starts on.</param>
public abstract record LessonSegment(int Line);
