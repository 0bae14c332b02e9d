using System.Globalization;
using System.Text;
using BlazorRedis.Core.Workbench;

namespace BlazorRedis.Core.Lessons;

/// <summary>
/// Reads the check language: <c>COMMAND args… OP expected [-- hint]</c>. Only read-only commands are known, each with
/// its number of arguments, so an argument that happens to read "in" or "contains" is never taken for an operator.
/// <c>LAB name</c> is not a Redis command: it reads a number the learner's last run of an embedded demo recorded
/// (<see cref="LabResults"/>).
/// </summary>
public static class CheckParser
{
    /// <summary>The commands a check may run, with their least and most arguments; none writes.</summary>
    public static IReadOnlyDictionary<string, (int Min, int Max)> Commands { get; } = new Dictionary<string, (int, int)>(StringComparer.Ordinal)
    {
        ["EXISTS"] = (1, 1),
        ["TYPE"] = (1, 1),
        ["TTL"] = (1, 1),
        ["PTTL"] = (1, 1),
        ["GET"] = (1, 1),
        ["STRLEN"] = (1, 1),
        ["GETBIT"] = (2, 2),
        ["BITCOUNT"] = (1, 1),
        ["LLEN"] = (1, 1),
        ["LINDEX"] = (2, 2),
        ["LRANGE"] = (3, 3),
        ["HGET"] = (2, 2),
        ["HLEN"] = (1, 1),
        ["HEXISTS"] = (2, 2),
        ["HKEYS"] = (1, 1),
        ["SCARD"] = (1, 1),
        ["SISMEMBER"] = (2, 2),
        ["SMEMBERS"] = (1, 1),
        ["ZCARD"] = (1, 1),
        ["ZSCORE"] = (2, 2),
        ["ZRANK"] = (2, 2),
        ["ZREVRANK"] = (2, 2),
        ["ZRANGE"] = (3, 3),
        ["PFCOUNT"] = (1, 1),
        ["XLEN"] = (1, 1),
        ["XPENDING"] = (2, 2),
        ["GEODIST"] = (3, 4),
        ["OBJECT ENCODING"] = (1, 1),
        ["DBSIZE"] = (0, 0),
        ["LAB"] = (1, 1),
    };

    private static readonly Dictionary<string, CheckOperator> Operators = new(StringComparer.Ordinal)
    {
        ["=="] = CheckOperator.Equal,
        ["!="] = CheckOperator.NotEqual,
        [">"] = CheckOperator.Greater,
        [">="] = CheckOperator.GreaterOrEqual,
        ["<"] = CheckOperator.Less,
        ["<="] = CheckOperator.LessOrEqual,
        ["in"] = CheckOperator.InRange,
        ["contains"] = CheckOperator.Contains,
    };

    /// <summary>The longest check line.</summary>
    public const int MaxLength = 1024;

    /// <summary>How an operator is written.</summary>
    public static string Symbol(CheckOperator op) => Operators.First(o => o.Value == op).Key;

    /// <summary>Parses one check line (not blank, not a comment).</summary>
    /// <exception cref="LessonFormatException">The line is not a check; the message says what to write.</exception>
    public static LessonCheck Parse(string line, int lineNumber)
    {
        ArgumentNullException.ThrowIfNull(line);
        var text = line.Trim();
        if (text.Length > MaxLength)
        {
            throw new LessonFormatException($"A check line is at most {MaxLength} characters.", lineNumber);
        }

        string? hint = null;
        var split = text.IndexOf(" -- ", StringComparison.Ordinal);
        var check = text;
        if (split >= 0)
        {
            hint = text[(split + 4)..].Trim();
            check = text[..split].TrimEnd();
        }

        IReadOnlyList<byte[]> raw;
        try
        {
            raw = CommandLineParser.Parse(check);
        }
        catch (LearnerInputException ex)
        {
            throw new LessonFormatException($"The check cannot be read ({ex.Message}): {text}", lineNumber);
        }

        var tokens = raw.Select(b => Encoding.UTF8.GetString(b)).ToList();
        if (tokens.Count == 0)
        {
            throw new LessonFormatException("A check line is empty.", lineNumber);
        }

        var command = tokens[0].ToUpperInvariant();
        var start = 1;
        if (command == "OBJECT" && tokens.Count > 1)
        {
            command = "OBJECT " + tokens[1].ToUpperInvariant();
            start = 2;
        }

        if (!Commands.TryGetValue(command, out var arity))
        {
            throw new LessonFormatException(
                $"'{tokens[0]}' cannot be used in a check. A check reads with one of: {string.Join(", ", Commands.Keys)}.", lineNumber);
        }

        // The operator follows the command's arguments: with a variable count, the first count after which an operator stands.
        var argCount = -1;
        for (var n = arity.Min; n <= arity.Max; n++)
        {
            if (start + n < tokens.Count && Operators.ContainsKey(tokens[start + n]))
            {
                argCount = n;
                break;
            }
        }

        if (argCount < 0)
        {
            var expects = arity.Min == arity.Max ? $"{arity.Min}" : $"{arity.Min} or {arity.Max}";
            throw new LessonFormatException(
                $"{command} takes {expects} argument(s), then an operator (== != > >= < <= in contains) and the expected value: {text}", lineNumber);
        }

        var args = tokens.GetRange(start, argCount);
        if (command == "LAB" && !LabResults.IsKnown(args[0]))
        {
            throw new LessonFormatException(
                $"'{args[0]}' is not a lab result. LAB reads what a demo recorded: {string.Join(", ", LabResults.Names)}.", lineNumber);
        }

        var op = Operators[tokens[start + argCount]];
        var rest = tokens.Skip(start + argCount + 1).ToList();
        if (rest.Count != 1)
        {
            throw new LessonFormatException(
                rest.Count == 0 ? $"The check has no expected value after '{Symbol(op)}': {text}" : $"Put one expected value after '{Symbol(op)}' (quote it if it has spaces): {text}",
                lineNumber);
        }

        var expected = rest[0];
        string? high = null;
        if (op == CheckOperator.InRange)
        {
            var dots = expected.IndexOf("..", StringComparison.Ordinal);
            if (dots <= 0 || !IsNumber(expected[..dots]) || !IsNumber(expected[(dots + 2)..]))
            {
                throw new LessonFormatException($"'in' takes a range of two numbers, like 1..60: {text}", lineNumber);
            }

            high = expected[(dots + 2)..];
            expected = expected[..dots];
            if (Number(expected) > Number(high))
            {
                throw new LessonFormatException($"The range {expected}..{high} is empty: write the low end first.", lineNumber);
            }
        }
        else if (op is CheckOperator.Greater or CheckOperator.GreaterOrEqual or CheckOperator.Less or CheckOperator.LessOrEqual && !IsNumber(expected))
        {
            throw new LessonFormatException($"'{Symbol(op)}' compares numbers, and '{expected}' is not one: {text}", lineNumber);
        }

        return new LessonCheck(text, command, args, op, expected, high, string.IsNullOrEmpty(hint) ? null : hint, lineNumber);
    }

    internal static bool IsNumber(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d);

    internal static double Number(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
}
