using BlazorRedis.Core;
using BlazorRedis.Core.Keys;

namespace BlazorRedis.Tests.Core.Keys;

public class RedisKeyspaceTests
{
    private readonly RedisKeyspace _keys = new("br:");

    [Fact]
    public void Keys_start_with_the_prefix_and_join_segments_with_colons()
    {
        Assert.Equal("br:cache:product:42", (string?)_keys.Key("cache", "product", "42"));
    }

    [Fact]
    public void Tagged_keys_share_a_cluster_hash_tag()
    {
        Assert.Equal("br:{rl:1.2.3.4}:window", (string?)_keys.Tagged("rl:1.2.3.4", "window"));
        Assert.Equal("br:{rl:1.2.3.4}", (string?)_keys.Tagged("rl:1.2.3.4"));
    }

    [Fact]
    public void Learner_keys_live_under_their_own_prefix_with_the_learner_as_hash_tag()
    {
        var id = LearnerId.New();
        var learner = _keys.ForLearner(id);

        var key = (string?)learner.Key("sets", "post", "1");

        Assert.Equal($"br:learner:{{{id.Value}}}:sets:post:1", key);
        Assert.StartsWith(learner.Prefix, key, StringComparison.Ordinal);
        Assert.StartsWith(learner.AreaPrefix("sets"), key, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_learners_never_share_a_prefix()
    {
        var a = _keys.ForLearner(LearnerId.New());
        var b = _keys.ForLearner(LearnerId.New());

        Assert.False(a.Prefix.StartsWith(b.Prefix, StringComparison.Ordinal) || b.Prefix.StartsWith(a.Prefix, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("line\r\nbreak")]
    [InlineData("bell\a")]
    [InlineData("{tag}")]
    [InlineData("half}")]
    public void Unsafe_segments_are_refused(string segment)
    {
        Assert.Throws<LearnerInputException>(() => _keys.Key("area", segment));
        Assert.False(RedisKeyspace.TryValidate(segment, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Overlong_segments_are_refused()
    {
        Assert.Throws<LearnerInputException>(() => _keys.Key(new string('x', RedisKeyspace.MaxSegmentLength + 1)));
        Assert.Equal($"br:{new string('x', RedisKeyspace.MaxSegmentLength)}", (string?)_keys.Key(new string('x', RedisKeyspace.MaxSegmentLength)));
    }

    [Fact]
    public void Learner_key_needs_a_segment_after_the_area()
    {
        Assert.Throws<ArgumentException>(() => _keys.ForLearner(LearnerId.New()).Key("strings"));
    }

    [Theory]
    [InlineData("br:", "br:*")]
    [InlineData("a*b?[c]\\:", "a\\*b\\?\\[c\\]\\\\:*")]
    public void Prefix_patterns_escape_glob_characters(string prefix, string pattern)
    {
        Assert.Equal(pattern, RedisKeyspace.PrefixPattern(prefix));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef", true)]
    [InlineData("0123456789ABCDEF0123456789ABCDEF", false)]
    [InlineData("0123456789abcdef", false)]
    [InlineData("0123456789abcdef0123456789abcdeg", false)]
    [InlineData("}:{x}0123456789abcdef0123456789ab", false)]
    [InlineData(null, false)]
    public void Learner_ids_accept_only_what_the_app_issues(string? text, bool valid)
    {
        Assert.Equal(valid, LearnerId.TryParse(text, out _));
    }
}
