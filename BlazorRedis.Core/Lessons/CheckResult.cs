namespace BlazorRedis.Core.Lessons;

/// <summary>One graded check: passed or not, what Redis answered (in redis-cli words) and the sentence the learner reads.</summary>
public sealed record CheckResult(LessonCheck Check, bool Passed, string Found, string Message);
