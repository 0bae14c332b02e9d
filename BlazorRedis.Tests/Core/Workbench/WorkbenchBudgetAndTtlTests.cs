using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Workbench;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Workbench;

// Commands that build a key out of other keys (COPY, SUNIONSTORE, BITOP …) grow memory by the size of their sources,
// not of their arguments: the budget counts the sources' MEMORY USAGE. And a TTL a learner gave a key holds in every
// console of theirs (another tab, a lesson page, the page after a reload), not only in the one that set it.
public class WorkbenchBudgetAndTtlTests(RedisServerFixture redis)
{
    private const long Budget = 64 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private (WorkbenchExecutor Executor, WorkbenchSession Session) Create(int keyTtlSeconds = 3600)
    {
        var executor = new WorkbenchExecutor(
            redis.Multiplexer, redis.Tracer, redis.NewKeyspace(), new RedisCommandBudget(redis.Multiplexer, TimeSpan.FromSeconds(2)),
            Options.Create(new WorkbenchOptions { MaxLearnerBytes = Budget, MaxValueBytes = 30_000, KeyTtlSeconds = keyTtlSeconds }));
        return (executor, executor.OpenSession(LearnerId.New()));
    }

    // What the learner's keys use, as Redis measures it (SCAN of the node that holds the learner's slot).
    private async Task<long> UsedAsync(WorkbenchSession session)
    {
        var server = redis.Multiplexer.GetServer((RedisKey)session.Prefix);
        var db = redis.Multiplexer.GetDatabase();
        long used = 0;
        await foreach (var key in server.KeysAsync(pattern: RedisKeyspace.PrefixPattern(session.Prefix), pageSize: 1000))
        {
            var size = await db.ExecuteAsync("MEMORY", "USAGE", key);
            used += size.IsNull ? 0 : (long)size;
        }

        return used;
    }

