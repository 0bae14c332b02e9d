using BlazorRedis.Core;
using BlazorRedis.Core.Hashes;
using BlazorRedis.Tests.Core.DataStructures;
using BlazorRedis.Tests.Infrastructure;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Hashes;

public class HashesDemoTests(RedisServerFixture redis)
{
    private readonly IDatabase _db = redis.Multiplexer.GetDatabase();

    private (HashesDemoService Demo, BlazorRedis.Core.Keys.LearnerId Learner, string Area) NewDemo()
    {
        var (keys, learner, janitor) = DemoTestKit.NewLearner(redis);
        return (new HashesDemoService(redis.Multiplexer, redis.Tracer, keys, janitor), learner, keys.ForLearner(learner).AreaPrefix(HashesDemoService.Area));
    }

    [Fact]
    public async Task Profile_fields_are_set_incremented_and_deleted_in_one_key()
    {
        var (demo, learner, _) = NewDemo();

        var set = await demo.SetFieldsAsync(learner, [new("username", "alice"), new("email", "alice@example.com"), new("followers", "0")]);
        await demo.IncrementAsync(learner, "followers", 1);
        await demo.IncrementAsync(learner, "followers", 1);
        var bumped = await demo.IncrementAsync(learner, "followers", 40);
        var deleted = await demo.DeleteFieldAsync(learner, "email");

        Assert.Equal("42", bumped.Value.Fields.Single(f => f.Key == "followers").Value);
        Assert.Equal(["followers", "username"], deleted.Value.Fields.Select(f => f.Key).Order());
        Assert.Contains("HINCRBY", bumped.Trace.WireNames);
        Assert.Contains("HDEL", deleted.Trace.WireNames);
        DemoTestKit.TextMatchesWire(set.Trace);
        DemoTestKit.TextMatchesWire(bumped.Trace);
        DemoTestKit.TextMatchesWire(deleted.Trace);
        await DemoTestKit.AssertExpiresAsync(_db, set.Value.Key, TimeSpan.FromDays(1));
    }

    [Fact]
    public async Task Memory_comparison_measures_the_hash_and_each_string_key_with_real_numbers()
    {
        var (demo, learner, _) = NewDemo();
        await demo.SetFieldsAsync(learner, [new("username", "alice"), new("email", "alice@example.com"), new("followers", "10"), new("city", "Bengaluru"), new("plan", "pro")]);

        var result = await demo.CompareMemoryAsync(learner);

        var comparison = result.Value;
        Assert.Equal(5, comparison.Strings.Count);
        Assert.All(comparison.Strings, s => Assert.True(s.Bytes > 0));
        Assert.True(comparison.HashBytes > 0);
        Assert.Equal("listpack", comparison.HashEncoding);

        // One small hash is cheaper than one key per field: every key carries its own overhead.
        Assert.True(comparison.StringBytes > comparison.HashBytes, $"strings {comparison.StringBytes} B vs hash {comparison.HashBytes} B");
        Assert.Equal((long)await _db.ExecuteAsync("MEMORY", "USAGE", comparison.HashKey), comparison.HashBytes);
        Assert.Equal(6, result.Trace.WireNames.Count(n => n == "MEMORY"));
        DemoTestKit.TextMatchesWire(result.Trace);
        await DemoTestKit.AssertExpiresAsync(_db, comparison.Strings[0].Key, TimeSpan.FromDays(1));
    }

    [Fact]
    public async Task HINCRBY_on_a_text_field_is_refused_by_Redis_and_changes_nothing()
    {
        var (demo, learner, _) = NewDemo();
        await demo.SetFieldsAsync(learner, [new("username", "alice")]);

        await Assert.ThrowsAsync<RedisServerException>(() => demo.IncrementAsync(learner, "username", 1));

        var profile = await demo.ReadProfileAsync(learner);
        Assert.Equal("alice", Assert.Single(profile.Value.Fields).Value);
    }

    [Fact]
    public async Task Comparing_an_empty_profile_explains_and_writes_nothing()
    {
        var (demo, learner, area) = NewDemo();

        var error = await Assert.ThrowsAsync<LearnerInputException>(() => demo.CompareMemoryAsync(learner));

        Assert.Contains("HSET", error.Message, StringComparison.Ordinal);
        Assert.Empty(await DemoTestKit.KeysUnderAsync(redis, area));
    }

