using BlazorRedis.Core.Classroom;

namespace BlazorRedis.Tests.Core.Classroom;

public class JoinCodeAndNicknameTests
{
    [Fact]
    public void A_new_code_has_six_characters_and_no_look_alikes()
    {
        for (var i = 0; i < 2000; i++)
        {
            var code = JoinCode.New();
            Assert.Equal(6, code.Length);
            Assert.DoesNotContain(code, c => c is '0' or 'O' or '1' or 'I' or 'L');
            Assert.All(code, c => Assert.Contains(c, JoinCode.Alphabet));
        }
    }

    [Theory]
    [InlineData("7kq-4zp", "7KQ4ZP")]
    [InlineData(" 7KQ 4ZP ", "7KQ4ZP")]
    public void A_code_typed_in_lower_case_or_with_a_dash_is_read(string typed, string expected)
    {
        Assert.True(JoinCode.TryNormalize(typed, out var code));
        Assert.Equal(expected, code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("7KQ4Z")]
    [InlineData("7KQ4ZPP")]
    [InlineData("OIL123")]
    [InlineData("7KQ4Z*")]
    public void A_code_that_is_not_shaped_like_one_is_refused(string? typed) => Assert.False(JoinCode.TryNormalize(typed, out _));

    [Fact]
    public void A_nickname_is_trimmed_and_an_emoji_counts_as_one_character()
    {
        Assert.True(Nickname.TryNormalize("  Ada 🚀  ", out var name, out _));
        Assert.Equal("Ada 🚀", name);
        Assert.True(Nickname.TryNormalize(new string('a', 23) + "👩‍💻", out _, out _));
    }

    [Theory]
    [InlineData("", "Type a nickname")]
    [InlineData("   ", "Type a nickname")]
    [InlineData("Ada\nLovelace", "control characters")]
    [InlineData("Ada\u0007", "control characters")]
    [InlineData("\u202Enimda", "text direction")]
    [InlineData("Ada\u2067", "text direction")]
    [InlineData("<b>Ada</b>", "< or >")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaa", "at most 24 characters")]
    public void A_bad_nickname_is_refused_with_a_reason(string typed, string reason)
    {
        Assert.False(Nickname.TryNormalize(typed, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\u200B", "invisible")] // zero width space: a blank roster row
    [InlineData("Ada\u200B", "invisible")] // would sit beside "Ada" and look the same
    [InlineData("\u200BAda", "invisible")]
    [InlineData("A\u2060da", "invisible")] // word joiner
    [InlineData("\uFEFFAda", "invisible")] // byte order mark
    [InlineData("Ada\u200C", "invisible")] // zero width non-joiner
    [InlineData("Ada\u00AD", "invisible")] // soft hyphen
    [InlineData("\u3164", "invisible")] // Hangul filler
    [InlineData("Ada\u3164", "invisible")]
    [InlineData("\u115F", "invisible")] // Hangul choseong filler
    [InlineData("\u1160", "invisible")] // Hangul jungseong filler
    [InlineData("\uFFA0", "invisible")] // halfwidth Hangul filler
    [InlineData("\u2800", "invisible")] // Braille pattern blank
    [InlineData("Ada\u200D", "invisible")] // a zero width joiner not between two visible characters
    [InlineData("\u200DAda", "invisible")]
    [InlineData("\u200D", "invisible")]
    [InlineData("\u200C", "invisible")]
    [InlineData("\u200CAda", "invisible")]
    [InlineData("A\u200C\u200Cda", "invisible")] // doubled
    [InlineData("A\u200C\u200Dda", "invisible")]
    [InlineData("Ada \u200CLovelace", "invisible")] // beside a space
    [InlineData("Ada\u200C Lovelace", "invisible")]
    [InlineData("\u3164\u200D\u3164", "invisible")] // between two invisible characters
    [InlineData("\u0301", "at least one visible")] // a lone combining accent shows nothing of its own
    [InlineData(" \u0301\u0308 ", "at least one visible")]
    public void A_nickname_with_invisible_characters_or_nothing_visible_is_refused_with_a_reason(string typed, string reason)
    {
        Assert.False(Nickname.TryNormalize(typed, out var name, out var error));
        Assert.Equal("", name);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("👩‍💻")] // woman technologist: woman, zero width joiner, laptop
    [InlineData("Ada 👨🏽‍🚀")] // a skin tone before the joiner
    [InlineData("🏳️‍🌈")] // a variation selector before the joiner
    [InlineData("❤️‍🔥")]
    [InlineData("🧑‍🤝‍🧑")]
    [InlineData("🏴󠁧󠁢󠁳󠁣󠁴󠁿")] // Scotland: a flag made of tag characters
    [InlineData("Zoë")]
    [InlineData("e\u0301")] // e and a combining accent
    [InlineData("李雷")]
    [InlineData("한글")]
    [InlineData("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645")] // Persian: a zero width non-joiner inside a word
    [InlineData("\u0915\u094D\u200D\u0937")] // Devanagari: a joiner after a virama asks for the half form
    [InlineData("\u0915\u094D\u200C\u0937")] // and a non-joiner for the visible virama
    [InlineData("A\u200Dda")] // allowed, but folds to "Ada": it cannot sit beside it
    public void A_nickname_with_emoji_sequences_and_accents_is_accepted(string typed)
    {
        Assert.True(Nickname.TryNormalize(typed, out var name, out var error), error);
        Assert.NotEqual("", name);
    }

    [Theory]
    [InlineData("Teacher")]
    [InlineData("teacher (teacher)")]
    [InlineData("The TEACHER")]
    [InlineData("T.e.a.c.h.e.r")]
    [InlineData("\uFF34\uFF45\uFF41\uFF43\uFF48\uFF45\uFF52")] // full-width "Ｔｅａｃｈｅｒ"
    [InlineData("Teac\u200Dher")]
    public void A_nickname_that_would_read_as_the_teacher_in_the_class_channel_is_refused(string typed)
    {
        Assert.False(Nickname.TryNormalize(typed, out var name, out var error));
        Assert.Equal("", name);
        Assert.Contains("names the teacher", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Teach")]
    [InlineData("Cheater")]
    [InlineData("Ms Tea 🍵")]
    public void A_nickname_near_the_teachers_name_is_accepted(string typed) => Assert.True(Nickname.TryNormalize(typed, out _, out var error), error);

    [Fact]
    public void A_ten_thousand_character_nickname_is_refused_quickly()
    {
        Assert.False(Nickname.TryNormalize(new string('x', 10_000), out _, out var error));
        Assert.Contains("at most 24", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_surrogate_is_refused() => Assert.False(Nickname.TryNormalize("Ada\uD800", out _, out _));

    [Fact]
    public void Nicknames_that_differ_only_in_case_fold_to_the_same_name() => Assert.Equal(Nickname.Fold("ada"), Nickname.Fold("ADA"));

    [Theory]
    [InlineData("Ada", "A\u200Cda")]
    [InlineData("Ada", "A\u200Dda")]
    [InlineData("\u0645\u06CC\u062E\u0648\u0627\u0647\u0645", "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645")]
    [InlineData("\u0915\u094D\u0937", "\u0915\u094D\u200D\u0937")]
    [InlineData("👩💻", "👩‍💻")]
    public void Nicknames_that_differ_only_by_joiners_fold_to_the_same_name(string plain, string joined) =>
        Assert.Equal(Nickname.Fold(plain), Nickname.Fold(joined));

    [Fact]
    public void A_suggested_nickname_follows_the_rules()
    {
        for (var i = 0; i < 100; i++)
        {
            Assert.True(Nickname.TryNormalize(Nickname.Suggest(), out _, out var error), error);
        }
    }
}
