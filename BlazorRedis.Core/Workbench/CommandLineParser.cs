using System.Text;

namespace BlazorRedis.Core.Workbench;

/// <summary>
/// Splits one workbench line into the arguments of a command exactly as redis-cli does (its <c>sdssplitargs</c>):
/// arguments are separated by spaces or tabs; in double quotes <c>\n \r \t \b \a</c>, <c>\xHH</c> and <c>\"</c> are
/// escapes and any other escaped character stands for itself; in single quotes only <c>\'</c> is an escape; a quote may
/// start in the middle of an argument (<c>a"b c"</c> is one argument <c>ab c</c>); a closing quote must be followed by a
/// space or the end of the line. Arguments are bytes, since <c>"\xff"</c> is a byte and not a character.
/// </summary>
/// <remarks>
/// The workbench is stricter than redis-cli about the raw line, because a browser can send what a terminal cannot:
/// a line longer than <see cref="MaxLineLength"/>, more than <see cref="MaxArguments"/> arguments, a raw control
/// character (NUL, a line break: scripts are split into lines before they get here; a tab is a separator) or text that
/// is not valid Unicode (a lone surrogate, which has no UTF-8 form). Each is refused with
/// <see cref="LearnerInputException"/> before anything is sent. Escapes still write any byte, NUL and CR LF included:
/// Redis arguments are binary-safe.
/// </remarks>
public static class CommandLineParser
{
    /// <summary>The longest line accepted, in characters (the 1 MB a browser could paste is refused).</summary>
    public const int MaxLineLength = 64 * 1024;

    /// <summary>The most arguments one line may have, the command name included.</summary>
    public const int MaxArguments = 1024;

    /// <summary>redis-cli's own answer to unbalanced quotes or a quote glued to the next argument.</summary>
    public const string InvalidArguments = "Invalid argument(s)";

    /// <summary>
    /// A line <see cref="Parse"/> reads back as exactly <paramref name="args"/>: an argument with a space, a quote, a
    /// backslash or a control character (or an empty one) goes in double quotes with its escapes; any other text, Unicode
    /// included, stays as it is, so the line reads as a learner would type it.
    /// </summary>
    public static string Join(params IEnumerable<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return string.Join(' ', args.Select(QuoteIfNeeded));
    }

    private static string QuoteIfNeeded(string arg)
    {
        if (arg.Length > 0 && !arg.Any(c => char.IsWhiteSpace(c) || c is '"' or '\\' or '\'' || char.IsControl(c)))
        {
            return arg;
        }

        var sb = new StringBuilder(arg.Length + 2).Append('"');
        foreach (var c in arg)
        {
            _ = c switch
            {
                '"' => sb.Append("\\\""),
                '\\' => sb.Append("\\\\"),
                '\n' => sb.Append("\\n"),
                '\r' => sb.Append("\\r"),
                '\t' => sb.Append("\\t"),
                _ when char.IsControl(c) => sb.AppendJoin("", Encoding.UTF8.GetBytes(c.ToString()).Select(b => "\\x" + b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture))),
                _ => sb.Append(c),
            };
        }

