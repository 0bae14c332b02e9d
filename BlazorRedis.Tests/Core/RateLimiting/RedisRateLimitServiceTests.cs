using System.Diagnostics;
using BlazorRedis.Core;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Tests.Infrastructure;
using StackExchange.Redis;
using static BlazorRedis.Tests.Core.RateLimiting.RateLimitTestHelpers;

namespace BlazorRedis.Tests.Core.RateLimiting;

public class RedisRateLimitServiceTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<RateLimitAlgorithm> WindowAlgorithms() =>
        [RateLimitAlgorithm.FixedWindow, RateLimitAlgorithm.SlidingLog, RateLimitAlgorithm.SlidingCounter];

    public static TheoryData<RateLimitAlgorithm> AllAlgorithms() =>
        [RateLimitAlgorithm.FixedWindow, RateLimitAlgorithm.SlidingLog, RateLimitAlgorithm.SlidingCounter, RateLimitAlgorithm.TokenBucket];

    [Theory]
    [MemberData(nameof(WindowAlgorithms))]
    public async Task Thirty_sequential_requests_within_one_window_allow_exactly_ten(RateLimitAlgorithm algorithm)
    {
        var keys = redis.NewKeyspace();
        var service = Service(redis, keys, permitLimit: 10, windowSeconds: 60);
        await Lab(redis, service, keys).WaitForRoomInWindowAsync(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(20), Ct);

        var decisions = new List<RateLimitDecision>();
        for (var i = 0; i < 30; i++)
        {
            decisions.Add((await service.CheckAsync(algorithm, "client-a", Ct)).Value);
        }

        Assert.Equal(10, decisions.Count(d => d.Allowed));
        Assert.All(decisions.Take(10), d => Assert.True(d.Allowed));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => 9 - i), decisions.Take(10).Select(d => d.Remaining));
        Assert.All(decisions.Skip(10), d =>
        {
            Assert.False(d.Allowed);
            Assert.Equal(0, d.Remaining);
            Assert.InRange(d.RetryAfter, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(120));
        });
        Assert.All(decisions, d => Assert.Equal(DecisionSource.Redis, d.Source));
    }

    [Fact]
    public async Task Token_bucket_allows_its_capacity_plus_at_most_what_refilled_during_the_burst()
    {
        var keys = redis.NewKeyspace();
        // 10 tokens, refilled at 10 per 10 s = 1 token a second.
        var service = Service(redis, keys, permitLimit: 10, windowSeconds: 10);

        var clock = Stopwatch.StartNew();
        var decisions = new List<RateLimitDecision>();
        for (var i = 0; i < 30; i++)
        {
            decisions.Add((await service.CheckAsync(RateLimitAlgorithm.TokenBucket, "client-a", Ct)).Value);
        }

        clock.Stop();
        var refilled = (int)Math.Floor(clock.Elapsed.TotalSeconds * service.DefaultRule.RefillPerSecond);
        var allowed = decisions.Count(d => d.Allowed);
        Assert.InRange(allowed, 10, 10 + refilled);
        Assert.All(decisions.Take(10), d => Assert.True(d.Allowed));
        Assert.Contains(decisions, d => !d.Allowed);
    }

    [Theory]
    [MemberData(nameof(AllAlgorithms))]
    public async Task A_hundred_concurrent_requests_never_allow_more_than_the_limit(RateLimitAlgorithm algorithm)
    {
        var keys = redis.NewKeyspace();
        var service = Service(redis, keys, permitLimit: 10, windowSeconds: 60);
        await Lab(redis, service, keys).WaitForRoomInWindowAsync(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(20), Ct);

        var decisions = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => service.CheckAsync(algorithm, "crowd", Ct)));

        // The token bucket refills 1 token every 6 s here; a burst of 100 takes far less, so 10 is the cap for all four.
        Assert.InRange(decisions.Count(d => d.Value.Allowed), 1, 10);
    }

    [Theory]
    [MemberData(nameof(AllAlgorithms))]
    public async Task Each_decision_is_one_round_trip_traced_as_evalsha_on_one_tagged_key(RateLimitAlgorithm algorithm)
    {
        var keys = redis.NewKeyspace();
        var service = Service(redis, keys);

        await service.CheckAsync(algorithm, "wire", Ct); // the first call may have to load the script
        var traced = await service.CheckAsync(algorithm, "wire", Ct);

        // One command, one round trip (the wire itself is checked against MONITOR in RateLimitWireTests).
        var command = Assert.Single(traced.Trace.Commands);
        Assert.Single(command.Wire);
        var key = service.KeyFor(algorithm, "wire");
        Assert.StartsWith($"EVALSHA {RateLimitScripts.For(algorithm).Sha1} 1 {key} ", command.Text, StringComparison.Ordinal);
        Assert.StartsWith(keys.Prefix + "{ratelimit:wire}:", key.ToString(), StringComparison.Ordinal);
        Assert.Contains("ScriptEvaluateAsync", command.CSharp, StringComparison.Ordinal);
        Assert.True(await redis.Multiplexer.GetDatabase().KeyExistsAsync(key));
        Assert.True(await redis.Multiplexer.GetDatabase().KeyTimeToLiveAsync(key) > TimeSpan.Zero);
    }

    [Fact]
    public void The_sha_shown_is_the_one_redis_computes_for_the_script()
    {
        var server = redis.Multiplexer.GetServers()[0];
        foreach (var algorithm in RateLimitAlgorithms.All)
        {
            var script = RateLimitScripts.For(algorithm);
            var loaded = server.ScriptLoad(script.Source);
            Assert.Equal(script.Sha1, Convert.ToHexStringLower(loaded));
            Assert.Contains("KEYS[1]", script.Source, StringComparison.Ordinal);
            Assert.Contains("redis.call('TIME')", script.Source, StringComparison.Ordinal);
            Assert.DoesNotContain("ARGV[3]", script.Source, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Clients_are_counted_apart()
    {
        var keys = redis.NewKeyspace();
        var service = Service(redis, keys, permitLimit: 2, windowSeconds: 60);

        for (var i = 0; i < 3; i++)
        {
            await service.CheckAsync(RateLimitAlgorithm.SlidingLog, "alice", Ct);
        }

        Assert.False((await service.CheckAsync(RateLimitAlgorithm.SlidingLog, "alice", Ct)).Value.Allowed);
        Assert.True((await service.CheckAsync(RateLimitAlgorithm.SlidingLog, "bob", Ct)).Value.Allowed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a\r\nb")]
    [InlineData("{tag}")]
    public async Task A_bad_partition_is_refused_before_anything_is_written(string partition)
    {
        var keys = redis.NewKeyspace();
        var service = Service(redis, keys);

        await Assert.ThrowsAsync<LearnerInputException>(() => service.CheckAsync(RateLimitAlgorithm.FixedWindow, partition, Ct));
        Assert.Throws<LearnerInputException>(() => service.KeyFor(RateLimitAlgorithm.FixedWindow, new string('x', RedisRateLimitService.MaxPartitionLength + 1)));
        Assert.Equal(0, await CountKeysAsync(keys.Prefix));
    }

    [Fact]
    public async Task Sliding_counter_weighs_the_previous_window()
    {
        var keys = redis.NewKeyspace();
        var service = Service(redis, keys, permitLimit: 10, windowSeconds: 10);
        var key = service.KeyFor(RateLimitAlgorithm.SlidingCounter, "weights");
        var db = redis.Multiplexer.GetDatabase();
        var lab = Lab(redis, service, keys);
        await lab.WaitForRoomInWindowAsync(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(3), Ct);
        var (now, _) = await lab.ServerTimeAsync(redis.Tracer.Start("TIME"));
        // Pretend the previous window was full: 10 requests counted in the window before Redis's current one.
        await db.HashSetAsync(key, [new("window", now.ToUnixTimeMilliseconds() / 10_000 - 1), new("current", 10), new("previous", 0)]);

        var decision = (await service.CheckAsync(RateLimitAlgorithm.SlidingCounter, "weights", Ct)).Value;

        // The previous 10 still weigh (1 - elapsed/window) * 10; only the share that has slid out can be used.
        var elapsed = decision.ServerTime!.Value.ToUnixTimeMilliseconds() % 10_000;
        var estimate = 10.0 * (10_000 - elapsed) / 10_000;
        Assert.Equal(estimate + 1 <= 10, decision.Allowed);
        if (!decision.Allowed)
        {
            Assert.True(decision.RetryAfter > TimeSpan.Zero);
            Assert.True(decision.RetryAfter <= TimeSpan.FromSeconds(10));
        }
    }

    private async Task<int> CountKeysAsync(string prefix)
    {
        var server = redis.Multiplexer.GetServers()[0];
        var count = 0;
        await foreach (var _ in server.KeysAsync(pattern: prefix + "*").WithCancellation(Ct))
        {
            count++;
        }

        return count;
    }
}
