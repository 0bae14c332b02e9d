namespace BlazorRedis.Core.Lessons;

/// <summary>
/// One line of a <c>```check</c> block: a read-only command on the learner's own keys, how to compare its reply, and
/// what to expect, e.g. <c>TTL session:abc in 1..60</c>.
/// </summary>
/// <param name="Text">The line as written, for messages.</param>
/// <param name="Command">The command, upper case (<c>OBJECT ENCODING</c> for the one two-word command).</param>
/// <param name="Arguments">Its arguments; the first is the key, in the learner's own names (none for DBSIZE).</param>
/// <param name="Operator">The comparison.</param>
/// <param name="Expected">The expected value (<c>nil</c> for no value); for <see cref="CheckOperator.InRange"/> the low end.</param>
/// <param name="ExpectedHigh">The high end of an <see cref="CheckOperator.InRange"/> range, else null.</param>
/// <param name="Hint">Shown when the check fails, or null.</param>
/// <param name="Line">The 1-based line of the file.</param>
public sealed record LessonCheck(
    string Text, string Command, IReadOnlyList<string> Arguments, CheckOperator Operator, string Expected, string? ExpectedHigh, string? Hint, int Line)
{
    /// <summary>The key the check reads, in the learner's names, or null (DBSIZE).</summary>
    public string? Key => Arguments.Count > 0 ? Arguments[0] : null;

    /// <summary>The comparison as written after the command: <c>== hash</c>, <c>in 1..60</c>.</summary>
    public string Expectation => Operator switch
    {
        CheckOperator.InRange => $"in {Expected}..{ExpectedHigh}",
        CheckOperator.Contains => $"contains {Expected}",
        _ => $"{CheckParser.Symbol(Operator)} {Expected}",
    };
}
