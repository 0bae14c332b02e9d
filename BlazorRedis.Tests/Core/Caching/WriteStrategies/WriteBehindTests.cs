using System.Diagnostics;
using System.Text.Json;
using BlazorRedis.Core;
using BlazorRedis.Core.Caching;
using BlazorRedis.Core.Caching.CacheAside;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.WriteStrategies;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Caching.WriteStrategies;

/// <summary>Write-behind on "the database" in this process; <see cref="WriteBehindOnSharedDatabaseTests"/> runs the same tests on the one in Redis.</summary>
public class WriteBehindTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>True to run every test on the database in Redis (<c>ScaleOut:SharedDatabase</c>) instead of in memory.</summary>
    protected virtual bool SharedDatabase => false;

    private CachingHarness Harness(int latencyMs = 20, RedisKeyspace? keyspace = null, IProductDatabase? database = null, IDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var values = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["ScaleOut:SharedDatabase"] = SharedDatabase ? "true" : "false" };
        return CachingHarness.Create(redis, latencyMs: latencyMs, keyspace: keyspace, database: database, settings: values, time: time);
    }

    /// <summary>A database of <paramref name="count"/> products that a test shares across "restarts" of the app.</summary>
    private IProductDatabase NewDatabase(RedisKeyspace keyspace, int count, int latencyMs) => SharedDatabase
        ? new RedisProductDatabase(redis.Multiplexer, keyspace, new RedisCommandBudget(redis.Multiplexer, TimeSpan.FromSeconds(5)), Options.Create(new CatalogOptions { ProductCount = count, DatabaseLatencyMs = latencyMs }))
        : new InMemoryProductDatabase(count, TimeSpan.FromMilliseconds(latencyMs));

    private static StreamEntry QueuedEntry(string entryId, string writeId, int productId, string name) => new(entryId,
    [
        new("write", JsonSerializer.Serialize(new QueuedProductWrite(productId, new ProductInput { Name = name, Price = 1, Category = "garden", Stock = 1 }, DateTimeOffset.UtcNow), CachingJsonContext.Default.QueuedProductWrite)),
        new(WriteBehindService.WriteIdField, writeId),
    ]);

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
        await using var h = Harness(latencyMs: 30);
        h.WriteBehind.SetPaused(true);
        await h.Worker.StartAsync(CancellationToken.None);

        var receipt = (await h.WriteBehind.EnqueueAsync(3, Input(1))).Value;
        var cached = (await h.Reader.GetAsync(3, cancellationToken: Ct)).Value;

        Assert.Equal(ReadSource.Cache, cached.Source);
        Assert.Equal("Queued 1", cached.Product!.Name);
        Assert.NotEqual("Queued 1", h.Database.Peek(3)!.Name);

        h.WriteBehind.SetPaused(false);
        await WaitUntilAsync(() => h.Database.AppliedWriteIds.Contains(receipt.WriteId));
        await h.Worker.StopAsync(CancellationToken.None);

        Assert.Equal("Queued 1", h.Database.Peek(3)!.Name);
    }

    [Fact]
    public async Task Queued_writes_survive_a_worker_stop_and_reach_the_database_exactly_once_after_a_restart()
    {
        var keyspace = redis.NewKeyspace();
        var database = NewDatabase(keyspace, 120, 40);
        var entryIds = new List<string>();

        await using (var first = Harness(keyspace: keyspace, database: database, settings: new Dictionary<string, string?> { ["Caching:WriteBehindBatchSize"] = "5", ["Caching:WriteBehindParallelism"] = "1" }))
        {
            first.WriteBehind.SetPaused(true);
            for (var i = 1; i <= 20; i++)
            {
                entryIds.Add((await first.WriteBehind.EnqueueAsync(i, Input(i))).Value.WriteId);
            }

            first.WriteBehind.SetPaused(false);
            await first.Worker.StartAsync(CancellationToken.None);
            await WaitUntilAsync(() => database.AppliedWriteIds.Count >= 3);

            // The app stops mid-queue: the worker is cancelled in the middle of a batch.
            await first.Worker.StopAsync(CancellationToken.None);
        }

        var appliedBeforeRestart = database.AppliedWriteIds.Count;
        Assert.InRange(appliedBeforeRestart, 3, 19);

        await using (var second = Harness(keyspace: keyspace, database: database))
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
        var database = NewDatabase(redis.NewKeyspace(), 100, 0);
        var write = new QueuedProductWrite(5, Input(5), DateTimeOffset.UtcNow);

        Assert.True(await database.ApplyQueuedWriteAsync("1-0", write, cancellationToken: Ct));
        Assert.False(await database.ApplyQueuedWriteAsync("1-0", write, cancellationToken: Ct));

        Assert.Single(database.AppliedWriteIds);
        Assert.Equal(1, database.Writes);
    }

    [Fact]
    public async Task A_write_delivered_again_under_another_entry_id_is_applied_once()
    {
        await using var h = Harness(latencyMs: 0);
        var wid = Guid.NewGuid().ToString("N");

        // Re-queued after its acknowledgement was lost: a new entry id, the same write.
        var first = await h.WriteBehind.ApplyAsync([QueuedEntry("1000-0", wid, 9, "Once")], Ct);
        var again = await h.WriteBehind.ApplyAsync([QueuedEntry("2000-0", wid, 9, "Once")], Ct);

        Assert.Equal(1, first.Applied);
        Assert.Equal(0, again.Applied);
        Assert.Equal(1, h.Database.Writes);
        Assert.Equal("Once", h.Database.Peek(9)!.Name);
    }

    [Fact]
    public async Task Another_write_given_an_applied_writes_entry_id_by_a_remade_stream_is_applied()
    {
        await using var h = Harness(latencyMs: 0);

        // Redis lost the stream after the first write was applied; the remade stream gives its entry id to another write.
        await h.WriteBehind.ApplyAsync([QueuedEntry("1000-0", Guid.NewGuid().ToString("N"), 9, "Before the loss")], Ct);
        var other = await h.WriteBehind.ApplyAsync([QueuedEntry("1000-0", Guid.NewGuid().ToString("N"), 10, "After the loss")], Ct);

        Assert.Equal(1, other.Applied);
        Assert.Equal("After the loss", h.Database.Peek(10)!.Name);
    }

    [Fact]
    public async Task Status_shows_the_queue_length_and_the_lag_while_the_worker_is_paused()
    {
        await using var h = Harness();
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
        await using var h = Harness();

        await Assert.ThrowsAsync<LearnerInputException>(() => h.WriteBehind.EnqueueAsync(99_999, Input(1)));
        await Assert.ThrowsAsync<ProductValidationException>(() => h.WriteBehind.EnqueueAsync(1, new ProductInput { Name = "" }));

        Assert.Equal(0, await h.Db.StreamLengthAsync(h.CacheKeys.WriteBehindStream));
    }

    [Fact]
    public async Task A_full_queue_refuses_new_writes_and_never_drops_an_accepted_one()
    {
        // Before the bound, XADD MAXLEN ~ 10000 trimmed unapplied entries: 10,500 accepted, about 10,000 applied.
        await using var h = Harness(latencyMs: 0);
        h.WriteBehind.SetPaused(true, "a test");
        var max = h.WriteBehind.MaxQueue;
        Assert.Equal(10_000, max);
        var accepted = new System.Collections.Concurrent.ConcurrentBag<string>();
        var refused = 0;
        var next = 0;
        await Parallel.ForAsync(0, 16, Ct, async (_, _) =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) <= max + 500)
            {
                try
                {
                    accepted.Add((await h.WriteBehind.EnqueueAsync((i % 100) + 1, Input(i))).Value.WriteId);
                }
                catch (WriteBehindQueueFullException ex)
                {
                    Assert.Contains("queue is full", ex.Message, StringComparison.Ordinal);
                    Assert.True(ex.RetryAfter >= TimeSpan.FromSeconds(1));
                    Interlocked.Increment(ref refused);
                }
            }
        });

        Assert.Equal(max, accepted.Count);
        Assert.Equal(500, refused);
        Assert.Equal(max, await h.Db.StreamLengthAsync(h.CacheKeys.WriteBehindStream));

        h.WriteBehind.SetPaused(false);
        await h.Worker.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => h.Database.AppliedWriteIds.Count >= max, seconds: 60);
        await h.Worker.StopAsync(CancellationToken.None);

        Assert.Equal(accepted.Order(StringComparer.Ordinal), h.Database.AppliedWriteIds.Order(StringComparer.Ordinal));

        // Applied entries leave the stream: it holds only what still waits, so the bound counts exactly that.
        Assert.Equal(0, await h.Db.StreamLengthAsync(h.CacheKeys.WriteBehindStream));
        Assert.Equal(0, (await h.WriteBehind.GetStatusAsync()).Value.QueueLength);
    }

    [Fact]
    public async Task A_refused_write_changes_neither_the_cache_nor_the_queue()
    {
        await using var h = Harness(settings: new Dictionary<string, string?> { ["Caching:WriteBehindMaxQueue"] = "10" });
        h.WriteBehind.SetPaused(true, "a test");
        for (var i = 1; i <= 10; i++)
        {
            await h.WriteBehind.EnqueueAsync(i, Input(i));
        }

        var full = await Assert.ThrowsAsync<WriteBehindQueueFullException>(() => h.WriteBehind.EnqueueAsync(20, Input(20)));

        Assert.Contains("the worker is paused", full.Message, StringComparison.Ordinal);
        Assert.False(await h.Db.KeyExistsAsync(h.CacheKeys.Product(20)));
        Assert.Equal(10, await h.Db.StreamLengthAsync(h.CacheKeys.WriteBehindStream));
        Assert.Equal(10, (await h.WriteBehind.GetStatusAsync()).Value.MaxQueue);
    }

    [Fact]
    public async Task The_worker_applies_a_batch_per_database_round_trip_and_drains_1000_writes_in_about_ten()
    {
        // 500 ms per round trip: one write per round trip would need 500 s for these 1,000 writes.
        var database = new InMemoryProductDatabase(100, TimeSpan.FromMilliseconds(500));
        await using var h = Harness(database: database);
        h.WriteBehind.SetPaused(true, "a test");
        for (var i = 1; i <= 1000; i++)
        {
            await h.WriteBehind.EnqueueAsync((i % 100) + 1, Input(i));
        }

        h.WriteBehind.SetPaused(false);
        var sw = Stopwatch.StartNew();
        await h.Worker.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => database.AppliedWriteIds.Count >= 1000, seconds: 60);
        sw.Stop();
        await h.Worker.StopAsync(CancellationToken.None);

        Assert.Equal(1000, database.AppliedWriteIds.Distinct().Count());
        Assert.InRange(database.QueuedWriteRoundTrips, 10, 12);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), $"drained in {sw.Elapsed}");
    }

    [Fact]
    public void The_default_batch_and_parallelism_drain_at_least_100_writes_a_second_from_a_2000_ms_database()
    {
        var options = new CachingOptions();
        var catalog = new CatalogOptions();

        var perSecond = options.WriteBehindBatchSize * options.WriteBehindParallelism / (catalog.DatabaseLatencyMs / 1000.0);

        Assert.Equal(2000, catalog.DatabaseLatencyMs);
        Assert.True(perSecond >= 100, $"{perSecond} writes/s");
    }

    [Fact]
    public async Task A_pause_says_who_and_when_it_ends_and_ends_by_itself()
    {
        await using var h = Harness(latencyMs: 0, settings: new Dictionary<string, string?> { ["Caching:WriteBehindMaxPauseSeconds"] = "1" });
        await h.Worker.StartAsync(CancellationToken.None);
        var before = DateTimeOffset.UtcNow;
        h.WriteBehind.SetPaused(true, "learner 0a1b2c…");
        var receipt = (await h.WriteBehind.EnqueueAsync(4, Input(4))).Value;

        var paused = (await h.WriteBehind.GetStatusAsync()).Value;
        await WaitUntilAsync(() => h.Database.AppliedWriteIds.Contains(receipt.WriteId), seconds: 10);
        var resumed = (await h.WriteBehind.GetStatusAsync()).Value;
        await h.Worker.StopAsync(CancellationToken.None);

        Assert.True(paused.WorkerPaused);
        Assert.Equal("learner 0a1b2c…", paused.PausedBy);
        Assert.InRange(paused.ResumesAt!.Value, before.AddSeconds(1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Contains(receipt.WriteId, h.Database.AppliedWriteIds);
        Assert.False(resumed.WorkerPaused);
        Assert.Null(resumed.PausedBy);
        Assert.Null(resumed.ResumesAt);
    }

    [Fact]
    public async Task Acknowledged_entries_an_older_version_kept_are_removed_and_do_not_count_against_the_bound()
    {
        // What the stream looked like before: 50 applied and acknowledged entries kept as history, 3 waiting.
        await using var h = Harness(settings: new Dictionary<string, string?> { ["Caching:WriteBehindMaxQueue"] = "10" });
        var stream = h.CacheKeys.WriteBehindStream;
        await h.Db.StreamCreateConsumerGroupAsync(stream, WriteBehindService.Group, "0", createStream: true);
        for (var i = 0; i < 50; i++)
        {
            await h.Db.StreamAddAsync(stream, "write", "{}");
        }

        var old = await h.Db.StreamReadGroupAsync(stream, WriteBehindService.Group, "old-worker", ">", 100);
        await h.Db.StreamAcknowledgeAsync(stream, WriteBehindService.Group, [.. old.Select(e => e.Id)]);
        for (var i = 0; i < 3; i++)
        {
            await h.Db.StreamAddAsync(stream, "write", "{}");
        }

        var status = (await h.WriteBehind.GetStatusAsync()).Value;
        await h.WriteBehind.EnqueueAsync(1, Input(1));

        Assert.Equal(3, status.StreamLength);
        Assert.Equal(3, status.QueueLength);
        Assert.Equal(4, await h.Db.StreamLengthAsync(stream));
    }

    [Fact]
    public async Task A_stream_redis_lost_is_counted_as_lost_even_when_a_write_made_it_again_before_the_worker_read()
    {
        await using var h = Harness(latencyMs: 0);
        await h.WriteBehind.EnqueueAsync(1, Input(1));
        await h.WriteBehind.ApplyAsync(await h.WriteBehind.ReadAsync("a-test-worker", ">"), Ct);
        await h.WriteBehind.EnqueueAsync(2, Input(2));

        // Redis loses the stream (restarted without persistence), and a write makes it again before the worker reads.
        await h.Db.KeyDeleteAsync(h.CacheKeys.WriteBehindStream);
        await Task.Delay(5, Ct); // a restart takes longer than a millisecond: the new stream's ids come after the lost ones
        var after = (await h.WriteBehind.EnqueueAsync(3, Input(3))).Value;
        var first = await h.WriteBehind.ReadAsync("a-test-worker", ">");
        var next = await h.WriteBehind.ReadAsync("a-test-worker", ">");

        // The new stream has no group until the worker meets NOGROUP, counts the loss and makes it from id 0.
        Assert.Empty(first);
        Assert.Equal(1, h.WriteBehind.LostWrites);
        Assert.Equal(after.EntryId, Assert.Single(next).Id.ToString());
    }

    [Fact]
    public async Task Writes_queued_in_the_same_millisecond_and_lost_with_the_stream_are_each_counted()
    {
        await using var h = Harness(latencyMs: 0);
        await h.WriteBehind.EnqueueAsync(1, Input(0));
        await h.WriteBehind.GetStatusAsync(); // the group is made: the app has the queue

        // Sent together, so Redis runs them back to back: several get ids of one millisecond (ms-0, ms-1, …, ms-10).
        var receipts = await Task.WhenAll(Enumerable.Range(1, 30).Select(i => h.WriteBehind.EnqueueAsync(1 + (i % 3), Input(i))));
        Assert.Contains(receipts.GroupBy(r => r.Value.EntryId.Split('-')[0]), g => g.Count() > 1);
        Assert.Equal(31, h.WriteBehind.UnappliedCount); // one id each: none taken for another

        await h.Db.KeyDeleteAsync(h.CacheKeys.WriteBehindStream); // what a restart without persistence does to it
        var status = (await h.WriteBehind.GetStatusAsync()).Value;

        Assert.Equal(31, status.LostWrites);
        Assert.Equal(0, h.WriteBehind.UnappliedCount);
        Assert.NotNull(status.StreamFoundGoneAt);
    }

    [Fact]
    public async Task A_lost_write_is_counted_even_when_the_remade_stream_gives_its_entry_id_to_another_write()
    {
        await using var h = Harness(latencyMs: 0);
        var lost = (await h.WriteBehind.EnqueueAsync(1, Input(1))).Value;
        await h.WriteBehind.GetStatusAsync(); // the group is made: the app has the queue

        // Redis loses the stream, and the remade stream's first entry gets the lost write's id: what a remake in the
        // same millisecond (or by a Redis whose clock is behind) gives. Here it is another instance's write.
        var stream = h.CacheKeys.WriteBehindStream;
        await h.Db.KeyDeleteAsync(stream);
        var other = JsonSerializer.Serialize(new QueuedProductWrite(2, Input(2), DateTimeOffset.UtcNow), CachingJsonContext.Default.QueuedProductWrite);
        await h.Db.ExecuteAsync("XADD", stream, lost.EntryId, "write", other, "wid", Guid.NewGuid().ToString("N"));
        var status = (await h.WriteBehind.GetStatusAsync()).Value;

        Assert.Equal(1, status.LostWrites);
        Assert.Equal(0, h.WriteBehind.UnappliedCount);

        // The other write, with the reused id, is applied as a write of its own: the lost one stays lost, and counted once.
        var pass = await h.WriteBehind.ApplyAsync(await h.WriteBehind.ReadAsync("a-test-worker", ">"), Ct);
        Assert.Equal(1, pass.Applied);
        Assert.Equal("Queued 2", h.Database.Peek(2)!.Name);
        Assert.NotEqual("Queued 1", h.Database.Peek(1)!.Name);
        Assert.Equal(1, h.WriteBehind.LostWrites);
    }

    [Fact]
    public async Task A_queued_write_applied_after_a_newer_direct_write_does_not_overwrite_it()
    {
        await using var h = Harness(latencyMs: 0);
        h.WriteBehind.SetPaused(true, "a test");
        await h.Worker.StartAsync(CancellationToken.None);
        var older = (await h.WriteBehind.EnqueueAsync(7, new ProductInput { Name = "Queued", Price = 20, Category = "garden", Stock = 1 })).Value;
        var newer = (await h.Writer.WriteThroughAsync(7, new ProductInput { Name = "Direct", Price = 30, Category = "garden", Stock = 1 }, Ct)).Value;
        Assert.Equal(30, h.Database.Peek(7)!.Price);

        h.WriteBehind.SetPaused(false);
        await WaitUntilAsync(() => h.Database.AppliedWriteIds.Contains(older.WriteId));
        await h.Worker.StopAsync(CancellationToken.None);

        Assert.Equal(30, h.Database.Peek(7)!.Price);
        var cached = (await h.Reader.GetAsync(7, cancellationToken: Ct)).Value;
        Assert.Equal(ReadSource.Cache, cached.Source);
        Assert.Equal(h.Database.Peek(7), cached.Product);
        Assert.Equal(newer.Product, cached.Product);
        Assert.Equal(1, (await h.WriteBehind.GetStatusAsync()).Value.SupersededWrites);
    }

    [Fact]
    public async Task Two_queued_writes_of_one_product_applied_out_of_order_leave_the_later_one()
    {
        await using var h = Harness(latencyMs: 0);
        h.WriteBehind.SetPaused(true, "a test");
        await h.WriteBehind.EnqueueAsync(8, Input(1));
        await h.WriteBehind.EnqueueAsync(8, Input(2));
        var entries = await h.WriteBehind.ReadAsync("a-test-worker", ">");
        Assert.Equal(2, entries.Length);

        // Two batch slots: the one holding the later entry finishes first.
        await h.WriteBehind.ApplyAsync([entries[1]], Ct);
        var late = await h.WriteBehind.ApplyAsync([entries[0]], Ct);

        Assert.Equal("Queued 2", h.Database.Peek(8)!.Name);
        Assert.Equal(0, late.Applied);
        Assert.Equal(2, h.Database.AppliedWriteIds.Count);
    }

    [Fact]
    public async Task A_list_cached_before_the_worker_applies_a_queued_write_is_dropped_when_it_does()
    {
        await using var h = Harness(latencyMs: 0);
        h.WriteBehind.SetPaused(true, "a test");
        await h.Worker.StartAsync(CancellationToken.None);
        var receipt = (await h.WriteBehind.EnqueueAsync(1, Input(1))).Value;
        var before = (await h.Reader.GetAllAsync(cancellationToken: Ct)).Value;
        Assert.NotEqual("Queued 1", before.Products.Single(p => p.Id == 1).Name);

        h.WriteBehind.SetPaused(false);
        await WaitUntilAsync(() => h.Database.AppliedWriteIds.Contains(receipt.WriteId));
        await WaitUntilAsync(() => h.WriteBehind.GetStatusAsync().Result.Value.QueueLength == 0);
        await h.Worker.StopAsync(CancellationToken.None);

        var after = (await h.Reader.GetAllAsync(cancellationToken: Ct)).Value;
        Assert.Equal("Queued 1", after.Products.Single(p => p.Id == 1).Name);
        Assert.True(await h.Db.SetContainsAsync(h.CacheKeys.Tag("garden"), (string)h.CacheKeys.Product(1)!), "the queued product's key is in its category's tag set");
    }

    [Fact]
    public async Task A_product_key_refilled_with_the_old_row_before_the_worker_applies_is_dropped_when_it_does()
    {
        await using var h = Harness(latencyMs: 0);
        h.WriteBehind.SetPaused(true, "a test");
        await h.Worker.StartAsync(CancellationToken.None);
        var receipt = (await h.WriteBehind.EnqueueAsync(2, Input(2))).Value;

        // The key expires before the worker runs, and a read fills it with the database's old row.
        await h.Db.KeyDeleteAsync(h.CacheKeys.Product(2));
        Assert.NotEqual("Queued 2", (await h.Reader.GetAsync(2, cancellationToken: Ct)).Value.Product!.Name);

        h.WriteBehind.SetPaused(false);
        await WaitUntilAsync(() => h.Database.AppliedWriteIds.Contains(receipt.WriteId));
        await WaitUntilAsync(() => h.WriteBehind.GetStatusAsync().Result.Value.QueueLength == 0);
        await h.Worker.StopAsync(CancellationToken.None);

        Assert.Equal("Queued 2", (await h.Reader.GetAsync(2, cancellationToken: Ct)).Value.Product!.Name);
    }

    [Fact]
    public async Task A_write_is_accepted_when_this_apps_clock_runs_behind_redis_by_more_than_the_command_timeout()
    {
        await using var h = Harness(latencyMs: 0, time: new ShiftedTime(TimeSpan.FromSeconds(-30)));
        h.WriteBehind.SetPaused(true, "a test");

        var first = await h.WriteBehind.EnqueueAsync(3, Input(3));
        var second = await h.WriteBehind.EnqueueAsync(4, Input(4));

        Assert.Equal(2, await h.Db.StreamLengthAsync(h.CacheKeys.WriteBehindStream));
        Assert.Equal("Queued 3", (await h.Reader.GetAsync(3, cancellationToken: Ct)).Value.Product!.Name);
        Assert.Equal(2, first.Trace.WireNames.Count(n => n is "EVAL" or "EVALSHA"));
        Assert.Equal(1, second.Trace.WireNames.Count(n => n is "EVAL" or "EVALSHA"));
    }

    [Fact]
    public async Task A_queued_write_that_moves_a_product_to_another_category_moves_its_key_to_the_new_tag_set()
    {
        await using var h = Harness(latencyMs: 0);
        var old = h.Database.Peek(5)!.Category;
        var next = h.Database.Categories.First(c => c != old);
        var key = (string)h.CacheKeys.Product(5)!;
        await h.Reader.GetAsync(5, cancellationToken: Ct); // cached, so its key is in its category's tag set
        Assert.True(await h.Db.SetContainsAsync(h.CacheKeys.Tag(old), key));

        await h.WriteBehind.EnqueueAsync(5, new ProductInput { Name = "Moved", Price = 5, Category = next, Stock = 5 });
        var entries = await h.WriteBehind.ReadAsync("a-test-worker", ">");
        var pass = await h.WriteBehind.ApplyAsync(entries, Ct);

        Assert.Equal(1, pass.Applied);
        Assert.Equal(next, h.Database.Peek(5)!.Category);
        Assert.False(await h.Db.SetContainsAsync(h.CacheKeys.Tag(old), key), "the key left the old category's tag set");
        Assert.True(await h.Db.SetContainsAsync(h.CacheKeys.Tag(next), key), "the key is in the new category's tag set");

        // Invalidating the old category leaves the moved product cached; invalidating the new one drops it.
        await h.Invalidation.InvalidateTagAsync(old);
        Assert.True(await h.Db.KeyExistsAsync(key));
        await h.Invalidation.InvalidateTagAsync(next);
        Assert.False(await h.Db.KeyExistsAsync(key));
    }

    [Fact]
    public async Task A_product_refilled_in_its_old_category_before_the_worker_moves_it_leaves_the_old_tag_set_when_the_worker_does()
    {
        await using var h = Harness(latencyMs: 0);
        var old = h.Database.Peek(6)!.Category;
        var next = h.Database.Categories.First(c => c != old);
        var key = (string)h.CacheKeys.Product(6)!;
        await h.WriteBehind.EnqueueAsync(6, new ProductInput { Name = "Moved", Price = 6, Category = next, Stock = 6 });

        // The key expires before the worker runs, and a read fills it from the database's old row (old category).
        await h.Db.KeyDeleteAsync(key);
        Assert.Equal(old, (await h.Reader.GetAsync(6, cancellationToken: Ct)).Value.Product!.Category);
        var entries = await h.WriteBehind.ReadAsync("a-test-worker", ">");
        await h.WriteBehind.ApplyAsync(entries, Ct);
        Assert.Equal("Moved", (await h.Reader.GetAsync(6, cancellationToken: Ct)).Value.Product!.Name);

        Assert.False(await h.Db.SetContainsAsync(h.CacheKeys.Tag(old), key), "the key left the old category's tag set");
        Assert.True(await h.Db.SetContainsAsync(h.CacheKeys.Tag(next), key));
        await h.Invalidation.InvalidateTagAsync(old);
        Assert.True(await h.Db.KeyExistsAsync(key));
    }

    /// <summary>The system clock moved by <paramref name="shift"/>: an app host whose clock is off from Redis's.</summary>
    private sealed class ShiftedTime(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + shift;
    }
}

/// <summary>The same tests on the database in Redis (<c>ScaleOut:SharedDatabase</c>), as a fleet runs them.</summary>
public sealed class WriteBehindOnSharedDatabaseTests(RedisServerFixture redis) : WriteBehindTests(redis)
{
    protected override bool SharedDatabase => true;
}
