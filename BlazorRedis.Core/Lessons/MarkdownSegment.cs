namespace BlazorRedis.Core.Lessons;

/// <summary>Text of the lesson, rendered to HTML by Markdig with raw HTML disabled.</summary>
public sealed record MarkdownSegment(int Line, string Html) : LessonSegment(Line);
