using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Core.Tracing;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using static BlazorRedis.Tests.Core.RateLimiting.RateLimitTestHelpers;

namespace BlazorRedis.Tests.Core.RateLimiting;

/// <summary>The limiter pointed at a closed loopback port: Redis is unreachable from the first request.</summary>
public sealed class RateLimitFailureModeTests : IAsyncLifetime
{
    private ConnectionMultiplexer _mux = null!;
    private RedisTracer _tracer = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var options = ConfigurationOptions.Parse($"127.0.0.1:{EmbeddedRedisServer.FreeLoopbackPort()}");
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 200;
        options.AsyncTimeout = 300;
        options.SyncTimeout = 300;
        options.ConnectRetry = 0;
        _mux = await ConnectionMultiplexer.ConnectAsync(options);
        _tracer = new RedisTracer(_mux);
    }

    public async ValueTask DisposeAsync() => await _mux.DisposeAsync();

    [Fact]
    public async Task Fail_open_allows_every_request_and_logs_the_outage_once()
    {
        var logger = new ListLogger<RedisRateLimitService>();
        var service = Service(_mux, _tracer, new RedisKeyspace("brdown:"), failOpen: true, logger: logger, redisTimeoutMs: 200);
        var changes = new List<RateLimiterHealth>();
        service.HealthChanged += changes.Add;

        var decisions = new List<RateLimitDecision>();
        for (var i = 0; i < 15; i++)
        {
            decisions.Add((await service.CheckAsync(RateLimitAlgorithm.FixedWindow, "client", Ct)).Value);
        }

        Assert.All(decisions, d =>
        {
            Assert.True(d.Allowed);
            Assert.Equal(DecisionSource.FailedOpen, d.Source);
            Assert.Null(d.ServerTime);
        });
        Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("failing open", logger.Entries[0].Message, StringComparison.Ordinal);
        Assert.False(service.Health.RedisReachable);
        Assert.Equal(15, service.Health.DecisionsWithoutRedis);
        Assert.Single(changes);
    }

    [Fact]
    public async Task Fail_closed_rejects_every_request_with_a_retry_after()
    {
        var logger = new ListLogger<RedisRateLimitService>();
        var service = Service(_mux, _tracer, new RedisKeyspace("brdown:"), failOpen: false, logger: logger, redisTimeoutMs: 200);

        var decisions = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => service.CheckAsync(RateLimitAlgorithm.TokenBucket, "client", Ct)));

        Assert.All(decisions, d =>
        {
            Assert.False(d.Value.Allowed);
            Assert.Equal(DecisionSource.FailedClosed, d.Value.Source);
            Assert.Equal(1, d.Value.RetryAfterSeconds);
            Assert.Contains(d.Trace.Commands, c => c.Failed);
        });
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("failing closed", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_rate_limiter_lease_reports_a_fail_closed_rejection_with_retry_after()
    {
        var service = Service(_mux, _tracer, new RedisKeyspace("brdown:"), failOpen: false, redisTimeoutMs: 200);
        using var limiter = new RedisRateLimiter(service, RateLimitAlgorithm.SlidingLog, "client");

        using var lease = await limiter.AcquireAsync(1, Ct);

        Assert.False(lease.IsAcquired);
        Assert.True(lease.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out var retry));
        Assert.Equal(TimeSpan.FromSeconds(1), retry);
        Assert.True(lease.TryGetMetadata(RedisRateLimitLease.DecisionMetadata, out var decision));
        Assert.Equal(DecisionSource.FailedClosed, decision!.Source);
    }
}
