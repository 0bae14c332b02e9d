using System.Threading.RateLimiting;
using BlazorRedis.App.Api;
using Microsoft.AspNetCore.Http;

namespace BlazorRedis.Tests.App.Api;

/// <summary>The global limiter asks the partitioned Redis limiter only for endpoints marked as Redis-limited.</summary>
public sealed class LeaseCapturingLimiterTests
{
    private int _partitioned;

    private PartitionedRateLimiter<HttpContext> CountingInner() => PartitionedRateLimiter.Create<HttpContext, string>(_ =>
    {
        Interlocked.Increment(ref _partitioned);
        return RateLimitPartition.GetNoLimiter("all");
    });

    private static DefaultHttpContext Request(params object[] metadata)
    {
        var context = new DefaultHttpContext();
        context.SetEndpoint(new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(metadata), "test"));
        return context;
    }

    [Fact]
    public async Task A_request_to_an_endpoint_no_limiter_guards_is_let_through_without_touching_the_partitioned_limiter()
    {
        using var limiter = new RateLimitApi.LeaseCapturingLimiter(CountingInner());
        var context = Request();

        using var attempted = limiter.AttemptAcquire(context);
        using var acquired = await limiter.AcquireAsync(context, cancellationToken: TestContext.Current.CancellationToken);
        using var noEndpoint = limiter.AttemptAcquire(new DefaultHttpContext());

        Assert.True(attempted.IsAcquired);
        Assert.True(acquired.IsAcquired);
        Assert.True(noEndpoint.IsAcquired);
        Assert.Empty(attempted.MetadataNames);
        Assert.False(attempted.TryGetMetadata(MetadataName.RetryAfter.Name, out _));
        Assert.Equal(0, _partitioned);
        Assert.Null(context.Features.Get<RateLimitApi.RateLimitLeaseFeature>());
    }

    [Fact]
    public async Task A_request_to_a_redis_limited_endpoint_goes_to_the_partitioned_limiter()
    {
        using var limiter = new RateLimitApi.LeaseCapturingLimiter(CountingInner());
        var context = Request(new RateLimitApi.RedisRateLimitedEndpoint());

        using var attempted = limiter.AttemptAcquire(context);
        using var acquired = await limiter.AcquireAsync(context, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(attempted.IsAcquired);
        Assert.Equal(2, _partitioned);
    }
}
