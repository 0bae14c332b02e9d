using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Lessons;
using BlazorRedis.Core.Workbench;
using BlazorRedis.Tests.Infrastructure;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Lessons;

/// <summary>Checks graded against a real redis-server, on the learner's own workbench keys.</summary>
public class CheckEvaluatorTests(RedisServerFixture redis)
{
    private readonly RedisKeyspace _keyspace = redis.NewKeyspace();

    private IDatabase Db => redis.Multiplexer.GetDatabase();

    private CheckEvaluator Evaluator => new(redis.Multiplexer, redis.Tracer);

    private LearnerKeyspace Learner => _keyspace.ForLearner(_id);

    private readonly LearnerId _id = LearnerId.New();

    private RedisKey Mine(string name) => WorkbenchKeyRewriter.PrefixOf(Learner) + name;

    private async Task<CheckResult> GradeAsync(string line, LearnerKeyspace? who = null)
    {
        var graded = await Evaluator.EvaluateAsync(who ?? Learner, [CheckParser.Parse(line, 1)], TestContext.Current.CancellationToken);
        return Assert.Single(graded.Value);
    }

    [Fact]
    public async Task A_check_passes_on_the_learners_own_data_and_says_what_it_found()
    {
        await Db.HashSetAsync(Mine("cart:42"), "apples", 3);

        var result = await GradeAsync("TYPE cart:42 == hash");

        Assert.True(result.Passed);
        Assert.Equal("hash", result.Found);
        Assert.Contains("TYPE cart:42 is hash", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_without_a_ttl_fails_with_what_was_found_instead_and_the_hint()
    {
        await Db.StringSetAsync(Mine("session:abc"), "x");

        var result = await GradeAsync("TTL session:abc in 1..60 -- Give it a TTL: EXPIRE session:abc 60");

        Assert.False(result.Passed);
        Assert.Equal("TTL session:abc is -1: it never expires; expected in 1..60. Hint: Give it a TTL: EXPIRE session:abc 60", result.Message);
    }

    [Fact]
    public async Task A_missing_key_is_named_as_missing()
    {
        var ttl = await GradeAsync("TTL nothing:here in 1..60");
        var type = await GradeAsync("TYPE nothing:here == hash");

        Assert.Contains("-2: the key does not exist", ttl.Message, StringComparison.Ordinal);
        Assert.Contains("none: the key does not exist", type.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sorted_sets_hyperloglogs_streams_and_lists_are_graded_by_their_replies()
    {
        await Db.SortedSetAddAsync(Mine("board"), [new("alice", 30), new("bob", 20)]);
        await Db.HyperLogLogAddAsync(Mine("visits"), ["a", "b", "c", "a"]);
        await Db.StreamAddAsync(Mine("sensor"), "t", 21);
        await Db.StreamCreateConsumerGroupAsync(Mine("sensor"), "readers", "0");
        await Db.ListRightPushAsync(Mine("queue"), ["one", "two"]);

        Assert.True((await GradeAsync("ZREVRANK board alice == 0")).Passed);
        Assert.False((await GradeAsync("ZREVRANK board bob == 0")).Passed);
        Assert.True((await GradeAsync("PFCOUNT visits >= 3")).Passed);
        Assert.True((await GradeAsync("XPENDING sensor readers == 0")).Passed);
        Assert.True((await GradeAsync("LRANGE queue 0 -1 contains two")).Passed);
        Assert.False((await GradeAsync("LRANGE queue 0 -1 contains three")).Passed);
        Assert.True((await GradeAsync("ZSCORE board alice > 29.5")).Passed);
        Assert.Contains("not in the sorted set", (await GradeAsync("ZRANK board carol == 0")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_type_or_a_missing_group_is_a_failed_check_not_an_exception()
    {
        await Db.StringSetAsync(Mine("text"), "hello");
        await Db.StreamAddAsync(Mine("sensor"), "t", 21);

        var wrongType = await GradeAsync("LLEN text == 1");
        var noGroup = await GradeAsync("XPENDING sensor nobody == 0");

        Assert.False(wrongType.Passed);
        Assert.Contains("WRONGTYPE", wrongType.Message, StringComparison.Ordinal);
        Assert.Contains("holds another type", wrongType.Message, StringComparison.Ordinal);
        Assert.False(noGroup.Passed);
        Assert.Contains("no such consumer group", noGroup.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_stream_is_named_by_the_learners_own_key_and_explained()
    {
        // A new learner checks the write-behind lesson before running it: no stream, so no group either.
        var result = await GradeAsync("XPENDING writebehind:queue db-writer == 0");

        Assert.False(result.Passed);
        Assert.Contains("'writebehind:queue'", result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WorkbenchKeyRewriter.PrefixOf(Learner), result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WorkbenchKeyRewriter.PrefixOf(Learner), result.Found, StringComparison.Ordinal);
        Assert.Contains("there is no such stream, or no such consumer group on it", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("42", "== 0042", false)]
    [InlineData("1000", "== 1e3", false)]
    [InlineData("42", "== +42", false)]
    [InlineData("0042", "== 42", false)]
    [InlineData("0042", "== 0042", true)]
    [InlineData("1e3", "== 1e3", true)]
    [InlineData("42", "== 42", true)]
    [InlineData("24.5", "== 24.50", true)]
    [InlineData("-3", "== -3.0", true)]
    [InlineData("42", "!= 0042", true)]
    public async Task Equality_compares_numbers_only_when_both_sides_are_plain_numbers(string value, string expectation, bool passes)
    {
        await Db.StringSetAsync(Mine("code"), value);

        var result = await GradeAsync($"GET code {expectation}");

        Assert.Equal(passes, result.Passed);
    }

    [Fact]
    public async Task Another_learners_key_of_the_same_name_is_never_seen_and_DBSIZE_counts_only_the_learners_keys()
    {
        var other = _keyspace.ForLearner(LearnerId.New());
        await Db.StringSetAsync(WorkbenchKeyRewriter.PrefixOf(other) + "greeting", "theirs");
        await Db.StringSetAsync(_keyspace.Key("greeting"), "shared");
        await Db.StringSetAsync(Mine("a"), "1");
        await Db.StringSetAsync(Mine("b"), "2");

        Assert.False((await GradeAsync("EXISTS greeting == 1")).Passed);
        Assert.True((await GradeAsync("DBSIZE == 2")).Passed);
        Assert.True((await GradeAsync("DBSIZE == 1", other)).Passed);
    }

    [Fact]
    public async Task Grading_never_writes_the_checks_leave_every_key_and_ttl_as_they_were()
    {
        await Db.StringSetAsync(Mine("greeting"), "hello", TimeSpan.FromSeconds(100));
        await Db.HashSetAsync(Mine("cart"), "apples", 3);
        var before = await SnapshotAsync();
        var lines = CheckParser.Commands.Keys.Select(c => c switch
        {
            "DBSIZE" => "DBSIZE >= 0",
            "GEODIST" => "GEODIST cart a b == nil",
            "LAB" => "LAB stampede.lock.loads != nil",
            _ => $"{c} greeting {string.Join(' ', Enumerable.Repeat("0", CheckParser.Commands[c].Min - 1))} != nil",
        });

        var graded = await Evaluator.EvaluateAsync(Learner, [.. lines.Select(l => CheckParser.Parse(l.Replace("  ", " ", StringComparison.Ordinal), 1))], TestContext.Current.CancellationToken);

        Assert.Equal(CheckParser.Commands.Count, graded.Value.Count);
        Assert.Equal(before, await SnapshotAsync());
        // The trace shortens long keys, so look for the start of the learner's prefix: every command went to their space.
        Assert.All(graded.Trace.Commands, c => Assert.Contains(_keyspace.Prefix + "learner:{" + _id.Value[..8], c.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_command_sent_is_in_the_trace_with_csharp_that_names_the_key()
    {
        await Db.StringSetAsync(Mine("greeting"), "hello");

        var graded = await Evaluator.EvaluateAsync(Learner, [CheckParser.Parse("GET greeting == hello", 1), CheckParser.Parse("STRLEN greeting == 5", 2)], TestContext.Current.CancellationToken);

        Assert.All(graded.Value, r => Assert.True(r.Passed, r.Message));
        Assert.Equal(2, graded.Trace.Commands.Count);
        Assert.Equal("await db.ExecuteAsync(\"GET\", key);", graded.Trace.Commands[0].CSharp);
    }

    private async Task<string> SnapshotAsync()
    {
        var parts = new List<string>();
        foreach (var server in redis.Multiplexer.GetServers().Where(s => !s.IsReplica))
        {
            await foreach (var key in server.KeysAsync(pattern: RedisKeyspace.PrefixPattern(WorkbenchKeyRewriter.PrefixOf(Learner))))
            {
                var dump = await Db.KeyDumpAsync(key);
                var ttl = await Db.KeyTimeToLiveAsync(key);
                parts.Add($"{key}={Convert.ToBase64String(dump!)}:{(ttl is { } t ? Math.Round(t.TotalSeconds / 10) : -1)}");
            }
        }

        return string.Join('\n', parts.Order(StringComparer.Ordinal));
    }
}
