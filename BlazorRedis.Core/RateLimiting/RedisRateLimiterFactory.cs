using System.Threading.RateLimiting;

namespace BlazorRedis.Core.RateLimiting;

/// <summary>One client of one algorithm: the partition key of a <see cref="PartitionedRateLimiter{TResource}"/>.</summary>
/// <param name="Algorithm">The algorithm whose script decides.</param>
/// <param name="Partition">The client.</param>
/// <param name="Rule">A rule of its own (null: the configured rule).</param>
public readonly record struct RedisLimiterKey(RateLimitAlgorithm Algorithm, string Partition, RateLimitRule? Rule = null);

/// <summary>Creates <see cref="RedisRateLimiter"/>s, alone or partitioned by client.</summary>
public sealed class RedisRateLimiterFactory(IRateLimitService service)
{
    /// <summary>The limiter of one client for one algorithm.</summary>
    public RedisRateLimiter Create(RateLimitAlgorithm algorithm, string partition, RateLimitRule? rule = null) => new(service, algorithm, partition, rule);

    /// <summary>
    /// A limiter that picks the client's <see cref="RedisRateLimiter"/> from each resource (e.g. a request);
    /// resources that <paramref name="partitioner"/> maps to null are not limited. Idle clients' limiter
    /// objects are dropped by the BCL after a while; their counters stay in Redis until they expire.
    /// </summary>
    public PartitionedRateLimiter<TResource> CreatePartitioned<TResource>(Func<TResource, RedisLimiterKey?> partitioner)
    {
        ArgumentNullException.ThrowIfNull(partitioner);
        return PartitionedRateLimiter.Create<TResource, RedisLimiterKey>(resource => partitioner(resource) is { } key
            ? RateLimitPartition.Get(key, k => Create(k.Algorithm, k.Partition, k.Rule))
            : RateLimitPartition.GetNoLimiter(default(RedisLimiterKey)));
    }
}
