using System.Globalization;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Workbench;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Workbench;

// The budget's estimate of a write, against what MEMORY USAGE reports after it on the real server: never below (a
// learner could otherwise grow past the budget), not far above (a learner would be refused for nothing). The estimate
// is what the write adds to the session's running total of the learner's memory.
public class WorkbenchMemoryEstimateTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private (WorkbenchExecutor Executor, WorkbenchSession Session) Create()
    {
        var executor = new WorkbenchExecutor(
            redis.Multiplexer, redis.Tracer, redis.NewKeyspace(), new RedisCommandBudget(redis.Multiplexer, TimeSpan.FromSeconds(2)),
            Options.Create(new WorkbenchOptions { MaxLearnerBytes = 256L * 1024 * 1024, MaxKeys = 10_000, CommandsPerSecond = 100_000 }));
        return (executor, executor.OpenSession(LearnerId.New()));
    }

    // MEMORY USAGE as the workbench asks it (SAMPLES 5) and of every element (SAMPLES 0): the smaller and the larger.
    private async Task<(long Least, long Most)> MemoryUsageAsync(WorkbenchSession session, string key)
    {
        var db = redis.Multiplexer.GetDatabase();
        var sampled = await db.ExecuteAsync("MEMORY", "USAGE", session.Prefix + key);
        var all = await db.ExecuteAsync("MEMORY", "USAGE", session.Prefix + key, "SAMPLES", "0");
        var a = sampled.IsNull ? 0 : (long)sampled;
        var b = all.IsNull ? 0 : (long)all;
        return (Math.Min(a, b), Math.Max(a, b));
    }

    // What one line added to the session's estimate of the learner's memory.
    private static async Task<long> EstimateAsync(WorkbenchExecutor executor, WorkbenchSession session, string line)
    {
        var before = session.KnownBytes;
        Assert.NotNull(before);
        var reply = await executor.ExecuteAsync(session, line, Ct);
        Assert.False(reply.IsError, reply.Text);
        return session.KnownBytes!.Value - before.Value;
    }

    private static string Member(int i, int size)
    {
        var prefix = "m" + i.ToString(CultureInfo.InvariantCulture) + "-";
        return prefix.Length >= size ? prefix : prefix + new string('x', size - prefix.Length);
    }

    private static string Repeat(int count, Func<int, string> element) => string.Join(' ', Enumerable.Range(0, count).Select(element));

    // Element counts on both sides of the listpack thresholds (128 for sorted sets; 128 or 512, as configured, for
    // hashes; 512 for integer sets) and element sizes on both sides of the 64-byte value threshold.
    private static readonly int[] Counts = [1, 5, 20, 100, 127, 129, 300, 500];
    private static readonly int[] Sizes = [8, 30, 63, 70];

    public static TheoryData<string> Writes => ["SADD", "SADD integers", "HSET", "ZADD", "RPUSH", "XADD", "GEOADD", "SET"];

    private static string? Line(string write, string key, int count, int size) => write switch
    {
        "SADD" => $"SADD {key} " + Repeat(count, i => Member(i, size)),
        "SADD integers" when size <= 18 => $"SADD {key} " + Repeat(count * 2, i => (((long)Math.Pow(10, size - 1)) + i).ToString(CultureInfo.InvariantCulture)),
        "HSET" => $"HSET {key} " + Repeat(count, i => Member(i, size) + " " + new string('v', size)),
        "ZADD" => $"ZADD {key} " + Repeat(count, i => (i * 1.5).ToString(CultureInfo.InvariantCulture) + " " + Member(i, size)),
        "RPUSH" => $"RPUSH {key} " + Repeat(count, i => Member(i, size)),
        "XADD" => $"XADD {key} * " + Repeat(count, i => "f" + i.ToString(CultureInfo.InvariantCulture) + " " + new string('v', size)),
        "GEOADD" when count <= 300 => $"GEOADD {key} " + Repeat(count, i => string.Create(CultureInfo.InvariantCulture, $"{-120 + (i * 0.1):0.###} {(i % 80) + 0.5:0.###} {Member(i, size)}")),
        "SET" => $"SET {key} " + new string('v', count * size),
        _ => null,
    };

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task A_write_is_estimated_at_least_at_what_it_takes_and_at_most_two_and_a_half_times_that(string write)
    {
        var (executor, session) = Create();
        await executor.ExecuteAsync(session, "SET warm 1", Ct); // the session measures the learner's memory once
        var misses = new List<string>();
        foreach (var count in Counts)
        {
            foreach (var size in Sizes)
            {
                var key = string.Create(CultureInfo.InvariantCulture, $"k{count}-{size}");
                if (Line(write, key, count, size) is not { } line || line.Length > CommandLineParser.MaxLineLength)
                {
                    continue;
                }

                var estimate = await EstimateAsync(executor, session, line);
                var (least, most) = await MemoryUsageAsync(session, key);
                var encoding = await redis.Multiplexer.GetDatabase().ExecuteAsync("OBJECT", "ENCODING", session.Prefix + key);
                if (estimate < most || estimate > least * 5 / 2)
                {
                    misses.Add(string.Create(CultureInfo.InvariantCulture, $"{count} × {size} bytes ({encoding}): estimated {estimate:N0}, MEMORY USAGE {least:N0}…{most:N0}"));
                }
            }
        }

        Assert.True(misses.Count == 0, $"{write}:\n" + string.Join('\n', misses));
    }

    [Theory]
    [InlineData("ZUNIONSTORE {0} 2 a b", "ZADD")]
    [InlineData("ZINTERSTORE {0} 2 a b WEIGHTS 0.1 0.3", "ZADD")]
    [InlineData("ZDIFFSTORE {0} 2 a b", "ZADD")]
    [InlineData("SUNIONSTORE {0} a b", "SADD")]
    public async Task A_key_built_from_small_keys_is_estimated_in_the_encoding_it_gets(string template, string add)
    {
        var (executor, session) = Create();
        var limit = (long)(await redis.Multiplexer.GetDatabase().ExecuteAsync("CONFIG", "GET", "zset-max-listpack-entries")).ToDictionary()["zset-max-listpack-entries"];
        var below = (int)limit - 1;
        var (first, second) = template.StartsWith("ZINTER", StringComparison.Ordinal)
            ? (Enumerable.Range(0, below), Enumerable.Range(0, below))
            : (Enumerable.Range(0, below), Enumerable.Range(below, below));
        string Add(string key, IEnumerable<int> members) => add == "ZADD"
            ? $"ZADD {key} " + string.Join(' ', members.Select(i => $"{i} {Member(i, 10)}"))
            : $"SADD {key} " + string.Join(' ', members.Select(i => Member(i, 10)));
        await executor.ExecuteAsync(session, Add("a", first), Ct);
        await executor.ExecuteAsync(session, Add("b", second), Ct);

        var estimate = await EstimateAsync(executor, session, string.Format(CultureInfo.InvariantCulture, template, "dst"));

        var (_, most) = await MemoryUsageAsync(session, "dst");
        Assert.True(estimate >= most, $"estimated {estimate:N0}, MEMORY USAGE {most:N0}");
    }

    [Theory]
    [InlineData("XREADGROUP GROUP g c1 COUNT 300 STREAMS s >")]
    [InlineData("XREADGROUP GROUP g c1 STREAMS s >")]
    [InlineData("XREADGROUP GROUP g c1 COUNT 100000 STREAMS s >")]
    public async Task Reading_through_a_consumer_group_counts_the_pending_entries_it_adds(string read)
    {
        var (executor, session) = Create();
        for (var i = 0; i < 300; i++)
        {
            await executor.ExecuteAsync(session, "XADD s * f " + i.ToString(CultureInfo.InvariantCulture), Ct);
        }

        await executor.ExecuteAsync(session, "XGROUP CREATE s g 0", Ct);
        var (_, before) = await MemoryUsageAsync(session, "s");

        var estimate = await EstimateAsync(executor, session, read);

        var (_, after) = await MemoryUsageAsync(session, "s");
        Assert.True(after - before > 100_000, "the read did not fill the pending entries list");
        Assert.True(estimate >= after - before, $"estimated {estimate:N0}, MEMORY USAGE grew by {after - before:N0}");
        Assert.True(estimate <= (after - before) * 5 / 2, $"estimated {estimate:N0}, MEMORY USAGE grew by {after - before:N0}");
    }

    [Fact]
    public async Task A_learner_cannot_grow_the_pending_entries_list_past_the_budget()
    {
        var executor = new WorkbenchExecutor(
            redis.Multiplexer, redis.Tracer, redis.NewKeyspace(), new RedisCommandBudget(redis.Multiplexer, TimeSpan.FromSeconds(2)),
            Options.Create(new WorkbenchOptions { MaxLearnerBytes = 256 * 1024, CommandsPerSecond = 100_000 }));
        var session = executor.OpenSession(LearnerId.New());
        await executor.ExecuteAsync(session, "XADD s * f v", Ct);
        await executor.ExecuteAsync(session, "XGROUP CREATE s g 0", Ct);
        for (var i = 0; i < 500; i++)
        {
            await executor.ExecuteAsync(session, "XADD s * f " + i.ToString(CultureInfo.InvariantCulture), Ct);
        }

        var reply = await executor.ExecuteAsync(session, "XREADGROUP GROUP g c COUNT 1000 STREAMS s >", Ct);

        Assert.True(reply.IsError, reply.Text);
        Assert.Contains("at most 262,144 bytes per learner", reply.Text, StringComparison.Ordinal);
        Assert.Contains("pending", reply.Text, StringComparison.Ordinal);
        var (_, used) = await MemoryUsageAsync(session, "s");
        Assert.True(used <= 256 * 1024, $"the stream uses {used:N0} bytes");
    }
}
