using BlazorRedis.Core;
using BlazorRedis.Core.Sets;
using BlazorRedis.Tests.Core.DataStructures;
using BlazorRedis.Tests.Infrastructure;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Sets;

public class SetsDemoTests(RedisServerFixture redis)
{
    private readonly IDatabase _db = redis.Multiplexer.GetDatabase();

    private (SetsDemoService Demo, BlazorRedis.Core.Keys.LearnerId Learner, string Area) NewDemo()
    {
        var (keys, learner, janitor) = DemoTestKit.NewLearner(redis);
        return (new SetsDemoService(redis.Multiplexer, redis.Tracer, keys, janitor), learner, keys.ForLearner(learner).AreaPrefix(SetsDemoService.Area));
    }

    private static async Task TagBothAsync(SetsDemoService demo, BlazorRedis.Core.Keys.LearnerId learner)
    {
        await demo.AddTagsAsync(learner, Post.First, ["redis", "caching", "performance", "python"]);
        await demo.AddTagsAsync(learner, Post.Second, ["redis", "data-structures", "python", "tutorial"]);
    }

    [Fact]
    public async Task SINTER_of_the_two_posts_returns_their_common_tags()
    {
        var (demo, learner, _) = NewDemo();
        await TagBothAsync(demo, learner);

        var result = await demo.CompareAsync(learner, TagComparison.Intersection);

        Assert.Equal(["python", "redis"], result.Value.Tags);
        Assert.Equal("SINTER", result.Trace.WireNames.First());
        DemoTestKit.TextMatchesWire(result.Trace);
    }

    [Fact]
    public async Task SDIFF_and_SUNION_return_first_only_and_all_tags()
    {
        var (demo, learner, _) = NewDemo();
        await TagBothAsync(demo, learner);

        var diff = await demo.CompareAsync(learner, TagComparison.Difference);
        var union = await demo.CompareAsync(learner, TagComparison.Union);

        Assert.Equal(["caching", "performance"], diff.Value.Tags);
        Assert.Equal(["caching", "data-structures", "performance", "python", "redis", "tutorial"], union.Value.Tags);
        Assert.Equal("SDIFF", diff.Trace.WireNames.First());
        Assert.Equal("SUNION", union.Trace.WireNames.First());
    }

    [Fact]
    public async Task SADD_ignores_duplicates_and_SISMEMBER_answers_membership()
    {
        var (demo, learner, _) = NewDemo();

        var added = await demo.AddTagsAsync(learner, Post.First, ["redis", "redis", "caching"]);
        var yes = await demo.HasTagAsync(learner, Post.First, "redis");
        var no = await demo.HasTagAsync(learner, Post.First, "java");
        var removed = await demo.RemoveTagAsync(learner, Post.First, "caching");

        Assert.Equal(["caching", "redis"], added.Value.First);
        Assert.Contains("duplicates ignored", added.Trace.Commands.Single(c => c.Text.Contains("\nSADD ", StringComparison.Ordinal)).Result, StringComparison.Ordinal);
        Assert.True(yes.Value);
        Assert.False(no.Value);
        Assert.Equal(["redis"], removed.Value.First);
        DemoTestKit.TextMatchesWire(added.Trace);
        DemoTestKit.TextMatchesWire(yes.Trace);
    }

    [Fact]
    public async Task Both_post_keys_share_the_learners_hash_slot_and_expire()
    {
        var (demo, learner, area) = NewDemo();
        await TagBothAsync(demo, learner);

        RedisKey first = area + "post:1:tags";
        RedisKey second = area + "post:2:tags";
        Assert.Equal(redis.Multiplexer.HashSlot(first), redis.Multiplexer.HashSlot(second));
        await DemoTestKit.AssertExpiresAsync(_db, first, TimeSpan.FromDays(1));
        await DemoTestKit.AssertExpiresAsync(_db, second, TimeSpan.FromDays(1));
    }

    public static TheoryData<string> BadInputs() => ["no tags", "blank tag", "tag with newline", "long tag", "unknown post", "too many tags", "unknown comparison"];

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_is_refused_and_writes_nothing(string input)
    {
        var (demo, learner, area) = NewDemo();
        Func<Task> call = input switch
        {
            "no tags" => () => demo.AddTagsAsync(learner, Post.First, []),
            "blank tag" => () => demo.AddTagsAsync(learner, Post.First, ["ok", "\t"]),
            "tag with newline" => () => demo.AddTagsAsync(learner, Post.First, ["a\nb"]),
            "long tag" => () => demo.AddTagsAsync(learner, Post.First, [new string('t', 41)]),
            "unknown post" => () => demo.AddTagsAsync(learner, (Post)7, ["redis"]),
            "too many tags" => () => demo.AddTagsAsync(learner, Post.Second, Enumerable.Range(0, 21).Select(i => $"t{i}").ToList()),
            "unknown comparison" => () => demo.CompareAsync(learner, (TagComparison)9),
            _ => throw new InvalidOperationException(input),
        };

        await Assert.ThrowsAnyAsync<ArgumentException>(call);
        Assert.Empty(await DemoTestKit.KeysUnderAsync(redis, area));
    }

