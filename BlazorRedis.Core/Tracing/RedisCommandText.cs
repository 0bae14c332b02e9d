using System.Globalization;
using System.Text;
using StackExchange.Redis;

namespace BlazorRedis.Core.Tracing;

/// <summary>Formats commands and replies the way redis-cli prints them, and C# literals for the snippets.</summary>
public static class RedisCommandText
{
    /// <summary>Arguments longer than this are shortened in the trace (the real call is not).</summary>
    public const int MaxShownArgument = 80;

    /// <summary><c>SET "my key" value EX 60</c>: quotes arguments with spaces, quotes or control characters.</summary>
    public static string Format(string command, params IEnumerable<object?> args)
    {
        var sb = new StringBuilder(command);
        foreach (var arg in args)
        {
            sb.Append(' ').Append(Argument(arg));
        }

        return sb.ToString();
    }

    /// <summary>One argument as redis-cli would echo it.</summary>
    public static string Argument(object? arg)
    {
        var text = arg switch
        {
            null => "",
            RedisKey k => (string?)k ?? "",
            RedisValue v => v.IsNull ? "" : v.ToString(),
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => arg.ToString() ?? "",
        };
        var shown = Shorten(text);
        return NeedsQuotes(text) ? Quote(shown) : shown;
    }

    /// <summary>A reply as redis-cli would print it: <c>(nil)</c>, <c>"text"</c>, <c>(integer) 5</c>.</summary>
    public static string Reply(RedisValue value) => value.IsNull
        ? "(nil)"
        : value.IsInteger && value.TryParse(out long n) ? string.Create(CultureInfo.InvariantCulture, $"(integer) {n}") : Quote(Shorten(value.ToString()));

    /// <summary><c>(integer) n</c>.</summary>
    public static string IntegerReply(long value) => string.Create(CultureInfo.InvariantCulture, $"(integer) {value}");

    /// <summary>Booleans as Redis returns them: <c>(integer) 1</c> / <c>(integer) 0</c>.</summary>
    public static string Flag(bool value) => value ? "(integer) 1" : "(integer) 0";

    /// <summary>A list reply, shortened after <paramref name="max"/> items.</summary>
    public static string List(IEnumerable<string> items, int max = 10)
    {
        var all = items.ToList();
        if (all.Count == 0)
        {
            return "(empty array)";
        }

        var shown = string.Join(", ", all.Take(max).Select(i => Quote(Shorten(i))));
        return all.Count > max ? $"{shown} … ({all.Count} items)" : shown;
    }

    /// <summary>
    /// The statement a learner would write for a call given as a lambda's source: <c>() =&gt; db.GetAsync(key)</c>
    /// (or <c>db =&gt; …</c>) becomes <c>await db.GetAsync(key);</c>.
    /// </summary>
    public static string CSharpOfCall(string lambdaSource)
    {
        ArgumentNullException.ThrowIfNull(lambdaSource);
        var body = lambdaSource.Trim();
        var arrow = body.IndexOf("=>", StringComparison.Ordinal);
        if (arrow >= 0 && body[..arrow].Trim() is "()" or "_" or "db" or "async ()")
        {
            body = body[(arrow + 2)..].Trim();
        }

        body = string.Join(' ', body.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        return (body.StartsWith("await ", StringComparison.Ordinal) ? body : "await " + body) + ";";
    }

    /// <summary>
    /// A C# array of string literals for a snippet, e.g. <c>new RedisValue[] { "a", "b" }</c>; past
    /// <paramref name="max"/> items the rest are counted in a comment, so the snippet still compiles.
    /// </summary>
    public static string CSharpArray(string elementType, IEnumerable<string?> items, int max = 10)
    {
        ArgumentNullException.ThrowIfNull(items);
        var all = items.ToList();
        var shown = string.Join(", ", all.Take(max).Select(CSharpString));
        var more = all.Count > max ? string.Create(CultureInfo.InvariantCulture, $" /* … {all.Count - max} more */") : "";
        return $"new {elementType}[] {{ {shown}{more} }}";
    }

    /// <summary>A C# string literal of the whole text, never shortened (a script a snippet must run as it is).</summary>
    public static string CSharpLiteral(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Escape(value, csharp: true);
    }

    /// <summary>A C# string literal (for snippets).</summary>
    public static string CSharpString(string? value) => value is null ? "null" : Escape(Shorten(value), csharp: true);

    private static string Shorten(string text) => text.Length <= MaxShownArgument
        ? text
        : string.Create(CultureInfo.InvariantCulture, $"{text[..(MaxShownArgument - 1)]}… ({Encoding.UTF8.GetByteCount(text)} bytes)");

    private static bool NeedsQuotes(string text) => text.Length == 0 || text.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' || char.IsControl(c));

    private static string Quote(string text) => Escape(text, csharp: false);

    private static string Escape(string text, bool csharp)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => csharp
                    ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}")
                    : string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }
}
