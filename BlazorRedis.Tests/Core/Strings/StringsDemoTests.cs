using BlazorRedis.Core.Strings;
using BlazorRedis.Tests.Core.DataStructures;
using BlazorRedis.Tests.Infrastructure;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Strings;

public class StringsDemoTests(RedisServerFixture redis)
{
    private readonly IDatabase _db = redis.Multiplexer.GetDatabase();

    private (StringsDemoService Demo, BlazorRedis.Core.Keys.LearnerId Learner, string Area) NewDemo()
    {
        var (keys, learner, janitor) = DemoTestKit.NewLearner(redis);
        return (new StringsDemoService(redis.Multiplexer, redis.Tracer, keys, janitor), learner, keys.ForLearner(learner).AreaPrefix(StringsDemoService.Area));
    }

    [Fact]
    public async Task A_thousand_concurrent_INCRs_add_exactly_a_thousand()
    {
        var (demo, learner, _) = NewDemo();
        await demo.IncrementViewsAsync(learner);

        var result = await demo.IncrementViewsConcurrentlyAsync(learner, 1000);

        Assert.Equal(1, result.Value.Before);
        Assert.Equal(1001, result.Value.After);
        Assert.Equal(1000, result.Value.Gained);
        Assert.Equal(1000, result.Value.DistinctReplies);
        Assert.Equal(1000, result.Trace.WireNames.Count(n => n == "INCR"));
        DemoTestKit.TextMatchesWire(result.Trace);
    }

    [Fact]
    public async Task Token_with_a_one_second_ttl_is_gone_after_expiry()
    {
        var (demo, learner, _) = NewDemo();

        var issued = await demo.IssueTokenAsync(learner, "42", 1);
        var first = await demo.ReadTokenAsync(learner, issued.Value.Token);
        Assert.Equal("user_id:42", first.Value.Value);
        Assert.InRange(first.Value.TtlMilliseconds!.Value, 1, 1000);
        Assert.Equal(["SETEX", "PTTL"], issued.Trace.WireNames);
        DemoTestKit.TextMatchesWire(issued.Trace);

        // Wait for Redis to expire it (no timing assertion: only that it does, within a generous bound).
        var deadline = DateTime.UtcNow.AddSeconds(10);
        long ttl;
        do
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            ttl = (await demo.TokenTtlAsync(learner, issued.Value.Token)).Value;
        }
        while (ttl != -2 && DateTime.UtcNow < deadline);

        var after = await demo.ReadTokenAsync(learner, issued.Value.Token);
        Assert.Equal(-2, ttl);
        Assert.False(after.Value.Alive);
        Assert.Null(after.Value.TtlMilliseconds);
        Assert.Equal("(nil)", after.Trace.Commands[0].Result);
    }

    [Fact]
    public async Task Set_append_strlen_get_and_mset_work_on_expiring_keys()
    {
        var (demo, learner, _) = NewDemo();

        var set = await demo.SetAsync(learner, "greeting", "hello");
        var appended = await demo.AppendAsync(learner, "greeting", " world");
        var length = await demo.LengthAsync(learner, "greeting");
        var many = await demo.SetManyAsync(learner, [new("a", "1"), new("b", "two")]);
        var b = await demo.GetAsync(learner, "b");

        Assert.Equal("hello world", appended.Value.Value);
        Assert.Equal(11, length.Value);
        Assert.Equal("two", b.Value.Value);
        Assert.Equal(2, many.Value.Count);
        Assert.Contains("SETEX", set.Trace.WireNames);
        Assert.Contains("APPEND", appended.Trace.WireNames);
        Assert.Contains("MSET", many.Trace.WireNames);
        DemoTestKit.TextMatchesWire(set.Trace);
        DemoTestKit.TextMatchesWire(appended.Trace);
        DemoTestKit.TextMatchesWire(many.Trace);
        foreach (var key in new[] { set.Value.Key, many.Value[0].Key, many.Value[1].Key })
        {
            await DemoTestKit.AssertExpiresAsync(_db, key, TimeSpan.FromDays(1));
        }
    }

    [Fact]
    public async Task The_view_counter_expires_like_every_demo_key()
    {
        var (demo, learner, area) = NewDemo();
        var views = await demo.IncrementViewsAsync(learner);

        Assert.Equal(1, views.Value);
        Assert.Equal(["INCR", "EXPIRE"], views.Trace.WireNames);
        await DemoTestKit.AssertExpiresAsync(_db, area + "views:homepage", TimeSpan.FromDays(1));
    }

    public static TheoryData<string> BadInputs() => ["empty name", "name with newline", "value with CRLF", "huge value", "zero ttl", "negative ttl", "too many INCRs", "no INCRs", "blank user", "token ttl too long", "duplicate mset", "empty value"];

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_is_refused_and_writes_nothing(string input)
    {
        var (demo, learner, area) = NewDemo();
        Func<Task> call = input switch
        {
            "empty name" => () => demo.SetAsync(learner, "  ", "x"),
            "name with newline" => () => demo.SetAsync(learner, "a\nb", "x"),
            "value with CRLF" => () => demo.SetAsync(learner, "a", "x\r\nSET evil 1"),
            "huge value" => () => demo.SetAsync(learner, "a", new string('x', 70_000)),
            "zero ttl" => () => demo.IssueTokenAsync(learner, "42", 0),
            "negative ttl" => () => demo.SetAsync(learner, "a", "x", -5),
            "too many INCRs" => () => demo.IncrementViewsConcurrentlyAsync(learner, 1_000_000),
            "no INCRs" => () => demo.IncrementViewsConcurrentlyAsync(learner, 0),
            "blank user" => () => demo.IssueTokenAsync(learner, "", 10),
            "token ttl too long" => () => demo.IssueTokenAsync(learner, "42", 100_000),
            "duplicate mset" => () => demo.SetManyAsync(learner, [new("a", "1"), new("a", "2")]),
            "empty value" => () => demo.AppendAsync(learner, "a", ""),
            _ => throw new InvalidOperationException(input),
        };

        await Assert.ThrowsAnyAsync<ArgumentException>(call);
        Assert.Empty(await DemoTestKit.KeysUnderAsync(redis, area));
    }

    [Fact]
    public async Task Reset_deletes_the_learners_string_keys()
    {
        var (demo, learner, area) = NewDemo();
        await demo.SetAsync(learner, "a", "1");
        await demo.IncrementViewsAsync(learner);

        var reset = await demo.ResetAsync(learner, TestContext.Current.CancellationToken);

        Assert.Equal(2, reset.Value);
        Assert.Empty(await DemoTestKit.KeysUnderAsync(redis, area));
    }

    [Fact]
    public async Task MSET_of_a_single_pair_shows_the_SET_that_went_on_the_wire()
    {
        var (demo, learner, _) = NewDemo();

        var solo = await demo.SetManyAsync(learner, [new("solo", "1")]);

        DemoTestKit.TextMatchesWire(solo.Trace);
        Assert.Equal("1", (await demo.GetAsync(learner, "solo")).Value.Value);
        Assert.Empty(BlazorRedis.Tests.Core.Tracing.SnippetCompiler.Errors(solo.Trace.CSharp));
    }
}
