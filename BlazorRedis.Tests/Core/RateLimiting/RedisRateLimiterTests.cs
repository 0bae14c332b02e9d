using System.Threading.RateLimiting;
using BlazorRedis.Core;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Tests.Infrastructure;
using static BlazorRedis.Tests.Core.RateLimiting.RateLimitTestHelpers;

namespace BlazorRedis.Tests.Core.RateLimiting;

public class RedisRateLimiterTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Leases_are_acquired_up_to_the_limit_then_carry_retry_after()
    {
        var keys = redis.NewKeyspace();
        var service = Service(redis, keys, permitLimit: 3, windowSeconds: 60);
        using var limiter = new RedisRateLimiterFactory(service).Create(RateLimitAlgorithm.SlidingLog, "lease-client");

        var leases = new List<RateLimitLease>();
        for (var i = 0; i < 4; i++)
        {
            leases.Add(await limiter.AcquireAsync(1, Ct));
        }

        Assert.Equal([true, true, true, false], leases.Select(l => l.IsAcquired));
        Assert.True(leases[3].TryGetMetadata(MetadataName.RetryAfter, out var retry));
        Assert.InRange(retry, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(60));
        Assert.True(leases[2].TryGetMetadata(RedisRateLimitLease.DecisionMetadata, out var decision));
        Assert.Equal(0, decision!.Remaining);
        Assert.False(leases[0].TryGetMetadata(MetadataName.RetryAfter, out _));
        var stats = limiter.GetStatistics()!;
        Assert.Equal(3, stats.TotalSuccessfulLeases);
        Assert.Equal(1, stats.TotalFailedLeases);
        leases.ForEach(l => l.Dispose());
    }

    [Fact]
    public async Task The_synchronous_attempt_never_admits_and_never_touches_redis()
    {
        var keys = redis.NewKeyspace();
        var service = Service(redis, keys);
        using var limiter = new RedisRateLimiter(service, RateLimitAlgorithm.FixedWindow, "sync-client");

        using var lease = limiter.AttemptAcquire();

        Assert.False(lease.IsAcquired);
        Assert.False(await redis.Multiplexer.GetDatabase().KeyExistsAsync(service.KeyFor(RateLimitAlgorithm.FixedWindow, "sync-client")));
        Assert.Throws<ArgumentOutOfRangeException>(() => limiter.AttemptAcquire(2));
    }

    [Fact]
    public async Task A_partitioned_limiter_gives_each_client_its_own_redis_limit()
    {
        var keys = redis.NewKeyspace();
        var service = Service(redis, keys, permitLimit: 2, windowSeconds: 60);
        using var partitioned = new RedisRateLimiterFactory(service)
            .CreatePartitioned<string>(client => client == "unlimited" ? null : new RedisLimiterKey(RateLimitAlgorithm.TokenBucket, client));

        async Task<int> Admitted(string client, int requests)
        {
            var admitted = 0;
            for (var i = 0; i < requests; i++)
            {
                using var lease = await partitioned.AcquireAsync(client, 1, Ct);
                admitted += lease.IsAcquired ? 1 : 0;
            }

            return admitted;
        }

        Assert.Equal(2, await Admitted("alice", 5));
        Assert.Equal(2, await Admitted("bob", 5));
        Assert.Equal(5, await Admitted("unlimited", 5));
    }

    [Fact]
    public void A_limiter_for_a_bad_partition_cannot_be_created()
    {
        var service = Service(redis, redis.NewKeyspace());

        Assert.Throws<LearnerInputException>(() => new RedisRateLimiter(service, RateLimitAlgorithm.FixedWindow, "bad\nclient"));
    }
}
