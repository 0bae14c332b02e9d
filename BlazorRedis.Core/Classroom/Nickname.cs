using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BlazorRedis.Core.Classroom;

/// <summary>
/// The rules a nickname follows: trimmed; 1 to <see cref="MaxLength"/> characters (an emoji counts as one); no control
/// characters; no characters that flip the text direction (U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C), which
/// could make one name display as another; no invisible characters (Unicode format characters such as U+200B zero width
/// space or U+00AD soft hyphen, Hangul fillers, U+2800 Braille blank), except the zero width non-joiner and joiner
/// (U+200C, U+200D) between two visible characters (Persian, Arabic and Indic words need them; so do emoji such as
/// 👩‍💻) and the tag characters of a flag such as 🏴󠁧󠁢󠁳󠁣󠁴󠁿; at least one visible character; no &lt; or &gt;; not posing as the
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
            var r = runes[i];
            var allowed = r.Value is ZeroWidthNonJoiner or ZeroWidthJoiner ? IsBetweenVisible(runes, i)
                : IsTag(r) ? IsInFlag(runes, i)
                : !IsInvisible(r);
            if (!allowed)
            {
                error = "A nickname cannot hold invisible characters (such as a zero width space, a soft hyphen or a Hangul filler): they make one name look like another, or like no name at all.";
                return false;
            }

            visible |= IsVisible(r);
        }

        error = visible ? "" : "A nickname needs at least one visible letter, digit or symbol.";
        return visible;
    }

    private const int ZeroWidthNonJoiner = 0x200C;
    private const int ZeroWidthJoiner = 0x200D;
    private const string ZeroWidthNonJoinerText = "\u200C";
    private const string ZeroWidthJoinerText = "\u200D";

    private static bool IsInvisible(Rune r) =>
        Rune.GetUnicodeCategory(r) == UnicodeCategory.Format || r.Value is 0x00AD or 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800;

    private static bool IsVisible(Rune r) => !IsInvisible(r) && Rune.GetUnicodeCategory(r) switch
    {
        UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Control
            or UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned => false,
        _ => true,
    };

    // A (non-)joiner stands between two visible characters: the one before may carry marks (a virama in क्‍ष, a
    // variation selector in 🏳️‍🌈; a skin tone as in 👨🏽‍🚀 is visible itself), the one after is visible. Not leading,
    // trailing, doubled or beside a space, where it would only hide in a name that looks like another.
    private static bool IsBetweenVisible(Rune[] runes, int joiner)
    {
        var i = joiner - 1;
        while (i >= 0 && IsMark(runes[i]))
        {
            i--;
        }

        return i >= 0 && IsVisible(runes[i]) && joiner + 1 < runes.Length && IsVisible(runes[joiner + 1]);
    }

    private static bool IsMark(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    // U+E0020–U+E007F spell a subdivision flag after the black flag: 🏴 + "gbsct" + cancel tag is Scotland.
    private static bool IsTag(Rune r) => r.Value is >= 0xE0020 and <= 0xE007F;

    private static bool IsInFlag(Rune[] runes, int tag)
    {
        var i = tag - 1;
        while (i >= 0 && IsTag(runes[i]) && runes[i].Value != 0xE007F)
        {
            i--;
        }

        return i >= 0 && runes[i].Value == 0x1F3F4;
    }

    internal static bool IsDirectionControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C';
}
