using System.Diagnostics;
using BlazorRedis.Core.Caching.CacheAside;
using BlazorRedis.Tests.Core.Caching;
using BlazorRedis.Tests.Infrastructure;
using BlazorRedis.Tests.Infrastructure.Chaos;

namespace BlazorRedis.Tests.Faults;

/// <summary>The caching services built as the app builds them, on a multiplexer wrapped by <see cref="ChaosRedis"/>.</summary>
public class SlowRedisTests(RedisServerFixture redis)
{
    private const int BudgetMs = 200;

    private CachingHarness Harness(ChaosOptions chaos) => CachingHarness.Create(
        redis,
        latencyMs: 20,
        mux: ChaosRedis.Wrap(redis.Multiplexer, chaos),
        settings: new Dictionary<string, string?> { ["Redis:CommandTimeoutMs"] = BudgetMs.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    [Fact]
    public async Task A_cache_read_slower_than_its_budget_falls_back_to_the_database_instead_of_waiting()
    {
        var chaos = new ChaosOptions();
        await using var harness = Harness(chaos);
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(ReadSource.Database, (await harness.Reader.GetAsync(7, cancellationToken: ct)).Value.Source);
        Assert.Equal(ReadSource.Cache, (await harness.Reader.GetAsync(7, cancellationToken: ct)).Value.Source);

        chaos.Delay = TimeSpan.FromSeconds(5);
        var sw = Stopwatch.StartNew();
        var slow = (await harness.Reader.GetAsync(7, cancellationToken: ct)).Value;
        sw.Stop();

        Assert.Equal(ReadSource.Database, slow.Source);
        Assert.False(slow.RedisAvailable);
        Assert.Equal(7, slow.Product?.Id);
        Assert.Equal(harness.Database.Peek(7), slow.Product);

        // Budget (200 ms) + database (20 ms), far from the 5 s Redis would have taken; generous for a busy box.
        Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(BudgetMs - 10), $"returned after {sw.Elapsed}: did it wait for Redis at all?");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3), $"returned after {sw.Elapsed}: it waited for the slow Redis");

        chaos.Reset();
        Assert.Equal(ReadSource.Cache, (await harness.Reader.GetAsync(7, cancellationToken: ct)).Value.Source);
    }

    [Fact]
    public async Task A_slow_list_read_falls_back_to_the_database_and_does_not_wait_to_fill_the_cache()
    {
        var chaos = new ChaosOptions { Delay = TimeSpan.FromSeconds(5) };
        await using var harness = Harness(chaos);

        var sw = Stopwatch.StartNew();
        var read = (await harness.Reader.GetAllAsync(cancellationToken: TestContext.Current.CancellationToken)).Value;
        sw.Stop();

        Assert.Equal(ReadSource.Database, read.Source);
        Assert.Equal(harness.Database.Count, read.Products.Count);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3), $"returned after {sw.Elapsed}");
        chaos.Reset();
        Assert.False(await harness.Db.KeyExistsAsync(harness.CacheKeys.List));
    }

    [Fact]
    public async Task Failing_redis_calls_turn_reads_into_database_reads_with_no_error()
    {
        var chaos = new ChaosOptions { ErrorProbability = 1 };
        await using var harness = Harness(chaos);

        for (var id = 1; id <= 20; id++)
        {
            var read = (await harness.Reader.GetAsync(id, cancellationToken: TestContext.Current.CancellationToken)).Value;
            Assert.Equal(ReadSource.Database, read.Source);
            Assert.Equal(id, read.Product?.Id);
        }
    }
}