    [Fact]
    public async Task The_SADD_snippet_names_the_tags_that_were_sent_and_compiles()
    {
        var (demo, learner, _) = NewDemo();

        var added = await demo.AddTagsAsync(learner, Post.First, ["alpha", "beta", "gamma"]);

        var sadd = added.Trace.Commands.Single(c => c.Text.Contains("\nSADD ", StringComparison.Ordinal));
        Assert.Contains("new RedisValue[] { \"alpha\", \"beta\", \"gamma\" }", sadd.CSharp, StringComparison.Ordinal);
        Assert.Empty(BlazorRedis.Tests.Core.Tracing.SnippetCompiler.Errors(added.Trace.CSharp));
    }

    [Fact]
    public async Task On_a_full_post_tagging_it_again_with_tags_it_has_is_allowed_and_only_a_new_tag_is_refused()
    {
        var (demo, learner, _) = NewDemo();
        for (var start = 0; start < ISetsDemo.MaxTagsPerPost; start += ISetsDemo.MaxTagsPerAdd)
        {
            await demo.AddTagsAsync(learner, Post.First, [.. Enumerable.Range(start, Math.Min(ISetsDemo.MaxTagsPerAdd, ISetsDemo.MaxTagsPerPost - start)).Select(i => $"tag{i}")]);
        }

        var again = await demo.AddTagsAsync(learner, Post.First, ["tag3", "tag4", "tag3"]);
        var refused = await Assert.ThrowsAsync<LearnerInputException>(() => demo.AddTagsAsync(learner, Post.First, ["tag5", "brand-new"]));

        Assert.Equal(["SCARD", "SMISMEMBER", "EXEC"], again.Trace.WireNames.Take(3));
        DemoTestKit.TextMatchesWire(again.Trace);
        Assert.Contains($"at most {ISetsDemo.MaxTagsPerPost}", refused.Message, StringComparison.Ordinal);
        var after = (await demo.ReadAsync(learner)).Value.First;
        Assert.Equal(ISetsDemo.MaxTagsPerPost, after.Count);
        Assert.DoesNotContain("brand-new", after);
    }

    [Fact]
    public async Task Concurrent_tags_on_a_nearly_full_post_never_take_it_past_its_cap_and_retagging_still_works()
    {
        var (demo, learner, _) = NewDemo();
        for (var start = 0; start < ISetsDemo.MaxTagsPerPost - 2; start += ISetsDemo.MaxTagsPerAdd)
        {
            await demo.AddTagsAsync(learner, Post.First, [.. Enumerable.Range(start, Math.Min(ISetsDemo.MaxTagsPerAdd, ISetsDemo.MaxTagsPerPost - 2 - start)).Select(i => $"tag{i}")]);
        }

        // Twenty new tags and ten re-tags (a tag already there plus a new one) race for the last two places.
        var attempts = await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            try
            {
                await demo.AddTagsAsync(learner, Post.First, i < 20 ? [$"new{i}"] : ["tag0", $"both{i}"]);
                return null;
            }
            catch (LearnerInputException refused)
            {
                return refused.Message;
            }
        }));

        Assert.Equal(ISetsDemo.MaxTagsPerPost, (await demo.ReadAsync(learner)).Value.First.Count);
        Assert.Equal(2, attempts.Count(a => a is null));
        Assert.All(attempts.Where(a => a is not null), a => Assert.Contains($"at most {ISetsDemo.MaxTagsPerPost} tags", a, StringComparison.Ordinal));

        // Full now: a tag the post already has is still accepted, atomically too.
        var again = await demo.AddTagsAsync(learner, Post.First, ["tag1"]);
        Assert.Equal(["SCARD", "SMISMEMBER", "EXEC"], again.Trace.WireNames.Take(3));
        Assert.Contains("WATCH", again.Trace.Commands[2].Text, StringComparison.Ordinal);
        DemoTestKit.TextMatchesWire(again.Trace);
    }
}
