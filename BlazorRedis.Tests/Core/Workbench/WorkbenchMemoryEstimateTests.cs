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
        var (a, b) = await SampledAndExactAsync(session, key);
        return (Math.Min(a, b), Math.Max(a, b));
    }

    private async Task<(long Sampled, long Exact)> SampledAndExactAsync(WorkbenchSession session, string key)
    {
        var db = redis.Multiplexer.GetDatabase();
        var sampled = await db.ExecuteAsync("MEMORY", "USAGE", session.Prefix + key);
        var all = await db.ExecuteAsync("MEMORY", "USAGE", session.Prefix + key, "SAMPLES", "0");
        return (sampled.IsNull ? 0 : (long)sampled, all.IsNull ? 0 : (long)all);
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

    // The server's setting (CONFIG GET), or Redis's default where it has none (sets have a listpack from Redis 7.2 on).
    private async Task<int> ConfigAsync(string name, int fallback)
    {
        var reply = (await redis.Multiplexer.GetDatabase().ExecuteAsync("CONFIG", "GET", name)).ToDictionary();
        return reply.TryGetValue(name, out var value) ? (int)value : fallback;
    }

    public static TheoryData<string> Crossings =>
    [
        "ZADD one past the entries", "ZADD many past the entries", "ZADD a long member", "GEOADD one past the entries",
        "HSET one past the entries", "HSET a long value", "SADD an integer past the intset", "SADD a string into an intset",
        "SADD a wide integer into an intset", "SADD a string past the set's compact size", "SADD past the hashtable's table",
        "ZADD past the skiplist's table", "HSET past the hashtable's table",
        "HINCRBY one past the entries", "HINCRBYFLOAT one past the entries", "HINCRBYFLOAT a long result", "ZINCRBY one past the entries",
        "LINSERT a long element", "LSET a long element",
    ];

    // A key built (in lines the workbench takes) to the edge of its encoding, then the write that takes it over.
    private async Task<(List<string> Build, string Cross)> CrossingAsync(string crossing)
    {
        var zset = await ConfigAsync("zset-max-listpack-entries", 128);
        var zsetValue = await ConfigAsync("zset-max-listpack-value", 64);
        var hash = await ConfigAsync("hash-max-listpack-entries", 128);
        var hashValue = await ConfigAsync("hash-max-listpack-value", 64);
        var intset = await ConfigAsync("set-max-intset-entries", 512);
        var setListpack = await ConfigAsync("set-max-listpack-entries", 128);
        static List<string> Lines(string command, int count, Func<int, string> element) =>
            [.. Enumerable.Range(0, count).Chunk(200).Select(chunk => command + " " + string.Join(' ', chunk.Select(element)))];
        string Zadd(int i) => string.Create(CultureInfo.InvariantCulture, $"{i} {Member(i, 10)}");
        string Hset(int i) => Member(i, 9) + " value" + i.ToString(CultureInfo.InvariantCulture);
        string Int(int i) => i.ToString(CultureInfo.InvariantCulture);
        string Geo(int i) => string.Create(CultureInfo.InvariantCulture, $"{-120 + (i * 0.1):0.###} {(i % 80) + 0.5:0.###} {Member(i, 10)}");
        return crossing switch
        {
            "ZADD one past the entries" => (Lines("ZADD k", zset, Zadd), "ZADD k 5000 extra"),
            "ZADD many past the entries" => (Lines("ZADD k", zset, Zadd), "ZADD k " + Repeat(200, i => Zadd(i + 10_000))),
            "ZADD a long member" => (Lines("ZADD k", zset / 2, Zadd), "ZADD k 5000 " + new string('x', zsetValue + 6)),
            "GEOADD one past the entries" => (Lines("GEOADD k", zset, Geo), "GEOADD k 13.4 52.5 berlin"),
            "HSET one past the entries" => (Lines("HSET k", hash, Hset), "HSET k extra x"),
            "HSET a long value" => (Lines("HSET k", hash / 2, Hset), "HSET k extra " + new string('v', hashValue + 6)),
            "SADD an integer past the intset" => (Lines("SADD k", intset, Int), "SADD k " + Int(intset + 1)),
            "SADD a string into an intset" => (Lines("SADD k", intset / 2, Int), "SADD k abc"),
            "SADD a wide integer into an intset" => (Lines("SADD k", intset - 10, Int), "SADD k 12345678901"),
            "SADD a string past the set's compact size" => (Lines("SADD k", setListpack, i => Member(i, 10)), "SADD k extra"),
            "SADD past the hashtable's table" => (Lines("SADD k", 1024, i => Member(i, 10)), "SADD k extra"),
            "ZADD past the skiplist's table" => (Lines("ZADD k", 1024, Zadd), "ZADD k 5000 extra"),
            "HINCRBY one past the entries" => (Lines("HSET k", hash, Hset), "HINCRBY k extra -9223372036854775807"),
            "HINCRBYFLOAT one past the entries" => (Lines("HSET k", hash, Hset), "HINCRBYFLOAT k extra 0.1"),
            "HINCRBYFLOAT a long result" => (Lines("HSET k", hash / 2, Hset), "HINCRBYFLOAT k extra 1e100"),
            "ZINCRBY one past the entries" => (Lines("ZADD k", zset, Zadd), "ZINCRBY k 0.1 extra"),
            "LINSERT a long element" => (Lines("RPUSH k", 300, i => Member(i, 10)), "LINSERT k BEFORE " + Member(150, 10) + " " + new string('x', 6000)),
            "LSET a long element" => (Lines("RPUSH k", 300, i => Member(i, 10)), "LSET k 150 " + new string('x', 6000)),
            _ => (Lines("HSET k", 1024, Hset), "HSET k extra x"),
        };
    }

    // A session (its memory measured once) whose key k is built to the edge of its encoding, and the write that takes it over.
    private async Task<(WorkbenchExecutor Executor, WorkbenchSession Session, string Cross)> BuiltToTheEdgeAsync(string crossing)
    {
        var (executor, session) = Create();
        await executor.ExecuteAsync(session, "SET warm 1", Ct);
        var (build, cross) = await CrossingAsync(crossing);
        foreach (var line in build)
        {
            var built = await executor.ExecuteAsync(session, line, Ct);
            Assert.False(built.IsError, built.Text);
        }

        return (executor, session, cross);
    }

    // A write into a key that is there already may change the encoding of everything it holds (a 128-member listpack
    // becomes a skiplist), widen an intset, or double a hashtable's buckets: its estimate counts that, not only the
    // elements it names.
    [Theory]
    [MemberData(nameof(Crossings))]
    public async Task A_write_that_takes_a_key_past_its_encoding_is_estimated_at_what_the_key_grows_by(string crossing)
    {
        var (executor, session, cross) = await BuiltToTheEdgeAsync(crossing);

        var db = redis.Multiplexer.GetDatabase();
        var encodingBefore = (string?)await db.ExecuteAsync("OBJECT", "ENCODING", session.Prefix + "k");
        var (sampledBefore, exactBefore) = await SampledAndExactAsync(session, "k");

        var estimate = await EstimateAsync(executor, session, cross);

        var (sampledAfter, exactAfter) = await SampledAndExactAsync(session, "k");
        var encodingAfter = (string?)await db.ExecuteAsync("OBJECT", "ENCODING", session.Prefix + "k");
        // Each way of measuring against itself: MEMORY USAGE's sampling of a skiplist varies between calls.
        var sampled = sampledAfter - sampledBefore;
        var exact = exactAfter - exactBefore;
        var (least, most) = (Math.Min(sampled, exact), Math.Max(sampled, exact));
        Assert.True(estimate >= most && estimate <= least * 5 / 2, string.Create(CultureInfo.InvariantCulture,
            $"{crossing} ({encodingBefore} → {encodingAfter}): estimated {estimate:N0}, MEMORY USAGE grew by {least:N0}…{most:N0}"));
    }

    public static TheoryData<string> MovedCrossings =>
        ["HSET one past the entries", "SADD a string into an intset", "ZADD one past the entries", "HINCRBY one past the entries"];

    // Inside MULTI a RENAME moves a key the learner built to another name; a write into the new name in the same
    // transaction adds to what the moved key holds (and may convert all of it), not to an empty key.
    [Theory]
    [MemberData(nameof(MovedCrossings))]
    public async Task A_write_into_a_key_renamed_in_the_same_transaction_is_estimated_from_what_it_holds(string crossing)
    {
        var (executor, session, cross) = await BuiltToTheEdgeAsync(crossing);

        var (sampledBefore, exactBefore) = await SampledAndExactAsync(session, "k");
        await executor.ExecuteAsync(session, "MULTI", Ct);
        await executor.ExecuteAsync(session, "RENAME k moved", Ct);
        Assert.Equal("QUEUED", (await executor.ExecuteAsync(session, cross.Replace(" k ", " moved ", StringComparison.Ordinal), Ct)).Text);

        var estimate = await EstimateAsync(executor, session, "EXEC");

        var (sampledAfter, exactAfter) = await SampledAndExactAsync(session, "moved");
        var (least, most) = (Math.Min(sampledAfter - sampledBefore, exactAfter - exactBefore), Math.Max(sampledAfter - sampledBefore, exactAfter - exactBefore));
        Assert.True(estimate >= most && estimate <= least * 5 / 2, string.Create(CultureInfo.InvariantCulture,
            $"{crossing} after RENAME: estimated {estimate:N0}, MEMORY USAGE grew by {least:N0}…{most:N0}"));
    }

    // The defaults the estimate falls back on (a server that refuses CONFIG GET) are Redis's own: a redis-server started
    // with no configuration reports them.
    [Fact]
    public async Task The_fallback_thresholds_are_what_a_redis_server_with_no_configuration_reports()
    {
        await using var fresh = await PrivateRedis.StartAsync();
        var reply = await fresh.Admin.GetDatabase().ExecuteAsync("CONFIG", "GET", "*-max-*");
        var config = reply.ToDictionary().ToDictionary(p => p.Key, p => (string?)p.Value ?? "", StringComparer.OrdinalIgnoreCase);

        Assert.Equal(EncodingThresholds.From(config), EncodingThresholds.Defaults);
    }

    // The hashes lesson states the compact hash's size the workbench's estimate falls back on.
    [Fact]
    public void The_hashes_lesson_states_the_default_compact_hash_size_the_estimate_uses()
    {
        var lesson = File.ReadAllText(Path.Combine(SourceTree.Root, "BlazorRedis.App", "Lessons", "04-hashes.md"));

        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"by default up to {EncodingThresholds.Defaults.HashEntries} fields, `hash-max-listpack-entries`"), lesson, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"each field and value up to {EncodingThresholds.Defaults.HashValue}"), lesson, StringComparison.Ordinal);
    }

    // A push into a list that is there already may move its last node's listpack to the allocator's next size class.
    [Fact]
    public async Task Each_push_into_a_list_is_estimated_at_least_at_what_the_list_grows_by()
    {
        var (executor, session) = Create();
        await executor.ExecuteAsync(session, "SET warm 1", Ct);
        var misses = new List<string>();
        for (var i = 0; i < 1200; i++)
        {
            var (_, before) = await MemoryUsageAsync(session, "l");
            var estimate = await EstimateAsync(executor, session, "RPUSH l " + Member(i, 10));
            var (_, after) = await MemoryUsageAsync(session, "l");
            if (estimate < after - before)
            {
                misses.Add(string.Create(CultureInfo.InvariantCulture, $"push {i + 1}: estimated {estimate:N0}, MEMORY USAGE grew by {after - before:N0}"));
            }
        }

        Assert.True(misses.Count == 0, string.Join('\n', misses.Take(20)));
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

    // XCLAIM … FORCE puts entries that no consumer was delivered into the pending entries list, as XREADGROUP does;
    // XCLAIM and XAUTOCLAIM only move pending entries between consumers, but create the consumer that claims them.
    [Theory]
    [InlineData("XCLAIM s g c2 0 {ids} FORCE JUSTID", 100_000)]
    [InlineData("XCLAIM s g c2 0 {ids} FORCE", 100_000)]
    [InlineData("XAUTOCLAIM s g c3 0 0 COUNT 1000 JUSTID", 100)]
    [InlineData("XCLAIM s g c3 0 {pending}", 100)]
    public async Task Claiming_counts_the_pending_entries_and_the_consumer_it_adds(string claim, long leastGrowth)
    {
        var (executor, session) = Create();
        var ids = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            var added = await executor.ExecuteAsync(session, "XADD s * f " + i.ToString(CultureInfo.InvariantCulture), Ct);
            ids.Add(added.Text.Trim('"'));
        }

        await executor.ExecuteAsync(session, "XGROUP CREATE s g 0", Ct);
        await executor.ExecuteAsync(session, "XREADGROUP GROUP g c1 COUNT 5 STREAMS s >", Ct);
        var (_, before) = await MemoryUsageAsync(session, "s");

        var estimate = await EstimateAsync(executor, session, claim.Replace("{ids}", string.Join(' ', ids.Skip(5)), StringComparison.Ordinal).Replace("{pending}", string.Join(' ', ids.Take(5)), StringComparison.Ordinal));

        var (_, after) = await MemoryUsageAsync(session, "s");
        Assert.True(after - before > leastGrowth, string.Create(CultureInfo.InvariantCulture, $"the claim grew the stream by {after - before:N0} only"));
        Assert.True(estimate >= after - before, string.Create(CultureInfo.InvariantCulture, $"estimated {estimate:N0}, MEMORY USAGE grew by {after - before:N0}"));
        Assert.True(estimate <= (after - before) * 5 / 2, string.Create(CultureInfo.InvariantCulture, $"estimated {estimate:N0}, MEMORY USAGE grew by {after - before:N0}"));
    }

    [Fact]
    public async Task A_learner_cannot_force_claims_past_the_budget()
    {
        var executor = new WorkbenchExecutor(
            redis.Multiplexer, redis.Tracer, redis.NewKeyspace(), new RedisCommandBudget(redis.Multiplexer, TimeSpan.FromSeconds(2)),
            Options.Create(new WorkbenchOptions { MaxLearnerBytes = 256 * 1024, CommandsPerSecond = 100_000 }));
        var session = executor.OpenSession(LearnerId.New());
        var ids = new List<string>();
        await executor.ExecuteAsync(session, "XADD s * f v", Ct);
        await executor.ExecuteAsync(session, "XGROUP CREATE s g $", Ct);
        for (var i = 0; i < 500; i++)
        {
            ids.Add((await executor.ExecuteAsync(session, "XADD s * f " + i.ToString(CultureInfo.InvariantCulture), Ct)).Text.Trim('"'));
        }

        var reply = await executor.ExecuteAsync(session, "XCLAIM s g c 0 " + string.Join(' ', ids) + " FORCE JUSTID", Ct);

        Assert.True(reply.IsError, reply.Text);
        Assert.Contains("at most 262,144 bytes per learner", reply.Text, StringComparison.Ordinal);
        Assert.Contains("pending", reply.Text, StringComparison.Ordinal);
        var pending = await redis.Multiplexer.GetDatabase().StreamPendingAsync(session.Prefix + "s", "g");
        Assert.Equal(0, pending.PendingMessageCount);
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
