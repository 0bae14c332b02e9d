using System.Globalization;
using System.Text;

namespace BlazorRedis.Core.Text;

/// <summary>
/// The one rule for free text that other people see (nicknames, the class channel, products, Pub/Sub channels and
/// messages, search terms): no characters that flip the text direction (U+202A–U+202E, U+2066–U+2069, U+200E/F,
/// U+061C), which can make a line on the teacher's projector read backwards or as something else; and no invisible
/// characters (Unicode format characters such as U+200B zero width space or U+00AD soft hyphen, Hangul fillers, U+2800
/// Braille blank), except the zero width non-joiner and joiner (U+200C, U+200D) between two visible characters
/// (Persian, Arabic and Indic words need them; so do emoji such as 👩‍💻) and the tag characters of a flag such as 🏴󠁧󠁢󠁳󠁣󠁴󠁿.
/// </summary>
public static class HiddenCharacters
{
    private const int ZeroWidthNonJoiner = 0x200C;
    private const int ZeroWidthJoiner = 0x200D;

    /// <summary>True for a character that changes the text direction.</summary>
    public static bool IsDirectionControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C';

    /// <summary>
    /// The first character of <paramref name="text"/> that changes the text direction or is invisible where it stands,
    /// or null when there is none. A broken surrogate is left to the caller's own rules.
    /// </summary>
    public static Rune? Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var runes = text.EnumerateRunes().ToArray();
        for (var i = 0; i < runes.Length; i++)
        {
            if (!IsAllowed(runes, i))
            {
                return runes[i];
            }
        }

        return null;
    }

    /// <summary>
    /// Why <paramref name="text"/> is refused, naming the character ("A name cannot hold U+202E (right-to-left
    /// override) …"), or null when it holds none. <paramref name="subject"/> starts the sentence: "A name".
    /// </summary>
    public static string? Problem(string? text, string subject)
    {
        if (text is null || Find(text) is not { } hidden)
        {
            return null;
        }

        return hidden.IsBmp && IsDirectionControl((char)hidden.Value)
            ? $"{subject} cannot hold {Describe(hidden)}: it changes the text direction, so the text would read as something else on other people's screens. Nothing was changed."
            : $"{subject} cannot hold {Describe(hidden)}: it is invisible, so the text would not look like what it holds. Nothing was changed.";
    }

    /// <summary>The character as a reader can find it: its code point, and its name for the usual ones.</summary>
    public static string Describe(Rune r)
    {
        var name = r.Value switch
        {
            0x202A => "left-to-right embedding",
            0x202B => "right-to-left embedding",
            0x202C => "pop directional formatting",
            0x202D => "left-to-right override",
            0x202E => "right-to-left override",
            0x2066 => "left-to-right isolate",
            0x2067 => "right-to-left isolate",
            0x2068 => "first strong isolate",
            0x2069 => "pop directional isolate",
            0x200E => "left-to-right mark",
            0x200F => "right-to-left mark",
            0x061C => "Arabic letter mark",
            0x200B => "zero width space",
            0x200C => "zero width non-joiner",
            0x200D => "zero width joiner",
            0x2060 => "word joiner",
            0xFEFF => "zero width no-break space",
            0x00AD => "soft hyphen",
            0x3164 or 0x115F or 0x1160 or 0xFFA0 => "Hangul filler",
            0x2800 => "Braille blank",
            _ => "an invisible character",
        };
        return string.Create(CultureInfo.InvariantCulture, $"U+{r.Value:X4} ({name})");
    }

    /// <summary>Whether the rune at <paramref name="index"/> may stand there (see the class remarks).</summary>
    internal static bool IsAllowed(Rune[] runes, int index)
    {
        var r = runes[index];
        return r.Value is ZeroWidthNonJoiner or ZeroWidthJoiner ? IsBetweenVisible(runes, index)
            : IsTag(r) ? IsInFlag(runes, index)
            : !(r.IsBmp && IsDirectionControl((char)r.Value)) && !IsInvisible(r);
    }

    /// <summary>A character a reader sees: not a space, a control, a mark, an invisible or an unassigned one.</summary>
    internal static bool IsVisible(Rune r) => !IsInvisible(r) && Rune.GetUnicodeCategory(r) switch
    {
        UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Control
            or UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned => false,
        _ => true,
    };

    private static bool IsInvisible(Rune r) =>
        Rune.GetUnicodeCategory(r) == UnicodeCategory.Format || r.Value is 0x00AD or 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800;

    // A (non-)joiner stands between two visible characters: the one before may carry marks (a virama in क्‍ष, a
    // variation selector in 🏳️‍🌈; a skin tone as in 👨🏽‍🚀 is visible itself), the one after is visible. Not leading,
    // trailing, doubled or beside a space, where it would only hide in a text that looks like another.
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
}
