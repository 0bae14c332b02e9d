using System.Globalization;
using System.Text;
using BlazorRedis.Core;

namespace BlazorRedis.Core.DataStructures;

/// <summary>
/// Checks a learner's input before a demo writes anything: a rejected value throws
/// <see cref="ArgumentException"/> with a plain message, so bad input changes nothing in Redis.
/// </summary>
public static class DemoInput
{
    /// <summary>The longest name (field, tag, player, job) a demo accepts.</summary>
    public const int MaxNameLength = 64;

    /// <summary>The largest value (in UTF-8 bytes) a demo accepts: plenty for a lesson, far below Redis's 512 MB.</summary>
    public const int MaxValueBytes = 64 * 1024;

    /// <summary>A short name: not empty, at most <paramref name="maxLength"/> characters, no control characters, trimmed.</summary>
    public static string Name(string? value, string what, int maxLength = MaxNameLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new LearnerInputException($"The {what} must not be empty.", what);
        }

        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
        {
            throw new LearnerInputException(string.Create(CultureInfo.InvariantCulture, $"The {what} must be at most {maxLength} characters."), what);
        }

        NoControl(trimmed, what);
        if (trimmed.Contains('{', StringComparison.Ordinal) || trimmed.Contains('}', StringComparison.Ordinal))
        {
            throw new LearnerInputException($"The {what} must not contain {{ or }}.", what);
        }

        return trimmed;
    }

    /// <summary>A value: not empty, at most <see cref="MaxValueBytes"/> bytes, no control characters (line breaks included).</summary>
    public static string Value(string? value, string what = "value")
    {
        if (string.IsNullOrEmpty(value) || string.IsNullOrWhiteSpace(value))
        {
            throw new LearnerInputException($"The {what} must not be empty.", what);
        }

        if (Encoding.UTF8.GetByteCount(value) > MaxValueBytes)
        {
            throw new LearnerInputException(string.Create(CultureInfo.InvariantCulture, $"The {what} must be at most {MaxValueBytes / 1024} KB."), what);
        }

        NoControl(value, what);
        return value;
    }

    /// <summary>A whole number within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static long Range(long value, long min, long max, string what)
    {
        if (value < min || value > max)
        {
            throw new LearnerInputException(string.Create(CultureInfo.InvariantCulture, $"The {what} must be between {min:N0} and {max:N0}."), what);
        }

        return value;
    }

    /// <summary>A finite number within [<paramref name="min"/>, <paramref name="max"/>] (NaN and infinities are refused).</summary>
    public static double Finite(double value, double min, double max, string what)
    {
        if (!double.IsFinite(value))
        {
            throw new LearnerInputException($"The {what} must be a real number (not NaN or infinity).", what);
        }

        if (value < min || value > max)
        {
            throw new LearnerInputException(string.Create(CultureInfo.InvariantCulture, $"The {what} must be between {min:G} and {max:G}."), what);
        }

        return value;
    }

    private static void NoControl(string value, string what)
    {
        if (value.Any(char.IsControl))
        {
            throw new LearnerInputException($"The {what} must not contain control characters such as line breaks.", what);
        }
    }
}
