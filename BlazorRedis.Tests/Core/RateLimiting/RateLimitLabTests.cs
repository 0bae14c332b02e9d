using BlazorRedis.Core;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Tests.Infrastructure;
using static BlazorRedis.Tests.Core.RateLimiting.RateLimitTestHelpers;

namespace BlazorRedis.Tests.Core.RateLimiting;

public class RateLimitLabTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_burst_hits_all_four_algorithms_and_reports_every_answer_as_it_arrives()
    {
        var keys = redis.NewKeyspace();
        var service = Service(redis, keys, permitLimit: 5, windowSeconds: 60);
        var lab = Lab(redis, service, keys);
        await lab.WaitForRoomInWindowAsync(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(20), Ct);
        var heard = new List<BurstHit>();

        var burst = await lab.BurstAsync("burster", 12, 0, h => { lock (heard) { heard.Add(h); } }, Ct);

        Assert.Equal(48, burst.Value.Hits.Count);
        Assert.Equal(48, heard.Count);
        foreach (var algorithm in RateLimitAlgorithms.All)
        {
            Assert.Equal(5, burst.Value.Allowed(algorithm));
            Assert.Equal(7, burst.Value.Rejected(algorithm));
        }

        Assert.Equal(48, burst.Trace.Commands.Count(c => c.Text.StartsWith("EVALSHA", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(201, 0)]
    [InlineData(10, -1)]
    [InlineData(10, 5001)]
    [InlineData(200, 1000)]
    public async Task A_burst_outside_the_limits_is_refused_before_any_request(int size, int spacing)
    {
        var keys = redis.NewKeyspace();
        var service = Service(redis, keys);
        var lab = Lab(redis, service, keys);

        await Assert.ThrowsAsync<LearnerInputException>(() => lab.BurstAsync("burster", size, spacing, null, Ct));
        Assert.False(await redis.Multiplexer.GetDatabase().KeyExistsAsync(service.KeyFor(RateLimitAlgorithm.FixedWindow, "burster")));
    }

    [Fact]
    public async Task The_boundary_burst_lets_fixed_window_admit_both_sides_while_the_sliding_log_holds_the_limit()
    {
        var keys = redis.NewKeyspace();
        var service = Service(redis, keys, permitLimit: 5, windowSeconds: 2);
        var lab = Lab(redis, service, keys);
        var phases = new List<BoundaryPhase>();

        var result = (await lab.BoundaryBurstAsync("edge", p => phases.Add(p.Phase), Ct)).Value;

        Assert.Equal([BoundaryPhase.Waiting, BoundaryPhase.BeforeBoundary, BoundaryPhase.AfterBoundary, BoundaryPhase.Done], phases);
        Assert.Equal(40, result.Hits.Count);
        // Fixed window counts each side of the boundary on its own: whatever Redis's clock put on each side, up to the limit each.
        foreach (var after in new[] { false, true })
        {
            Assert.Equal(Math.Min(5, result.Sent(RateLimitAlgorithm.FixedWindow, after)), result.Allowed(RateLimitAlgorithm.FixedWindow, after));
        }

        // The whole demo lasts well under one window, so the log never holds more than the limit.
        Assert.True(result.Span < TimeSpan.FromSeconds(2));
        Assert.Equal(5, result.Allowed(RateLimitAlgorithm.SlidingLog));
        Assert.InRange(result.Allowed(RateLimitAlgorithm.SlidingCounter), 5, 6);
    }

    [Fact]
    public async Task Reset_deletes_only_the_partitions_counters()
    {
        var keys = redis.NewKeyspace();
        var service = Service(redis, keys);
        var lab = Lab(redis, service, keys);
        await service.CheckAsync(RateLimitAlgorithm.FixedWindow, "mine", Ct);
        await service.CheckAsync(RateLimitAlgorithm.TokenBucket, "mine", Ct);
        await service.CheckAsync(RateLimitAlgorithm.FixedWindow, "theirs", Ct);

        var deleted = await lab.ResetAsync("mine");

        Assert.Equal(2, deleted.Value);
        Assert.Equal(3, deleted.Trace.Commands.Count(c => c.Text.StartsWith("UNLINK", StringComparison.Ordinal)));
        TraceAssert.NamesWhatWasSent(deleted.Trace);
        Assert.True(await redis.Multiplexer.GetDatabase().KeyExistsAsync(service.KeyFor(RateLimitAlgorithm.FixedWindow, "theirs")));
    }
}
