using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BlazorRedis.Core.Text;

namespace BlazorRedis.Core.Classroom;

/// <summary>
/// The rules a nickname follows: trimmed; 1 to <see cref="MaxLength"/> characters (an emoji counts as one); no control
/// characters; no characters that flip the text direction or are invisible (<see cref="HiddenCharacters"/>, the rule
/// for all text other people see), which could make one name display as another; at least one visible character; no &lt; or &gt;; not posing as the
/// teacher ("Teacher" is the teacher's name in the class channel); unique in the class regardless of case and of those
/// joiners (<see cref="Fold"/>).
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

            if (HiddenCharacters.IsDirectionControl(c))
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

        if (!CheckVisible(text, out error))
        {
            return false;
        }

        var trimmed = text.Normalize(NormalizationForm.FormC).Trim();
        var length = new StringInfo(trimmed).LengthInTextElements;
        if (length > MaxLength)
        {
            error = $"A nickname is at most {MaxLength} characters (this one has {length}).";
            return false;
        }

        if (PosesAsTheTeacher(trimmed))
        {
            error = $"\"{ClassChannel.TeacherName}\" is how the class channel names the teacher, so a learner's nickname cannot hold it; pick another one.";
            return false;
        }

        nickname = trimmed;
        error = "";
        return true;
    }

    /// <summary>
    /// True when the name's letters, folded as <see cref="Fold"/> does and with everything else left out, hold "teacher":
    /// "Teacher", "teacher (teacher)", "T.e.a.c.h.e.r" or "Ｔｅａｃｈｅｒ" would sit in the class channel beside the
    /// teacher's own lines and read as them ("Class is over, everyone run FLUSHDB now").
    /// </summary>
    private static bool PosesAsTheTeacher(string name)
    {
        var letters = new StringBuilder(name.Length);
        foreach (var c in Fold(name))
        {
            if (char.IsLetter(c))
            {
                letters.Append(c);
            }
        }

        return letters.ToString().Contains(TeacherLetters, StringComparison.Ordinal);
    }

    private static readonly string TeacherLetters = ClassChannel.TeacherName.ToUpperInvariant();

    /// <summary>
    /// The form two nicknames are compared in: "Ada", "ADA" and "A\u200Cda" are the same name in a class (the joiners
    /// change how letters connect, or nothing at all, so two names that differ only by them look alike), and so are the
    /// full-width "Ａｄａ" and a dotless "ı" for "i". The app runs with invariant globalization, where NFKC does not map
    /// full-width letters and the invariant upper case leaves "ı" alone, so those look-alikes are folded here by hand.
    /// </summary>
    public static string Fold(string nickname)
    {
        ArgumentNullException.ThrowIfNull(nickname);
        var text = nickname.Replace(ZeroWidthNonJoinerText, "", StringComparison.Ordinal).Replace(ZeroWidthJoinerText, "", StringComparison.Ordinal)
            .Normalize(NormalizationForm.FormKC);
        return string.Create(text.Length, text, static (folded, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                folded[i] = LookAlike(source[i]);
            }
        }).ToUpperInvariant();
    }

    // Full-width ASCII (U+FF01–U+FF5E) is ASCII; dotless i, long s and the Kelvin sign read as i, s and K.
    private static char LookAlike(char c) => c switch
    {
        >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
        '\u0131' => 'i',
        '\u017F' => 's',
        '\u212A' => 'K',
        _ => c,
    };

    /// <summary>A friendly random nickname such as "Curious Otter 42", for a learner who left the field empty.</summary>
    public static string Suggest() =>
        $"{Adjectives[RandomNumberGenerator.GetInt32(Adjectives.Length)]} {Animals[RandomNumberGenerator.GetInt32(Animals.Length)]} {RandomNumberGenerator.GetInt32(10, 100)}";

    // Runs after the character loop, so surrogates are paired and control and direction characters are refused already.
    private static bool CheckVisible(string text, out string error)
    {
        var runes = text.EnumerateRunes().ToArray();
        var visible = false;
        for (var i = 0; i < runes.Length; i++)
        {
            if (!HiddenCharacters.IsAllowed(runes, i))
            {
                error = "A nickname cannot hold invisible characters (such as a zero width space, a soft hyphen or a Hangul filler): they make one name look like another, or like no name at all.";
                return false;
            }

            visible |= HiddenCharacters.IsVisible(runes[i]);
        }

        error = visible ? "" : "A nickname needs at least one visible letter, digit or symbol.";
        return visible;
    }

    private const string ZeroWidthNonJoinerText = "\u200C";
    private const string ZeroWidthJoinerText = "\u200D";
}