        return sb.Append('"').ToString();
    }

    /// <summary>The arguments of <paramref name="line"/>; none for a blank line.</summary>
    /// <exception cref="LearnerInputException">The line cannot be parsed or breaks a limit; the message is what the console prints.</exception>
    public static IReadOnlyList<byte[]> Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        CheckRawLine(line);
        var args = new List<byte[]>();
        var current = new List<byte>();
        Span<byte> utf8 = stackalloc byte[4];
        var i = 0;
        while (true)
        {
            while (i < line.Length && IsSeparator(line[i]))
            {
                i++;
            }

            if (i == line.Length)
            {
                return args;
            }

            var inDouble = false;
            var inSingle = false;
            var done = false;
            current.Clear();
            while (!done)
            {
                var end = i == line.Length;
                var c = end ? '\0' : line[i];
                if (inDouble)
                {
                    if (end)
                    {
                        throw new LearnerInputException(InvalidArguments + ": a double quote is not closed.");
                    }

                    if (c == '\\' && i + 3 < line.Length && line[i + 1] == 'x' && IsHex(line[i + 2]) && IsHex(line[i + 3]))
                    {
                        current.Add((byte)((HexValue(line[i + 2]) << 4) | HexValue(line[i + 3])));
                        i += 3;
                    }
                    else if (c == '\\' && i + 1 < line.Length)
                    {
                        i++;
                        var escaped = line[i] switch
                        {
                            'n' => '\n',
                            'r' => '\r',
                            't' => '\t',
                            'b' => '\b',
                            'a' => '\a',
                            var other => other,
                        };
                        AppendChar(current, line, ref i, escaped, utf8);
                    }
                    else if (c == '"')
                    {
                        CheckClosingQuote(line, i, "double");
                        done = true;
                    }
                    else
                    {
                        AppendChar(current, line, ref i, c, utf8);
                    }
                }
                else if (inSingle)
                {
                    if (end)
                    {
                        throw new LearnerInputException(InvalidArguments + ": a single quote is not closed.");
                    }

                    if (c == '\\' && i + 1 < line.Length && line[i + 1] == '\'')
                    {
                        current.Add((byte)'\'');
                        i++;
                    }
                    else if (c == '\'')
                    {
                        CheckClosingQuote(line, i, "single");
                        done = true;
                    }
                    else
                    {
                        AppendChar(current, line, ref i, c, utf8);
                    }
                }
                else if (end || IsSeparator(c))
                {
                    done = true;
                }
                else if (c == '"')
                {
                    inDouble = true;
                }
                else if (c == '\'')
                {
                    inSingle = true;
                }
                else
                {
                    AppendChar(current, line, ref i, c, utf8);
                }

                if (!end)
                {
                    i++;
                }
            }

            if (args.Count == MaxArguments)
            {
                throw new LearnerInputException($"ERR too many arguments: the workbench takes at most {MaxArguments:N0} on one line.");
            }

            args.Add([.. current]);
        }
    }

    private static void CheckRawLine(string line)
    {
        if (line.Length > MaxLineLength)
        {
            throw new LearnerInputException($"ERR line too long: {line.Length:N0} characters, the workbench takes at most {MaxLineLength:N0}.");
        }

        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (char.IsHighSurrogate(c) && i + 1 < line.Length && char.IsLowSurrogate(line[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                throw new LearnerInputException(InvalidArguments + ": the line is not valid text (a broken character at position " + (i + 1) + ").");
            }

            if (c != '\t' && char.IsControl(c))
            {
                throw new LearnerInputException(InvalidArguments + $": a control character (0x{(int)c:X2}) at position {i + 1}. Type it as an escape in double quotes, e.g. \"\\x00\" or \"\\n\".");
            }
        }
    }

    private static void CheckClosingQuote(string line, int i, string kind)
    {
        if (i + 1 < line.Length && !IsSeparator(line[i + 1]))
        {
            throw new LearnerInputException(InvalidArguments + $": a closing {kind} quote must be followed by a space.");
        }
    }

    // Appends one character as UTF-8; a surrogate pair (checked whole by CheckRawLine) takes the next char too.
    private static void AppendChar(List<byte> bytes, string line, ref int i, char c, Span<byte> utf8)
    {
        if (c < 0x80)
        {
            bytes.Add((byte)c);
            return;
        }

        var rune = char.IsHighSurrogate(c) ? new Rune(c, line[++i]) : new Rune(c);
        var n = rune.EncodeToUtf8(utf8);
        for (var k = 0; k < n; k++)
        {
            bytes.Add(utf8[k]);
        }
    }

    private static bool IsSeparator(char c) => c is ' ' or '\t';

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
