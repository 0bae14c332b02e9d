using BlazorRedis.Core.Budgets;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.Core.Caching.Labs;

/// <summary>Every learner's caching lab on the real Redis: their own catalog, keys, latency and write-behind worker.</summary>
public class CachingLabsTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ProductInput Input(int stock) => new() { Name = "Lamp", Price = 12m, Category = "home", Stock = stock };

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(20, Ct);
        }
    }

    [Fact]
    public async Task Each_learner_gets_a_lab_of_their_own_under_their_keyspace_and_the_teacher_gets_the_shared_catalog()
    {
        await using var harness = CachingHarness.Create(redis);
        var ann = LearnerId.New();
        var bob = LearnerId.New();
        using var a = harness.Labs.Open(ann, teacher: false);
        using var again = harness.Labs.Open(ann, teacher: false);
        using var b = harness.Labs.Open(bob, teacher: false);
        using var teacher = harness.Labs.Open(LearnerId.New(), teacher: true);

        Assert.Same(a.Lab, again.Lab);
        Assert.NotSame(a.Lab, b.Lab);
        Assert.Same(harness.Labs.Shared, teacher.Lab);
        Assert.True(teacher.Lab.IsShared);
        Assert.Equal(ann, a.Lab.Owner);
        Assert.Equal(harness.Keyspace.ForLearner(ann).Prefix + "cache:", a.Lab.Keys.Root);
        Assert.Equal(harness.Keyspace.Prefix + "{cache}:product:7", harness.CacheKeys.Product(7).ToString());
        Assert.Equal(2, harness.Labs.Count);

        // A write in Ann's lab changes her catalog and her cached copy, nobody else's.
        await a.Lab.Reader.GetAsync(3, cancellationToken: Ct);
        await b.Lab.Reader.GetAsync(3, cancellationToken: Ct);
        await harness.Reader.GetAsync(3, cancellationToken: Ct);
        var write = await a.Lab.Writer.UpdateStockAsync(3, 999, Ct);

        Assert.Equal(999, a.Lab.Database.Peek(3)!.Stock);
        Assert.NotEqual(999, b.Lab.Database.Peek(3)!.Stock);
        Assert.NotEqual(999, harness.Database.Peek(3)!.Stock);
        Assert.Contains(a.Lab.Keys.Product(3).ToString(), write.Value.KeysInvalidated.Select(k => k.ToString()));
        Assert.Contains(a.Lab.Keys.List.ToString(), write.Value.KeysInvalidated.Select(k => k.ToString()));
        Assert.False(await harness.Db.KeyExistsAsync(a.Lab.Keys.Product(3)));
        Assert.True(await harness.Db.KeyExistsAsync(b.Lab.Keys.Product(3)));
        Assert.True(await harness.Db.KeyExistsAsync(harness.CacheKeys.Product(3)));

        // Latency is per lab too.
        a.Lab.Database.SetLatency(TimeSpan.FromMilliseconds(5));
        Assert.NotEqual(TimeSpan.FromMilliseconds(5), b.Lab.Database.Latency);
    }

    [Fact]
    public async Task A_learners_write_behind_runs_on_their_labs_own_worker_and_reaches_only_their_database()
    {
        await using var harness = CachingHarness.Create(redis);
        using var lease = harness.Labs.Open(LearnerId.New(), teacher: false);
        var lab = lease.Lab;
        var sharedStock = harness.Database.Peek(4)!.Stock;

        var receipt = await lab.WriteBehind.EnqueueAsync(4, Input(sharedStock + 3));

        Assert.True(lab.WorkerRunning);
        Assert.Equal(lab.Keys.WriteBehindStream, lab.WriteBehind.StreamKey);
        Assert.NotEqual(harness.WriteBehind.StreamKey, lab.WriteBehind.StreamKey);
        await EventuallyAsync(() => lab.Database.Peek(4)!.Stock == sharedStock + 3);
        Assert.True(((InMemoryProductDatabase)lab.Database).AppliedIdsContains(receipt.Value.WriteId));
        Assert.Equal(sharedStock, harness.Database.Peek(4)!.Stock);
        Assert.Equal(0, await harness.Db.StreamLengthAsync(lab.Keys.WriteBehindStream));
        Assert.Single(await harness.Db.StreamConsumerInfoAsync(lab.Keys.WriteBehindStream, "database-writers"));

        // Stopping the lab's worker with nothing pending takes its consumer out of the group (names are per instance start).
        await lab.DisposeAsync();
        Assert.Empty(await harness.Db.StreamConsumerInfoAsync(lab.Keys.WriteBehindStream, "database-writers"));
    }

    [Fact]
    public async Task Reading_a_fresh_learners_write_behind_status_leaves_no_key()
    {
        await using var harness = CachingHarness.Create(redis);
        var learner = LearnerId.New();
        using var lease = harness.Labs.Open(learner, teacher: false);
        var lab = lease.Lab;

        // What the strategies page does on a first visit: read the status (which also starts the lab's worker).
        var status = (await lab.WriteBehind.GetStatusAsync()).Value;
        var again = (await lab.WriteBehind.GetStatusAsync()).Value;

        // The worker's own read of an empty queue creates nothing either.
        Assert.Empty(await lab.WriteBehind.ReadAsync("probe", ">"));
        Assert.Equal((0L, 0L, 0L), (status.QueueLength, status.Pending, status.LostWrites));
        Assert.Equal(0L, again.QueueLength);
        Assert.Empty(await KeysOfAsync(harness.Keyspace.ForLearner(learner).Prefix));
    }

    [Fact]
    public async Task After_a_write_behind_every_key_of_a_learners_lab_expires_by_the_learner_key_ttl()
    {
        await using var harness = CachingHarness.Create(redis);
        var learner = LearnerId.New();
        using var lease = harness.Labs.Open(learner, teacher: false);
        var lab = lease.Lab;
        await lab.Reader.GetAsync(2, cancellationToken: Ct);

        var receipt = await lab.WriteBehind.EnqueueAsync(4, Input(77));
        await EventuallyAsync(() => ((InMemoryProductDatabase)lab.Database).AppliedIdsContains(receipt.Value.WriteId));
        await lab.WriteBehind.GetStatusAsync();

        var keys = await KeysOfAsync(harness.Keyspace.ForLearner(learner).Prefix);
        Assert.Contains(lab.Keys.WriteBehindStream.ToString(), keys);
        foreach (var key in keys)
        {
            var ttl = await harness.Db.KeyTimeToLiveAsync(key);
            Assert.True(ttl is { } t && t > TimeSpan.Zero && t <= harness.Keyspace.LearnerKeyTtl, $"{key} has no TTL (or a longer one than the learner key TTL): {ttl}");
        }
    }

    private Task<List<string>> KeysOfAsync(string prefix) => RedisKeys.UnderAsync(redis.Multiplexer, prefix);

    [Fact]
    public async Task A_labs_worker_stops_after_a_quiet_spell_and_the_next_write_behind_starts_it_again()
    {
        await using var harness = CachingHarness.Create(redis, settings: new Dictionary<string, string?> { ["Caching:LabWorkerIdleSeconds"] = "1" });
        using var lease = harness.Labs.Open(LearnerId.New(), teacher: false);
        var lab = lease.Lab;
        Assert.False(lab.WorkerRunning); // reads alone never start it
        await lab.Reader.GetAsync(1, cancellationToken: Ct);
        Assert.False(lab.WorkerRunning);

        await lab.WriteBehind.EnqueueAsync(6, Input(11));
        await EventuallyAsync(() => lab.Database.Peek(6)!.Stock == 11);
        await EventuallyAsync(() => !lab.WorkerRunning);
        Assert.Empty(await harness.Db.StreamConsumerInfoAsync(lab.Keys.WriteBehindStream, "database-writers"));

        await lab.WriteBehind.EnqueueAsync(6, Input(12));
        Assert.True(lab.WorkerRunning);
        await EventuallyAsync(() => lab.Database.Peek(6)!.Stock == 12);
    }

    [Fact]
    public async Task A_lab_nobody_holds_is_dropped_but_never_one_that_is_held_or_has_a_write_waiting()
    {
        await using var harness = CachingHarness.Create(redis);
        var held = harness.Labs.Open(LearnerId.New(), teacher: false);
        var waiting = harness.Labs.Open(LearnerId.New(), teacher: false);
        var idle = LearnerId.New();
        var first = harness.Labs.Open(idle, teacher: false);
        var idleLab = first.Lab;
        first.Dispose();
        waiting.Lab.WriteBehind.SetPaused(true);
        await waiting.Lab.WriteBehind.EnqueueAsync(2, Input(5));
        waiting.Dispose();

        var dropped = harness.Labs.Sweep(TimeSpan.Zero, int.MaxValue);

        Assert.Equal(1, dropped);
        Assert.Equal(2, harness.Labs.Count);
        using var reopened = harness.Labs.Open(idle, teacher: false);
        Assert.NotSame(idleLab, reopened.Lab);
        Assert.False(idleLab.WorkerRunning);
        held.Dispose();
    }

    [Fact]
    public async Task Past_the_most_labs_the_least_recently_used_free_one_makes_room_and_when_all_are_held_the_refusal_says_why()
    {
        await using var harness = CachingHarness.Create(redis, settings: new Dictionary<string, string?> { ["Caching:MaxLabs"] = "2" });
        using var one = harness.Labs.Open(LearnerId.New(), teacher: false);
        var two = harness.Labs.Open(LearnerId.New(), teacher: false);

        var refused = Assert.Throws<BudgetExceededException>(() => harness.Labs.Open(LearnerId.New(), teacher: false));
        Assert.Contains("Caching:MaxLabs", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, harness.Labs.Count);

        two.Dispose();
        using var three = harness.Labs.Open(LearnerId.New(), teacher: false);
        Assert.Equal(2, harness.Labs.Count);
        Assert.NotSame(two.Lab, three.Lab);
    }
}
