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

    /// <summary>
    /// True when the line expects its key to be gone, in so many words: <c>EXISTS k == 0</c>, <c>TYPE k == none</c>,
    /// <c>TTL k == -2</c>, <c>PTTL k == -2</c>, <c>GET k == nil</c>, or <c>DBSIZE == 0</c>. Authors write these after a
    /// DEL, RENAME or logout step. Every other line about a key that does not exist yet does not pass (the learner has
    /// not made it), and these pass only beside lines that prove the work: see <see cref="CheckEvaluator"/>.
    /// </summary>
    public bool ExpectsAbsence => Operator == CheckOperator.Equal && (Command, Expected) switch
    {
        ("EXISTS" or "DBSIZE", var n) => CheckParser.IsNumber(n) && CheckParser.Number(n) == 0,
        ("TTL" or "PTTL", var n) => CheckParser.IsNumber(n) && CheckParser.Number(n) == -2,
        ("TYPE", "none") or ("GET", "nil") => true,
        _ => false,
    };

    /// <summary>The comparison as written after the command: <c>== hash</c>, <c>in 1..60</c>.</summary>
    public string Expectation => Operator switch
    {
        CheckOperator.InRange => $"in {Expected}..{ExpectedHigh}",
        CheckOperator.Contains => $"contains {Expected}",
        _ => $"{CheckParser.Symbol(Operator)} {Expected}",
    };
}
