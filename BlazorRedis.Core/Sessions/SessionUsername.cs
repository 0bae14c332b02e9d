using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using BlazorRedis.Core;

namespace BlazorRedis.Core.Sessions;

/// <summary>The rules for the username a session is issued to, checked before anything reaches Redis.</summary>
public static class SessionUsername
{
    /// <summary>The longest username accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>Checks a username; <paramref name="error"/> says why it is refused, in plain words.</summary>
    public static bool TryValidate([NotNullWhen(true)] string? username, out string error)
    {
        if (string.IsNullOrWhiteSpace(username))
        {
            error = "Enter a username.";
            return false;
        }

        if (username.Length > MaxLength)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"A username must be at most {MaxLength} characters.");
            return false;
        }

        foreach (var c in username)
        {
            var category = char.GetUnicodeCategory(c);
            if (char.IsControl(c) || category is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                error = "A username must not contain control characters such as line breaks or tabs.";
                return false;
            }
        }

        if (char.IsWhiteSpace(username[0]) || char.IsWhiteSpace(username[^1]))
        {
            error = "A username must not start or end with a space.";
            return false;
        }

        error = "";
        return true;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="username"/> breaks a rule.</summary>
    public static void Validate([NotNull] string? username, string parameterName = "username")
    {
        if (!TryValidate(username, out var error))
        {
            throw new LearnerInputException(error, parameterName);
        }
    }

    /// <summary>
    /// The username as a key segment: <c>{</c>, <c>}</c> and <c>%</c> are percent-escaped so a name can never
    /// open a second hash tag or collide with another name's escape.
    /// </summary>
    public static string ToKeySegment(string username)
    {
        ArgumentNullException.ThrowIfNull(username);
        return username.Replace("%", "%25", StringComparison.Ordinal)
            .Replace("{", "%7B", StringComparison.Ordinal)
            .Replace("}", "%7D", StringComparison.Ordinal);
    }
}
