using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Lessons;
using BlazorRedis.Core.Workbench;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Options;
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

    [Theory]
    [InlineData("HEXISTS user:77 email == 0", "user:77")]
    [InlineData("GETBIT logins:both 3 == 0", "logins:both")]
    [InlineData("XLEN writebehind:queue == 0", "writebehind:queue")]
    [InlineData("HGET user:77 email == nil", "user:77")]
    [InlineData("LRANGE jobs 0 -1 != x", "jobs")]
    [InlineData("TTL session:abc <= 0", "session:abc")]
    [InlineData("TYPE session:abc != string", "session:abc")]
    public async Task A_line_about_a_key_that_does_not_exist_yet_does_not_pass_whatever_its_comparison(string line, string key)
    {
        // These held for a learner with no keys at all, who saw a green tick for work not done.
        var result = await GradeAsync(line);

        Assert.False(result.Passed);
        Assert.True(result.NotStarted);
        Assert.Contains(line.StartsWith("TTL", StringComparison.Ordinal) || line.StartsWith("TYPE", StringComparison.Ordinal) ? "the key does not exist" : $"{key} does not exist yet", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_lines_pass_once_the_key_exists_and_one_extra_exists_is_sent_only_for_an_empty_looking_reply()
    {
        await Db.HashSetAsync(Mine("user:77"), "username", "asha");
        await Db.StreamAddAsync(Mine("writebehind:queue"), "t", 1);
        await Db.StreamDeleteAsync(Mine("writebehind:queue"), [(await Db.StreamRangeAsync(Mine("writebehind:queue")))[0].Id]);

        var graded = await Evaluator.EvaluateAsync(Learner, [CheckParser.Parse("HEXISTS user:77 email == 0", 1), CheckParser.Parse("XLEN writebehind:queue == 0", 2), CheckParser.Parse("HLEN user:77 == 1", 3)], TestContext.Current.CancellationToken);

        Assert.All(graded.Value, r => Assert.True(r.Passed, r.Message));
        Assert.All(graded.Value, r => Assert.False(r.NotStarted));
        Assert.Equal(["HEXISTS", "EXISTS", "XLEN", "EXISTS", "HLEN"], graded.Trace.Commands.Select(c => c.Text.Split(' ')[0]));
    }

    [Fact]
    public async Task A_key_is_gone_line_passes_only_beside_lines_that_prove_the_work_was_done()
    {
        string[] block = ["TYPE session:def == hash", "EXISTS session:a7f3 == 0 -- Rotate the id: RENAME session:a7f3 session:def"];
        async Task<IReadOnlyList<CheckResult>> GradeBlockAsync() =>
            (await Evaluator.EvaluateAsync(Learner, [.. block.Select((l, i) => CheckParser.Parse(l, i + 1))], TestContext.Current.CancellationToken)).Value;

        var fresh = await GradeBlockAsync();
        var alone = await GradeAsync("EXISTS session:a7f3 == 0");
        await Db.HashSetAsync(Mine("session:a7f3"), "username", "alice");
        await Db.KeyRenameAsync(Mine("session:a7f3"), Mine("session:def"));
        var done = await GradeBlockAsync();
        await Db.HashSetAsync(Mine("session:a7f3"), "username", "mallory");
        var reused = await GradeBlockAsync();

        Assert.All(fresh, r => Assert.True(r.NotStarted && !r.Passed, r.Message));
        Assert.Equal("session:a7f3 does not exist, as this line expects, but that counts only once the other lines of this check pass: a key that was never made is not one you removed. Hint: Rotate the id: RENAME session:a7f3 session:def", fresh[1].Message);
        Assert.True(alone.NotStarted && !alone.Passed, alone.Message);
        Assert.All(done, r => Assert.True(r.Passed, r.Message));
        Assert.True(reused[0].Passed);
        Assert.False(reused[1].Passed);
        Assert.False(reused[1].NotStarted);
        Assert.StartsWith("EXISTS session:a7f3 is 1; expected == 0.", reused[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DBSIZE_with_no_keys_and_a_lab_never_run_are_still_to_do()
    {
        var size = await GradeAsync("DBSIZE <= 5");
        var lab = await GradeAsync("LAB stampede.lock.loads == 1");

        Assert.True(size.NotStarted && !size.Passed, size.Message);
        Assert.Equal("You have no keys yet: run the lesson's commands, then check again.", size.Message);
        Assert.True(lab.NotStarted && !lab.Passed, lab.Message);
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
        Assert.False(noGroup.NotStarted);
        Assert.Contains("no such consumer group", noGroup.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_stream_is_named_by_the_learners_own_key_and_explained()
    {
        // A new learner checks the write-behind lesson before running it: no stream, so no group either.
        var result = await GradeAsync("XPENDING writebehind:queue db-writer == 0");

        Assert.False(result.Passed);
        Assert.True(result.NotStarted);
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

    // The workbench gives every key a housekeeping TTL that a bare Redis would not: a check reads the TTL as the
    // workbench shows it to the learner, so a key they gave no TTL reads -1 however short the housekeeping one is.
    [Fact]
    public async Task A_ttl_check_sees_the_ttl_the_learner_gave_not_the_workbenchs_housekeeping_one()
    {
        var executor = new WorkbenchExecutor(
            redis.Multiplexer, redis.Tracer, _keyspace, new RedisCommandBudget(redis.Multiplexer, TimeSpan.FromSeconds(2)), Options.Create(new WorkbenchOptions { KeyTtlSeconds = 600 }));
        var session = executor.OpenSession(_id);
        Assert.Equal("OK", (await executor.ExecuteAsync(session, "SET cache:home x", TestContext.Current.CancellationToken)).Text);
        Assert.NotNull(await Db.KeyTimeToLiveAsync(Mine("cache:home"))); // the housekeeping TTL is there

        var ttl = await GradeAsync("TTL cache:home in 1..600 -- SET cache:home … EX 600");
        var pttl = await GradeAsync("PTTL cache:home > 0");
        var none = await GradeAsync("TTL cache:home == -1");
        await executor.ExecuteAsync(session, "EXPIRE cache:home 500", TestContext.Current.CancellationToken);
        var given = await GradeAsync("TTL cache:home in 1..600");
        var givenMs = await GradeAsync("PTTL cache:home in 1..600000");

        Assert.False(ttl.Passed);
        Assert.Equal("TTL cache:home is -1: it never expires; expected in 1..600. Hint: SET cache:home … EX 600", ttl.Message);
        Assert.False(pttl.Passed);
        Assert.Equal("-1", pttl.Found);
        Assert.True(none.Passed, none.Message);
        Assert.True(given.Passed, given.Message);
        Assert.True(givenMs.Passed, givenMs.Message);
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
