using BlazorRedis.Core.Caching.LoadGeneration;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.Core.Caching.LoadGeneration;

public class LoadGeneratorTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class Collect<T> : IProgress<T>
    {
        public List<T> Items { get; } = [];

        public void Report(T value)
        {
            lock (Items)
            {
                Items.Add(value);
            }
        }
    }

    [Fact]
    public async Task A_cached_zipf_run_measures_hits_loads_and_percentiles()
    {
        await using var h = CachingHarness.Create(redis, latencyMs: 5);
        var progress = new Collect<LoadProgress>();

        var result = await h.Load.RunAsync(new LoadRequest(400, 8, 20, KeyDistribution.Zipf, Cached: true, WriteRatio: 0), progress, cancellationToken: Ct);

        Assert.Equal(400, result.Completed);
        Assert.False(result.Cancelled);
        Assert.Equal(400, result.CacheHits + result.DatabaseLoads);
        Assert.InRange(result.DatabaseLoads, 1, 100); // misses happen only until each product is cached
        Assert.Equal(result.DatabaseLoads, h.Database.Loads);
        Assert.True(result.HitRate > 50);
        Assert.True(result.P50Ms <= result.P95Ms && result.P95Ms <= result.P99Ms);
        Assert.True(result.RequestsPerSecond > 0);
        Assert.Contains(progress.Items, p => p.Completed == 400);
    }

    [Fact]
    public async Task An_uncached_run_loads_the_database_for_every_read()
    {
        await using var h = CachingHarness.Create(redis, latencyMs: 2);

        var result = await h.Load.RunAsync(new LoadRequest(60, 4, 10, KeyDistribution.Uniform, Cached: false, WriteRatio: 0), cancellationToken: Ct);

        Assert.Equal(60, result.DatabaseLoads);
        Assert.Equal(0, result.CacheHits);
        Assert.Equal(0, result.HitRate);
    }

    [Fact]
    public async Task A_read_write_mix_writes_to_the_database()
    {
        await using var h = CachingHarness.Create(redis, latencyMs: 1);

        var result = await h.Load.RunAsync(new LoadRequest(200, 4, 10, KeyDistribution.Uniform, Cached: true, WriteRatio: 0.5), cancellationToken: Ct);

        Assert.True(result.Writes > 0);
        Assert.Equal(result.Writes, h.Database.Writes);
        Assert.Equal(200, result.Writes + result.CacheHits + result.DatabaseLoads);
    }

    [Fact]
    public async Task Cancelling_stops_the_run_and_reports_what_was_measured()
    {
        await using var h = CachingHarness.Create(redis, latencyMs: 20);
        using var cts = new CancellationTokenSource();
        var progress = new Collect<LoadProgress>();
        var run = h.Load.RunAsync(new LoadRequest(100_000, 4, 100, KeyDistribution.Uniform, Cached: false, WriteRatio: 0), progress, cts.Token);
        // Four workers, one read at a time each: a fifth database load means some worker finished a request.
        for (var waited = 0; h.Database.Loads < 5 && waited < 300; waited++)
        {
            await Task.Delay(100, Ct);
        }

        await cts.CancelAsync();
        var result = await run;

        Assert.True(result.Cancelled);
        Assert.InRange(result.Completed, 1, 99_999);
    }

    [Fact]
    public async Task A_run_stops_at_its_time_limit_and_reports_what_it_measured()
    {
        // 1,000 uncached reads one at a time at 100 ms each would take 100 s; the limit is 1 s.
        await using var h = CachingHarness.Create(redis, latencyMs: 100);

        var result = await h.Load.RunAsync(new LoadRequest(1000, 1, 10, KeyDistribution.Uniform, Cached: false, WriteRatio: 0) { TimeLimit = TimeSpan.FromSeconds(1) }, cancellationToken: Ct);

        Assert.True(result.StoppedAtTimeLimit);
        Assert.False(result.Cancelled); // nobody cancelled it
        Assert.InRange(result.Completed, 1, 999);
        Assert.Equal(result.Completed, result.DatabaseLoads);
    }

    [Fact]
    public async Task Progress_is_reported_by_time_even_before_the_first_request_finishes()
    {
        // Each read waits 3 s for the database and the run stops after 1.5 s: no request finishes, yet the clock moves.
        await using var h = CachingHarness.Create(redis, latencyMs: 3000);
        var progress = new Collect<LoadProgress>();

        var result = await h.Load.RunAsync(new LoadRequest(10, 1, 10, KeyDistribution.Uniform, Cached: false, WriteRatio: 0) { TimeLimit = TimeSpan.FromSeconds(1.5) }, progress, Ct);

        Assert.Equal(0, result.Completed);
        Assert.True(result.StoppedAtTimeLimit);
        lock (progress.Items)
        {
            Assert.Contains(progress.Items, p => p.Completed == 0 && p.Elapsed > TimeSpan.Zero && p.Total == 10);
        }
    }

    [Fact]
    public async Task A_run_that_finishes_within_its_time_limit_is_not_stopped()
    {
        await using var h = CachingHarness.Create(redis, latencyMs: 1);

        var result = await h.Load.RunAsync(new LoadRequest(50, 4, 10, KeyDistribution.Uniform, Cached: true, WriteRatio: 0) { TimeLimit = TimeSpan.FromMinutes(5) }, cancellationToken: Ct);

        Assert.Equal(50, result.Completed);
        Assert.False(result.StoppedAtTimeLimit);
        Assert.False(result.Cancelled);
    }

    [Fact]
    public void The_uncached_estimate_is_requests_times_latency_over_concurrency()
    {
        // The review's run: 100,000 requests one at a time at 2,000 ms is about 55 hours.
        var slow = new LoadRequest(100_000, 1, 10, KeyDistribution.Uniform, Cached: false, WriteRatio: 0);
        Assert.Equal(TimeSpan.FromSeconds(200_000), slow.UncachedEstimate(TimeSpan.FromMilliseconds(2000)));
        Assert.Equal(TimeSpan.FromMilliseconds(300), (slow with { Requests = 7, Concurrency = 3 }).UncachedEstimate(TimeSpan.FromMilliseconds(100)));
    }

    [Theory]
    [InlineData(0, 1, 10, 0.0)]
    [InlineData(10, 0, 10, 0.0)]
    [InlineData(10, 1, 0, 0.0)]
    [InlineData(10, 1, 100_000, 0.0)]
    [InlineData(10, 1, 10, 0.9)]
    [InlineData(10, 1, 10, double.NaN)]
    public async Task Bad_settings_are_refused_before_any_request(int requests, int concurrency, int products, double writes)
    {
        await using var h = CachingHarness.Create(redis);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => h.Load.RunAsync(new LoadRequest(requests, concurrency, products, KeyDistribution.Uniform, true, writes), cancellationToken: Ct));
        Assert.Equal(0, h.Database.Loads);
    }

    [Fact]
    public void Zipf_picks_the_first_products_far_more_often()
    {
        var picker = new LoadGenerator.ProductPicker(100, KeyDistribution.Zipf);
        var counts = new int[101];
        for (var i = 0; i < 20_000; i++)
        {
            counts[picker.Next()]++;
        }

        Assert.True(counts[1] > 10 * counts[50], $"first {counts[1]}, fiftieth {counts[50]}");
        Assert.Equal(0, counts[0]);
    }
}
