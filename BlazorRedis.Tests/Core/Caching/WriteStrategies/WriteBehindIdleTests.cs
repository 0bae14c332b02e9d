using System.Diagnostics;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.Core.Caching.WriteStrategies;

/// <summary>
/// What the write-behind worker sends while it has nothing to do, counted by a redis-server of the test's own
/// (INFO commandstats: nothing else talks to it). Polling is the design (the multiplexer has no blocking reads); a
/// poll costs one command, and one that Redis refuses at every poll is not one.
/// </summary>
public class WriteBehindIdleTests(RedisServerFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_idle_worker_with_no_stream_polls_with_one_command_and_sends_xgroup_create_once_then_applies_the_first_write()
    {
        await using var redis = await PrivateRedis.StartAsync();
        await using var mux = await redis.ConnectAsync();
        await using var h = CachingHarness.Create(fixture, latencyMs: 0, mux: mux, tracer: new RedisTracer(mux));
        var before = await redis.CommandCallsAsync();
        await h.Worker.StartAsync(Ct);

        // Twenty polls (20 ms each), whatever each sends.
        await WaitUntilAsync(async () => Sent(before, await redis.CommandCallsAsync()) >= 20);
        var idle = await redis.CommandCallsAsync();

        Assert.Equal(1, Calls(idle, "xgroup|create") - Calls(before, "xgroup|create"));
        Assert.Equal(0, Calls(idle, "xreadgroup") - Calls(before, "xreadgroup"));
        Assert.Equal(0, Calls(idle, "xautoclaim") - Calls(before, "xautoclaim"));
        Assert.Equal(Sent(before, idle) - 1, Calls(idle, "exists") - Calls(before, "exists"));

        // The first write makes the stream; the next poll gives it its group from id 0, and the write is applied.
        var receipt = (await h.WriteBehind.EnqueueAsync(3, new ProductInput { Name = "First", Price = 1, Category = "toys", Stock = 1 })).Value;
        await WaitUntilAsync(() => Task.FromResult(h.Database.AppliedWriteIds.Contains(receipt.WriteId)));
        var applied = await redis.CommandCallsAsync();

        // Now polls read the stream (XREADGROUP) and XGROUP CREATE is not sent again.
        await WaitUntilAsync(async () => Calls(await redis.CommandCallsAsync(), "xreadgroup") - Calls(applied, "xreadgroup") >= 20);
        var reading = await redis.CommandCallsAsync();
        await h.Worker.StopAsync(Ct);

        Assert.Equal("First", h.Database.Peek(3)!.Name);
        Assert.Equal(Calls(applied, "xgroup|create"), Calls(reading, "xgroup|create"));
        Assert.Equal(Calls(applied, "exists"), Calls(reading, "exists"));
    }

    // Commands the worker sent: every call since the snapshot, but the INFO that reads the count.
    private static long Sent(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        after.Where(c => c.Key != "info").Sum(c => c.Value - Calls(before, c.Key));

    private static long Calls(IReadOnlyDictionary<string, long> stats, string name) => stats.GetValueOrDefault(name);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var sw = Stopwatch.StartNew();
        while (!await condition() && sw.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20, Ct);
        }

        Assert.True(await condition(), "waited 30 s");
    }
}
