using System.Globalization;
using System.Text;
using StackExchange.Redis;

namespace BlazorRedis.Core.Workbench;

/// <summary>
/// Prints a reply as redis-cli prints it on a terminal (<c>cliFormatReplyTTY</c>): <c>(integer) 1</c>, <c>(nil)</c>,
/// status replies bare, bulk strings in double quotes with redis-cli's escapes (<c>sdscatrepr</c>: non-printable and
/// non-ASCII bytes as <c>\xHH</c>), arrays numbered with the index right-aligned and nested arrays indented under their
/// number, <c>(empty array)</c>, and <c>(error) …</c>.
/// </summary>
public static class RedisCliFormatter
{
    /// <summary>The text of <paramref name="reply"/>, lines separated by <c>\n</c>, no final line break.</summary>
    public static string Format(RedisResult reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var sb = new StringBuilder();
        Append(sb, reply, "");
        return sb.ToString().TrimEnd('\n');
    }

    /// <summary>An error reply: <c>(error) ERR …</c>.</summary>
    public static string FormatError(string message) => "(error) " + message;

    /// <summary>A bulk string as redis-cli quotes it.</summary>
    public static string Quote(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length + 2).Append('"');
        foreach (var b in bytes)
        {
            switch (b)
            {
                case (byte)'\\': sb.Append("\\\\"); break;
                case (byte)'"': sb.Append("\\\""); break;
                case (byte)'\n': sb.Append("\\n"); break;
                case (byte)'\r': sb.Append("\\r"); break;
                case (byte)'\t': sb.Append("\\t"); break;
                case (byte)'\a': sb.Append("\\a"); break;
                case (byte)'\b': sb.Append("\\b"); break;
                case >= 0x20 and < 0x7f: sb.Append((char)b); break;
                default: sb.Append("\\x").Append(b.ToString("x2", CultureInfo.InvariantCulture)); break;
            }
        }

        return sb.Append('"').ToString();
    }

    private static void Append(StringBuilder sb, RedisResult reply, string prefix)
    {
        switch (reply.Resp2Type)
        {
            case ResultType.Error:
                sb.Append(FormatError(reply.ToString() ?? "")).Append('\n');
                return;
            case ResultType.Array when reply.IsNull:
                sb.Append("(nil)\n");
                return;
            case ResultType.Array:
                AppendArray(sb, (RedisResult[])reply!, prefix);
                return;
            case ResultType.Integer:
                sb.Append("(integer) ").Append(((long)reply).ToString(CultureInfo.InvariantCulture)).Append('\n');
                return;
            case ResultType.SimpleString:
                sb.Append(reply.ToString()).Append('\n');
                return;
            default:
                if (reply.IsNull)
                {
                    sb.Append("(nil)\n");
                    return;
                }

                sb.Append(Quote((byte[])reply!)).Append('\n');
                return;
        }
    }

    private static void AppendArray(StringBuilder sb, RedisResult[] items, string prefix)
    {
        if (items.Length == 0)
        {
            sb.Append("(empty array)\n");
            return;
        }

        var width = items.Length.ToString(CultureInfo.InvariantCulture).Length;
        var nested = prefix + new string(' ', width + 2);
        for (var i = 0; i < items.Length; i++)
        {
            // The first element follows the parent's own "n) ", as in redis-cli.
            sb.Append(i == 0 ? "" : prefix)
              .Append((i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(width))
              .Append(") ");
            Append(sb, items[i], nested);
        }
    }
}
