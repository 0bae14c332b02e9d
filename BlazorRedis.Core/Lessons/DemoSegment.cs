namespace BlazorRedis.Core.Lessons;

/// <summary>A <c>```demo</c> block: a live lab of the app embedded in the lesson (one of <see cref="LessonBlocks.Demos"/>).</summary>
public sealed record DemoSegment(int Line, string Demo) : LessonSegment(Line);
