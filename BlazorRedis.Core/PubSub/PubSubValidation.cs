using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using BlazorRedis.Core;

namespace BlazorRedis.Core.PubSub;

/// <summary>The rules for channel names, patterns and messages, checked before anything reaches Redis.</summary>
public static class PubSubValidation
{
    /// <summary>The longest channel name or pattern accepted.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The largest message accepted, in UTF-8 bytes (64 KB).</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>How much of a message a page keeps to show in its feed (a feed of 50 messages of 64 KB each is megabytes per open page).</summary>
    public const int PreviewChars = 500;

    /// <summary>The message as a feed shows it: whole when short, else its start and how much was left out.</summary>
    public static string Preview(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Length <= PreviewChars
            ? message
            : string.Concat(message.AsSpan(0, PreviewChars), string.Create(CultureInfo.InvariantCulture, $" … ({message.Length - PreviewChars:N0} more characters)"));
    }

    /// <summary>Characters that make a name a glob pattern (PSUBSCRIBE): allowed only in pattern subscriptions.</summary>
    public static readonly IReadOnlyList<char> PatternCharacters = ['*', '?', '[', ']', '\\'];

    /// <summary>Checks a channel name (<paramref name="isPattern"/> false) or a pattern (true).</summary>
    public static bool TryValidateName([NotNullWhen(true)] string? name, bool isPattern, out string error)
    {
        var what = isPattern ? "pattern" : "channel name";
        if (string.IsNullOrWhiteSpace(name))
        {
            error = isPattern ? "Enter a pattern, for example orders.*" : "Enter a channel name.";
            return false;
        }

        if (name.Length > MaxNameLength)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"A {what} must be at most {MaxNameLength} characters.");
            return false;
        }

        if (name.Any(char.IsControl))
        {
            error = $"A {what} must not contain control characters such as line breaks.";
            return false;
        }

        // Channels are shared: every learner's panels show the names and messages (the rule nicknames follow).
        if (Text.HiddenCharacters.Problem(name, $"A {what}") is { } hidden)
        {
            error = hidden;
            return false;
        }

        if (!isPattern && name.Any(PatternCharacters.Contains))
        {
            error = "A channel name must not contain * ? [ ] or \\: they are pattern characters, allowed only in a pattern subscription.";
            return false;
        }

        error = "";
        return true;
    }

    /// <summary>Checks a message: present, at most 64 KB of UTF-8, nothing that flips the text direction or is invisible.</summary>
    public static bool TryValidateMessage([NotNullWhen(true)] string? message, out string error)
    {
        if (message is null)
        {
            error = "A message is required.";
            return false;
        }

        var bytes = Encoding.UTF8.GetByteCount(message);
        if (bytes > MaxMessageBytes)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"A message must be at most 64 KB ({MaxMessageBytes} bytes of UTF-8); this one is {bytes} bytes.");
            return false;
        }

        if (Text.HiddenCharacters.Problem(message, "A message") is { } hidden)
        {
            error = hidden;
            return false;
        }

        error = "";
        return true;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when the name breaks a rule.</summary>
    public static void ValidateName([NotNull] string? name, bool isPattern, string parameterName)
    {
        if (!TryValidateName(name, isPattern, out var error))
        {
            throw new LearnerInputException(error, parameterName);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> when the message breaks a rule.</summary>
    public static void ValidateMessage([NotNull] string? message, string parameterName = "message")
    {
        if (!TryValidateMessage(message, out var error))
        {
            throw new LearnerInputException(error, parameterName);
        }
    }
}
