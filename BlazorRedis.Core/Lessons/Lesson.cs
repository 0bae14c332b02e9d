namespace BlazorRedis.Core.Lessons;

/// <summary>A parsed lesson: its front matter and its segments in reading order.</summary>
/// <param name="Info">The front matter.</param>
/// <param name="Segments">Markdown and meaningful blocks, in reading order.</param>
/// <param name="Source">Where it came from (a file name), for messages.</param>
public sealed record Lesson(LessonInfo Info, IReadOnlyList<LessonSegment> Segments, string Source)
{
    /// <summary>The lesson's check blocks.</summary>
    public IEnumerable<CheckSegment> Checks => Segments.OfType<CheckSegment>();

    /// <summary>The lesson's quizzes.</summary>
    public IEnumerable<QuizSegment> Quizzes => Segments.OfType<QuizSegment>();

    /// <summary>Every command of the lesson's <c>```redis</c> blocks, in order.</summary>
    public IEnumerable<string> Commands => Segments.OfType<RedisSegment>().SelectMany(s => s.Commands);
}
