namespace BlazorRedis.Core.Lessons;

/// <summary>One answer a quiz offers, whether it is right, and why.</summary>
public sealed record QuizOption(string Text, bool Correct, string Explanation);