    public static TheoryData<string> BadInputs() => ["no fields", "blank field", "field with braces", "value with newline", "empty value", "duplicate field", "huge increment", "blank delete"];

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_is_refused_and_writes_nothing(string input)
    {
        var (demo, learner, area) = NewDemo();
        Func<Task> call = input switch
        {
            "no fields" => () => demo.SetFieldsAsync(learner, []),
            "blank field" => () => demo.SetFieldsAsync(learner, [new("ok", "1"), new(" ", "x")]),
            "field with braces" => () => demo.SetFieldsAsync(learner, [new("a{b}", "x")]),
            "value with newline" => () => demo.SetFieldsAsync(learner, [new("bio", "line1\nline2")]),
            "empty value" => () => demo.SetFieldsAsync(learner, [new("bio", "")]),
            "duplicate field" => () => demo.SetFieldsAsync(learner, [new("a", "1"), new("a", "2")]),
            "huge increment" => () => demo.IncrementAsync(learner, "followers", long.MaxValue),
            "blank delete" => () => demo.DeleteFieldAsync(learner, ""),
            _ => throw new InvalidOperationException(input),
        };

        await Assert.ThrowsAnyAsync<ArgumentException>(call);
        Assert.Empty(await DemoTestKit.KeysUnderAsync(redis, area));
    }

    [Fact]
    public async Task The_HSET_snippet_names_the_fields_that_were_sent_and_compiles()
    {
        var (demo, learner, _) = NewDemo();

        var set = await demo.SetFieldsAsync(learner, [new("city", "Pune"), new("quote", "say \"hi\"")]);

        var hset = set.Trace.Commands.Single(c => c.Text.Contains("\nHSET ", StringComparison.Ordinal));
        Assert.Contains("\"city\", \"Pune\"", hset.CSharp, StringComparison.Ordinal);
        Assert.Contains("\"quote\", \"say \\\"hi\\\"\"", hset.CSharp, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", hset.CSharp, StringComparison.Ordinal);
        Assert.Empty(BlazorRedis.Tests.Core.Tracing.SnippetCompiler.Errors(set.Trace.CSharp));
    }

    [Fact]
    public async Task Comparing_a_one_field_profile_shows_the_SET_that_went_on_the_wire()
    {
        var (demo, learner, _) = NewDemo();
        await demo.SetFieldsAsync(learner, [new("city", "Pune")]);

        var result = await demo.CompareMemoryAsync(learner);

        Assert.Single(result.Value.Strings);
        DemoTestKit.TextMatchesWire(result.Trace);
        Assert.Empty(BlazorRedis.Tests.Core.Tracing.SnippetCompiler.Errors(result.Trace.CSharp));
    }

    [Fact]
    public async Task On_a_full_profile_changing_a_field_already_there_is_allowed_and_only_a_new_field_is_refused()
    {
        var (demo, learner, _) = NewDemo();
        for (var start = 0; start < IHashesDemo.MaxFields; start += IHashesDemo.MaxFieldsPerSet)
        {
            await demo.SetFieldsAsync(learner, [.. Enumerable.Range(start, Math.Min(IHashesDemo.MaxFieldsPerSet, IHashesDemo.MaxFields - start)).Select(i => new KeyValuePair<string, string>($"f{i}", "old"))]);
        }

        var changed = await demo.SetFieldsAsync(learner, [new("f7", "new")]);
        var refused = await Assert.ThrowsAsync<LearnerInputException>(() => demo.SetFieldsAsync(learner, [new("f8", "newer"), new("brand-new", "x")]));

        Assert.Equal(["HLEN", "HMGET", "EXEC", "EXPIRE", "HGETALL"], changed.Trace.WireNames.Take(5));
        DemoTestKit.TextMatchesWire(changed.Trace);
        Assert.Equal("new", (string?)await _db.HashGetAsync(changed.Value.Key, "f7"));
        Assert.Contains($"at most {IHashesDemo.MaxFields}", refused.Message, StringComparison.Ordinal);
        Assert.Equal("old", (string?)await _db.HashGetAsync(changed.Value.Key, "f8"));
        Assert.Equal(IHashesDemo.MaxFields, await _db.HashLengthAsync(changed.Value.Key));
    }
}
