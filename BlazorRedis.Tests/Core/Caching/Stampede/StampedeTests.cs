using BlazorRedis.Core;
using BlazorRedis.Core.Caching;
using BlazorRedis.Core.Caching.Stampede;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.Core.Caching.Stampede;

public class StampedeTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_the_lock_1000_concurrent_cold_readers_cause_exactly_one_database_load()
    {
        await using var h = CachingHarness.Create(redis, latencyMs: 100);

        var result = (await h.Stampede.RunAsync(StampedeProtection.Lock, 1000, cancellationToken: Ct)).Value;

        Assert.Equal(1, result.DatabaseLoads);
        Assert.Equal(1, h.Database.Loads);
        Assert.Equal("cold", result.Scenario);
        Assert.True(result.LockWaits > 0);
    }

    [Fact]
    public async Task Without_protection_concurrent_cold_readers_load_many_times()
    {
        await using var h = CachingHarness.Create(redis, latencyMs: 100);

        var result = (await h.Stampede.RunAsync(StampedeProtection.None, 200, cancellationToken: Ct)).Value;

        Assert.True(result.DatabaseLoads > 1, $"{result.DatabaseLoads} loads");
        Assert.Equal(result.DatabaseLoads, h.Database.Loads);
    }

    [Fact]
    public async Task Coalescing_shares_one_load_between_the_readers_of_this_process()
    {
        await using var h = CachingHarness.Create(redis, latencyMs: 100);

        var result = (await h.Stampede.RunAsync(StampedeProtection.Coalescing, 500, cancellationToken: Ct)).Value;

        Assert.Equal(1, result.DatabaseLoads);
    }

    [Fact]
    public async Task XFetch_recomputes_before_expiry_with_far_fewer_loads_than_readers()
    {
        await using var h = CachingHarness.Create(redis, latencyMs: 50);

        var result = (await h.Stampede.RunAsync(StampedeProtection.XFetch, 300, cancellationToken: Ct)).Value;

        Assert.Equal("expiring", result.Scenario);
        Assert.Equal(1, result.WarmupLoads);
        Assert.InRange(result.DatabaseLoads, 1, 299);
    }

    [Fact]
    public async Task Under_XFetch_only_the_readers_that_recompute_wait_and_the_median_reader_waits_nothing()
    {
        await using var h = CachingHarness.Create(redis, latencyMs: 50);

        var result = (await h.Stampede.RunAsync(StampedeProtection.XFetch, 1000, cancellationToken: Ct)).Value;

        // XFetch promises no miss and few early loads, not exactly one: each load is one reader that waited for it.
        Assert.Equal(result.DatabaseLoads, result.ReadersWaited);
        Assert.InRange(result.ReadersWaited, 0, 100);
        Assert.Equal(0, result.WaitP50Ms);
        Assert.True(result.ReadersWaited == 0 || result.WaitMaxMs >= 40, $"a recomputing reader waits about one load (50 ms), not {result.WaitMaxMs} ms");
        Assert.True(result.Elapsed.TotalMilliseconds > result.WaitMaxMs, "the total time is the readers' spread-out arrival, longer than any wait");
    }

    [Fact]
    public async Task Cold_readers_all_wait_for_a_load_without_protection_and_with_the_lock()
    {
        await using var h = CachingHarness.Create(redis, latencyMs: 50);

        var none = (await h.Stampede.RunAsync(StampedeProtection.None, 50, cancellationToken: Ct)).Value;
        var locked = (await h.Stampede.RunAsync(StampedeProtection.Lock, 50, cancellationToken: Ct)).Value;

        Assert.Equal(none.DatabaseLoads, none.ReadersWaited); // without protection, every reader that waited loaded itself
        Assert.True(none.WaitP50Ms >= 40, $"median wait {none.WaitP50Ms} ms");
        Assert.Equal(locked.LockWaits + 1, locked.ReadersWaited); // one loader, the others waited for its load
        Assert.True(locked.WaitMaxMs >= 40, $"longest wait {locked.WaitMaxMs} ms");
    }

    [Fact]
    public async Task The_race_key_is_removed_afterwards_and_the_trace_shows_the_lock()
    {
        await using var h = CachingHarness.Create(redis, latencyMs: 20);

        var race = await h.Stampede.RunAsync(StampedeProtection.Lock, 1, cancellationToken: Ct);

        Assert.False(await h.Db.KeyExistsAsync(race.Value.Key));
        // A lone reader misses, takes the lock, checks again, loads, fills and releases.
        Assert.Equal(["GET", "SET", "GET", "SETEX"], race.Trace.WireNames.Take(4).ToArray());
        Assert.Contains(race.Trace.Commands, c => c.Text.Contains(" NX PX ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("none", true, StampedeProtection.None)]
    [InlineData("LOCK", true, StampedeProtection.Lock)]
    [InlineData("coalescing", true, StampedeProtection.Coalescing)]
    [InlineData("xfetch", true, StampedeProtection.XFetch)]
    [InlineData("magic", false, StampedeProtection.None)]
    [InlineData("2", false, StampedeProtection.None)]
    [InlineData("", false, StampedeProtection.None)]
    public void Protection_names_parse(string name, bool ok, StampedeProtection expected)
    {
        Assert.Equal(ok, StampedeRace.TryParseProtection(name, out var protection));
        Assert.Equal(expected, protection);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(StampedeRace.MaxRequests + 1)]
    public async Task Out_of_range_request_counts_are_refused(int requests)
    {
        await using var h = CachingHarness.Create(redis);

        await Assert.ThrowsAsync<LearnerInputException>(() => h.Stampede.RunAsync(StampedeProtection.Lock, requests, cancellationToken: Ct));
        Assert.Equal(0, h.Database.Loads);
    }
}
