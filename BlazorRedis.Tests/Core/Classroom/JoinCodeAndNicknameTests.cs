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

    [Fact]
    public void A_suggested_nickname_follows_the_rules()
    {
        for (var i = 0; i < 100; i++)
        {
            Assert.True(Nickname.TryNormalize(Nickname.Suggest(), out _, out var error), error);
        }
    }
}
