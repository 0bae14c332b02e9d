namespace BlazorRedis.Core.Lessons;

/// <summary>A <c>```diagram</c> block: the architecture diagram that moves with the learner's last action (one of <see cref="LessonBlocks.Diagrams"/>).</summary>
public sealed record DiagramSegment(int Line, string Diagram) : LessonSegment(Line);
