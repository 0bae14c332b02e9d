using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BlazorRedis.Core.Classroom;

/// <summary>
/// The rules a nickname follows: trimmed; 1 to <see cref="MaxLength"/> characters (an emoji counts as one); no control
/// characters; no characters that flip the text direction (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C), which
/// could make one name display as another; no &lt; or &gt;; unique in the class regardless of case.
/// </summary>
public static class Nickname
{
    /// <summary>The longest nickname, in characters as a reader counts them (an emoji is one). Fits a roster row at 60 learners.</summary>
    public const int MaxLength = 24;

    /// <summary>Raw input longer than this is refused before any other work (a 10,000-character paste).</summary>
    private const int MaxRawLength = 256;

    private static readonly string[] Adjectives =
        ["Brave", "Calm", "Clever", "Curious", "Eager", "Gentle", "Happy", "Keen", "Lucky", "Merry", "Quick", "Quiet", "Swift", "Witty", "Bold", "Bright"];

    private static readonly string[] Animals =
        ["Otter", "Falcon", "Panda", "Koala", "Lynx", "Heron", "Badger", "Dolphin", "Fox", "Gecko", "Marmot", "Owl", "Puffin", "Tiger", "Walrus", "Zebra"];

    /// <summary>Checks and cleans <paramref name="text"/>: the nickname to store, or the reason it is refused.</summary>
    public static bool TryNormalize(string? text, out string nickname, out string error)
    {
        nickname = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "Type a nickname (or leave it empty to get one suggested).";
            return false;
        }

        if (text.Length > MaxRawLength)
        {
            error = $"A nickname is at most {MaxLength} characters.";
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                error = "The nickname holds a broken character; type it again.";
                return false;
            }

            if (char.IsControl(c))
            {
                error = "A nickname cannot hold control characters such as line breaks or tabs.";
                return false;
            }

            if (IsDirectionControl(c))
            {
                error = "A nickname cannot hold characters that change the text direction (they can make one name look like another).";
                return false;
            }

            if (c is '<' or '>')
            {
                error = "A nickname cannot hold < or >.";
                return false;
            }
        }

        var trimmed = text.Normalize(NormalizationForm.FormC).Trim();
        var length = new StringInfo(trimmed).LengthInTextElements;
        if (length > MaxLength)
        {
            error = $"A nickname is at most {MaxLength} characters (this one has {length}).";
            return false;
        }

        nickname = trimmed;
        error = "";
        return true;
    }

    /// <summary>The form two nicknames are compared in: "Ada" and "ADA" are the same name in a class.</summary>
    public static string Fold(string nickname)
    {
        ArgumentNullException.ThrowIfNull(nickname);
        return nickname.Normalize(NormalizationForm.FormKC).ToUpperInvariant();
    }

    /// <summary>A friendly random nickname such as "Curious Otter 42", for a learner who left the field empty.</summary>
    public static string Suggest() =>
        $"{Adjectives[RandomNumberGenerator.GetInt32(Adjectives.Length)]} {Animals[RandomNumberGenerator.GetInt32(Animals.Length)]} {RandomNumberGenerator.GetInt32(10, 100)}";

    internal static bool IsDirectionControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C';
}
