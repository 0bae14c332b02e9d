using System.Globalization;
using System.Text.RegularExpressions;

namespace BlazorRedis.Core.Streams;

/// <summary>Parsing and checking of stream ids.</summary>
public static partial class StreamIds
{
    /// <summary>Checks an XRANGE bound: <c>-</c>, <c>+</c>, <c>ms</c> or <c>ms-seq</c>.</summary>
    public static string ValidateBound(string? id, string parameter)
    {
        var text = id?.Trim();
        if (string.IsNullOrEmpty(text) || !(text is "-" or "+" || TryParse(text, allowPartial: true, out _, out _)))
        {
            throw new LearnerInputException($"\"{Shorten(id)}\" is not a stream id. Use - (the start), + (the end), a time in milliseconds like 1700000000000, or a full id like 1700000000000-0.", parameter);
        }

        return text;
    }

    /// <summary>Checks a complete entry id (<c>ms-seq</c>), as XACK needs.</summary>
    public static string ValidateEntryId(string? id, string parameter)
    {
        var text = id?.Trim();
        if (string.IsNullOrEmpty(text) || !TryParse(text, allowPartial: false, out _, out _))
        {
            throw new LearnerInputException($"\"{Shorten(id)}\" is not a stream entry id. An id looks like 1700000000000-0: milliseconds, a dash, a sequence number.", parameter);
        }

        return text;
    }

    /// <summary>Splits an id into its parts.</summary>
    public static bool TryParse(string text, bool allowPartial, out ulong milliseconds, out ulong sequence)
    {
        milliseconds = 0;
        sequence = 0;
        var match = IdPattern().Match(text ?? "");
        if (!match.Success || (!allowPartial && !match.Groups[2].Success))
        {
            return false;
        }

        return ulong.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out milliseconds)
            && (!match.Groups[2].Success || ulong.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out sequence));
    }

    /// <summary>The id for a point in time (all entries of that millisecond).</summary>
    public static string FromTime(DateTimeOffset time) => time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>The time part of an id.</summary>
    public static DateTimeOffset TimeOf(string id) =>
        TryParse(id, allowPartial: true, out var ms, out _) && ms <= 253402300799999
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)ms)
            : DateTimeOffset.MinValue;

    private static string Shorten(string? text) => text is null ? "" : text.Length > 40 ? text[..40] + "…" : text;

    [GeneratedRegex(@"^(\d{1,20})(?:-(\d{1,20}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
