namespace BlazorRedis.Core.Lessons;

/// <summary>A <c>```quiz</c> block: one question.</summary>
/// <param name="Line">The line of the opening fence.</param>
/// <param name="Index">Its number among the lesson's quizzes (0-based), which answers are kept by.</param>
/// <param name="Quiz">The question and its options.</param>
public sealed record QuizSegment(int Line, int Index, Quiz Quiz) : LessonSegment(Line);
