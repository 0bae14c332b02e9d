namespace BlazorRedis.Core.Lessons;

/// <summary>A graded answer: right or not, what was chosen and which options were right (0-based indexes).</summary>
public sealed record QuizGrade(bool Correct, IReadOnlyList<int> Chosen, IReadOnlyList<int> Right);