    private static string Members(int count) => string.Join(' ', Enumerable.Range(0, count).Select(i => "member-" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture)));

    public static TheoryData<string, string, string> Derived => new()
    {
        { "SET src " + new string('v', 25_000), "COPY src {0}", "COPY" },
        { "SADD src " + Members(700), "SUNIONSTORE {0} src", "SUNIONSTORE" },
        { "SET src " + new string('v', 25_000), "BITOP OR {0} src", "BITOP" },
        { "ZADD src " + string.Join(' ', Enumerable.Range(0, 400).Select(i => $"{i} m{i:D5}")), "ZRANGESTORE {0} src 0 -1", "ZRANGESTORE" },
    };

    [Theory]
    [MemberData(nameof(Derived))]
    public async Task A_key_built_from_other_keys_counts_their_size_and_is_refused_past_the_budget(string setup, string template, string name)
    {
        var (executor, session) = Create();
        // Built in another console of the same learner, so this one starts from the memory Redis measures (the
        // estimate of SADD's own growth, from its arguments, is another matter).
        Assert.False((await executor.ExecuteAsync(executor.OpenSession(session.Learner), setup, Ct)).IsError);

        var replies = new List<WorkbenchReply>();
        for (var i = 0; i < 5; i++)
        {
            replies.Add(await executor.ExecuteAsync(session, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, "copy" + i), Ct));
        }

        var refused = replies.Find(r => r.IsError);
        Assert.NotNull(refused);
        Assert.Contains($"{name} would create about", refused.Text, StringComparison.Ordinal);
        Assert.Contains("at most 65,536 bytes per learner", refused.Text, StringComparison.Ordinal);
        Assert.True(await UsedAsync(session) <= Budget, "the learner's keys use more than the budget");
    }

    [Fact]
    public async Task A_copy_of_a_copy_made_in_the_same_transaction_is_counted()
    {
        var (executor, session) = Create();
        await executor.ExecuteAsync(session, "SET src " + new string('v', 25_000), Ct);

        await executor.ExecuteAsync(session, "MULTI", Ct);
        await executor.ExecuteAsync(session, "COPY src a", Ct);
        await executor.ExecuteAsync(session, "COPY a b", Ct);
        await executor.ExecuteAsync(session, "COPY b c", Ct);
        var exec = await executor.ExecuteAsync(session, "EXEC", Ct);

        Assert.True(exec.IsError);
        Assert.Contains("COPY would create about", exec.Text, StringComparison.Ordinal);
        Assert.False(await redis.Multiplexer.GetDatabase().KeyExistsAsync(session.Prefix + "a"));
        Assert.True(await UsedAsync(session) <= Budget, "the learner's keys use more than the budget");
    }

    // RENAME and RENAMENX queued in a MULTI have both their keys moved into the learner's space when queued, as outside
    // one: the name a learner gives the destination is a name inside their space, whatever it looks like.
    [Theory]
    [InlineData("RENAME")]
    [InlineData("RENAMENX")]
    public async Task A_rename_inside_a_transaction_moves_the_key_only_within_the_learners_space(string rename)
    {
        var (executor, session) = Create();
        var db = redis.Multiplexer.GetDatabase();
        var outside = "brtest-outside:" + Guid.NewGuid().ToString("N");
        await db.StringSetAsync(outside + "-src", "not the learner's");
        await executor.ExecuteAsync(session, "SET a 1", Ct);

        await executor.ExecuteAsync(session, "MULTI", Ct);
        Assert.Equal("QUEUED", (await executor.ExecuteAsync(session, $"{rename} a {outside}", Ct)).Text);
        Assert.Equal("QUEUED", (await executor.ExecuteAsync(session, $"{rename} {outside}-src b", Ct)).Text);
        var exec = await executor.ExecuteAsync(session, "EXEC", Ct);

        Assert.StartsWith(rename == "RENAME" ? "1) OK" : "1) (integer) 1", exec.Text, StringComparison.Ordinal);
        Assert.Contains("ERR no such key", exec.Text, StringComparison.Ordinal); // the outside key is not one of the learner's
        Assert.False(await db.KeyExistsAsync(outside));
        Assert.True(await db.KeyExistsAsync(session.Prefix + outside));
        Assert.Equal("not the learner's", (string?)await db.StringGetAsync(outside + "-src"));
        Assert.False(await db.KeyExistsAsync(session.Prefix + "b"));
    }

    [Fact]
    public async Task Overwriting_a_key_counts_only_what_it_adds()
    {
        var (executor, session) = Create();
        await executor.ExecuteAsync(session, "SET src " + new string('v', 25_000), Ct);
        await executor.ExecuteAsync(session, "COPY src dst", Ct);

        var again = await executor.ExecuteAsync(session, "COPY src dst REPLACE", Ct);
        var twice = await executor.ExecuteAsync(session, "BITOP OR dst src", Ct);

        Assert.Equal("(integer) 1", again.Text);
        Assert.Equal("(integer) 25000", twice.Text);
    }

    [Fact]
    public async Task A_ttl_the_learner_set_in_one_console_survives_their_use_of_the_key_in_another()
    {
        var (executor, session) = Create(keyTtlSeconds: 600);
        var other = executor.OpenSession(session.Learner);

        await executor.ExecuteAsync(session, "SET a 1", Ct);
        await executor.ExecuteAsync(session, "EXPIRE a 30", Ct);
        await executor.ExecuteAsync(other, "GET a", Ct);
        await executor.ExecuteAsync(other, "APPEND a 2", Ct);
        var kept = await executor.ExecuteAsync(session, "TTL a", Ct);
        await executor.ExecuteAsync(other, "PERSIST a", Ct); // the learner took their TTL away: the workbench's comes back
        await executor.ExecuteAsync(session, "GET a", Ct);
        var slid = await executor.ExecuteAsync(session, "TTL a", Ct);

        Assert.InRange(long.Parse(kept.Text["(integer) ".Length..], System.Globalization.CultureInfo.InvariantCulture), 25, 30);
        Assert.StartsWith("(integer) -1\n", slid.Text, StringComparison.Ordinal); // no TTL of theirs, as Redis would say
        Assert.InRange((await redis.Multiplexer.GetDatabase().KeyTimeToLiveAsync(session.Prefix + "a"))!.Value.TotalSeconds, 590, 600);
    }

    // The Strings lesson's sequence: a plain SET drops the learner's TTL and PERSIST removes it, so TTL reads -1 as on
    // Redis, though the workbench's housekeeping TTL stays on the key (with a note saying so).
    [Fact]
    public async Task A_key_with_only_the_housekeeping_ttl_reads_as_having_no_ttl()
    {
        var (executor, session) = Create(keyTtlSeconds: 600);
        var db = redis.Multiplexer.GetDatabase();
        async Task<string> Run(string line) => (await executor.ExecuteAsync(session, line, Ct)).Text;

        Assert.Equal("OK", await Run("SET t1 v EX 300"));
        Assert.InRange(long.Parse((await Run("TTL t1"))["(integer) ".Length..], System.Globalization.CultureInfo.InvariantCulture), 295, 300);
        Assert.Equal("OK", await Run("SET t1 v2"));
        var ttl = await Run("TTL t1");
        var pttl = await Run("PTTL t1");
        var expireTime = await Run("EXPIRETIME t1");
        var persistAfterSet = await Run("PERSIST t1");

        Assert.Equal("(integer) -1", ttl.Split('\n')[0]);
        Assert.Contains("the workbench still deletes it 600 s after you last use it", ttl, StringComparison.Ordinal);
        Assert.Equal("(integer) -1", pttl.Split('\n')[0]);
        Assert.Equal("(integer) -1", expireTime.Split('\n')[0]);
        Assert.Equal("(integer) 0", persistAfterSet.Split('\n')[0]); // no TTL of theirs to take away
        Assert.InRange((await db.KeyTimeToLiveAsync(session.Prefix + "t1"))!.Value.TotalSeconds, 590, 600); // the housekeeping stays

        Assert.Equal("(integer) 1", await Run("EXPIRE t1 100"));
        Assert.Equal("(integer) 1", await Run("PERSIST t1"));
        Assert.Equal("(integer) -1", (await Run("TTL t1")).Split('\n')[0]);
        Assert.Equal("(integer) -2", await Run("TTL nosuchkey"));

        Assert.Equal("OK", await Run("SET t2 v EX 300"));
        Assert.Equal("OK", await Run("SET t2 v3 KEEPTTL")); // KEEPTTL keeps the learner's TTL
        Assert.InRange(long.Parse((await Run("TTL t2"))["(integer) ".Length..], System.Globalization.CultureInfo.InvariantCulture), 295, 300);
        Assert.Equal("(integer) 1", await Run("DEL t2"));
        Assert.Equal("(integer) 1", await Run("RPUSH t2 a")); // recreated: the old TTL is gone with the old key
        Assert.Equal("(integer) -1", (await Run("TTL t2")).Split('\n')[0]);

        Assert.Equal("OK", await Run("SET t3 v"));
        Assert.Equal("OK", await Run("MULTI"));
        Assert.Equal("QUEUED", await Run("GET t3"));
        Assert.Equal("QUEUED", await Run("TTL t3"));
        var exec = await Run("EXEC");
        Assert.StartsWith("1) \"v\"\n2) (integer) -1\n(you gave this key no TTL", exec, StringComparison.Ordinal);
    }
}
