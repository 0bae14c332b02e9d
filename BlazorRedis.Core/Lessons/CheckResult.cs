namespace BlazorRedis.Core.Lessons;

/// <summary>One graded check: passed or not, what Redis answered (in redis-cli words) and the sentence the learner reads.</summary>
/// <param name="Check">The line graded.</param>
/// <param name="Passed">True when the line holds on the learner's data.</param>
/// <param name="Found">What Redis answered, in redis-cli words.</param>
/// <param name="Message">The sentence the learner reads.</param>
/// <param name="NotStarted">
/// True when the line did not pass because what it reads is not there yet (the key does not exist, the lab was never
/// run): the learner has not done that step, which the page shows as still to do rather than as wrong.
/// </param>
public sealed record CheckResult(LessonCheck Check, bool Passed, string Found, string Message, bool NotStarted = false);
