using System.Diagnostics;
using BlazorRedis.Core.Caching.Libraries;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Faults;

/// <summary>
/// The learners' libraries lab (<c>/caching/libraries</c>) on a Redis that is connected but does not answer
/// (<c>CLIENT PAUSE</c> on the test's own server): its HybridCache and FusionCache hold their Redis L2 to the app's
/// command budget, as the API's do, so a read takes the budget and the database, not the client's 5 s per L2 call.
/// </summary>
public class SlowLibrariesLabTests
{
    [Theory]
    [InlineData(CacheLibrary.Hybrid)]
    [InlineData(CacheLibrary.Fusion)]
    public async Task While_redis_is_paused_a_lab_read_waits_at_most_the_command_budget_for_each_l2_call(CacheLibrary library)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await PrivateRedis.StartAsync();
        await using var mux = await redis.ConnectAsync(o => o.AllowAdmin = true);
        var factory = new LibrariesLabFactory(mux, new RedisKeyspace("slowlab:"), Options.Create(new LibrariesOptions { DatabaseLatencyMs = 0 }), new RedisCommandBudget(mux, TimeSpan.FromMilliseconds(200)));
        await using var lab = await factory.CreateAsync(LearnerId.New());

        await redis.PauseAsync(TimeSpan.FromSeconds(8));
        var clock = Stopwatch.StartNew();
        var read = await Record.ExceptionAsync(() => lab.ReadAsync(library, 3, cancellationToken: ct));
        clock.Stop();

        Assert.True(read is null || RedisFailures.IsUnavailable(read), read?.ToString());
        // The budget is 0.2 s; the client's own timeout, which each L2 call waited out before, is 5 s.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"{library} read took {clock.Elapsed.TotalSeconds:0.0} s; the budget is 200 ms");
    }

    /// <summary>
    /// Our hand-written cache-aside is held to the same budget: its GET (everything paused) or its SETEX after a miss
    /// (only writes paused) fails past 0.2 s with the budget's timeout, which the page shows as the library paths'
    /// failures are shown, instead of waiting out the client's 5 s.
    /// </summary>
    [Theory]
    [InlineData("ALL")]
    [InlineData("WRITE")]
    public async Task While_redis_is_paused_our_cache_aside_read_fails_within_the_command_budget(string paused)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await PrivateRedis.StartAsync();
        await using var mux = await redis.ConnectAsync(o => o.AllowAdmin = true);
        var factory = new LibrariesLabFactory(mux, new RedisKeyspace("slowlab:"), Options.Create(new LibrariesOptions { DatabaseLatencyMs = 0 }), new RedisCommandBudget(mux, TimeSpan.FromMilliseconds(200)));
        await using var lab = await factory.CreateAsync(LearnerId.New());

        await redis.PauseAsync(TimeSpan.FromSeconds(8), paused);
        var clock = Stopwatch.StartNew();
        var read = await Record.ExceptionAsync(() => lab.ReadAsync(CacheLibrary.HandWritten, 3, cancellationToken: ct));
        clock.Stop();

        // The budget's own timeout: the message the page shows for a library read past the budget.
        Assert.IsType<TimeoutException>(read);
        Assert.True(RedisFailures.IsUnavailable(read));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"our cache-aside read took {clock.Elapsed.TotalSeconds:0.0} s; the budget is 200 ms");
    }
}
