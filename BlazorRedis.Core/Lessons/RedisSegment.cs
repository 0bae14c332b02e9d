namespace BlazorRedis.Core.Lessons;

/// <summary>A <c>```redis</c> block: commands the learner runs in their own workbench space, one per line.</summary>
/// <param name="Line">The line of the opening fence.</param>
/// <param name="Commands">The command lines, comments and blank lines left out.</param>
/// <param name="CommandLines">The file line of each of <paramref name="Commands"/>, for messages about one command.</param>
public sealed record RedisSegment(int Line, IReadOnlyList<string> Commands, IReadOnlyList<int> CommandLines) : LessonSegment(Line);
