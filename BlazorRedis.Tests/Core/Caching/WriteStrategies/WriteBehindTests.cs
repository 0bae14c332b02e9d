using System.Diagnostics;
using BlazorRedis.Core;
using BlazorRedis.Core.Caching.CacheAside;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.Core.Caching.WriteStrategies;

public class WriteBehindTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ProductInput Input(int i) => new() { Name = $"Queued {i}", Price = 10 + i, Category = "garden", Stock = i };

    private static async Task WaitUntilAsync(Func<bool> condition, int seconds = 20)
    {
        var sw = Stopwatch.StartNew();
        while (!condition() && sw.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_queued_write_is_in_the_cache_at_once_and_in_the_database_after_the_worker()
    {
        await using var h = CachingHarness.Create(redis, latencyMs: 30);
        h.WriteBehind.SetPaused(true);
        await h.Worker.StartAsync(CancellationToken.None);

        var receipt = (await h.WriteBehind.EnqueueAsync(3, Input(1))).Value;
        var cached = (await h.Reader.GetAsync(3, cancellationToken: Ct)).Value;

        Assert.Equal(ReadSource.Cache, cached.Source);
        Assert.Equal("Queued 1", cached.Product!.Name);
        Assert.NotEqual("Queued 1", h.Database.Peek(3)!.Name);

        h.WriteBehind.SetPaused(false);
        await WaitUntilAsync(() => h.Database.AppliedWriteIds.Contains(receipt.EntryId));
        await h.Worker.StopAsync(CancellationToken.None);

        Assert.Equal("Queued 1", h.Database.Peek(3)!.Name);
    }

    [Fact]
    public async Task Queued_writes_survive_a_worker_stop_and_reach_the_database_exactly_once_after_a_restart()
    {
        var keyspace = redis.NewKeyspace();
        var database = new InMemoryProductDatabase(120, TimeSpan.FromMilliseconds(40));
        var entryIds = new List<string>();

        await using (var first = CachingHarness.Create(redis, keyspace: keyspace, database: database, settings: new Dictionary<string, string?> { ["Caching:WriteBehindBatchSize"] = "5" }))
        {
            first.WriteBehind.SetPaused(true);
            for (var i = 1; i <= 20; i++)
            {
                entryIds.Add((await first.WriteBehind.EnqueueAsync(i, Input(i))).Value.EntryId);
            }

            first.WriteBehind.SetPaused(false);
            await first.Worker.StartAsync(CancellationToken.None);
            await WaitUntilAsync(() => database.AppliedWriteIds.Count >= 3);

            // The app stops mid-queue: the worker is cancelled in the middle of a batch.
            await first.Worker.StopAsync(CancellationToken.None);
        }

        var appliedBeforeRestart = database.AppliedWriteIds.Count;
        Assert.InRange(appliedBeforeRestart, 3, 19);

        await using (var second = CachingHarness.Create(redis, keyspace: keyspace, database: database))
        {
            var status = (await second.WriteBehind.GetStatusAsync()).Value;
            Assert.True(status.QueueLength > 0);
            Assert.True(status.Pending > 0, "entries read but not acknowledged must still be pending");

            await second.Worker.StartAsync(CancellationToken.None);
            await WaitUntilAsync(() => database.AppliedWriteIds.Count >= 20);
            await WaitUntilAsync(() => second.WriteBehind.GetStatusAsync().Result.Value.QueueLength == 0);
            await second.Worker.StopAsync(CancellationToken.None);

            Assert.Equal(0, (await second.WriteBehind.GetStatusAsync()).Value.QueueLength);
        }

        Assert.Equal(entryIds.Order(), database.AppliedWriteIds.Order());
        Assert.Equal(20, database.AppliedWriteIds.Distinct().Count());
        foreach (var i in Enumerable.Range(1, 20))
        {
            Assert.Equal($"Queued {i}", database.Peek(i)!.Name);
        }
    }

    [Fact]
    public async Task A_replayed_entry_is_applied_only_once()
    {
        var database = new InMemoryProductDatabase(100, TimeSpan.Zero);
        var write = new QueuedProductWrite(5, Input(5), DateTimeOffset.UtcNow);

        Assert.True(await database.ApplyQueuedWriteAsync("1-0", write, cancellationToken: Ct));
        Assert.False(await database.ApplyQueuedWriteAsync("1-0", write, cancellationToken: Ct));

        Assert.Single(database.AppliedWriteIds);
        Assert.Equal(1, database.Writes);
    }

    [Fact]
    public async Task Status_shows_the_queue_length_and_the_lag_while_the_worker_is_paused()
    {
        await using var h = CachingHarness.Create(redis);
        h.WriteBehind.SetPaused(true);
        await h.WriteBehind.EnqueueAsync(1, Input(1));
        await h.WriteBehind.EnqueueAsync(2, Input(2));
        await Task.Delay(50, Ct);

        var status = await h.WriteBehind.GetStatusAsync();

        Assert.Equal(2, status.Value.QueueLength);
        Assert.Equal(2, status.Value.Undelivered);
        Assert.True(status.Value.OldestWaiting >= TimeSpan.FromMilliseconds(40), $"lag {status.Value.OldestWaiting}");
        Assert.True(status.Value.WorkerPaused);
        Assert.Contains("XINFO", status.Trace.WireNames);
    }

    [Fact]
    public async Task Enqueue_refuses_an_unknown_product_or_bad_values_and_queues_nothing()
    {
        await using var h = CachingHarness.Create(redis);

        await Assert.ThrowsAsync<LearnerInputException>(() => h.WriteBehind.EnqueueAsync(99_999, Input(1)));
        await Assert.ThrowsAsync<ProductValidationException>(() => h.WriteBehind.EnqueueAsync(1, new ProductInput { Name = "" }));

        Assert.Equal(0, await h.Db.StreamLengthAsync(h.CacheKeys.WriteBehindStream));
    }
}
