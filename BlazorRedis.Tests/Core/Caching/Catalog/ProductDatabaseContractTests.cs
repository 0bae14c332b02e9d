using BlazorRedis.Core;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Caching.Catalog;

/// <summary>What every "database" of the caching lessons promises, whether it lives in this process or in Redis.</summary>
public abstract class ProductDatabaseContractTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ProductInput Input(string name, string category = "garden", int stock = 5) => new() { Name = name, Price = 12.34m, Category = category, Stock = stock };

    private static QueuedProductWrite Queued(int id, string name, DateTimeOffset at) => new(id, Input(name), at);

    /// <summary>A new, empty database of <paramref name="count"/> seeded products.</summary>
    protected abstract IProductDatabase Create(int count = 100, int latencyMs = 0, int maxProducts = 1000);

    /// <summary>Applies 300 more queued writes than the database keeps ids of (ids <c>1-0</c>, <c>2-0</c>, …); returns how many.</summary>
    protected static async Task<int> ApplyMoreWritesThanKeptAsync(IProductDatabase db)
    {
        var total = CatalogOptions.AppliedWriteIdsKept + 300;
        var at = DateTimeOffset.UtcNow;
        foreach (var chunk in Enumerable.Range(1, total).Chunk(1000))
        {
            await db.ApplyBatchAsync([.. chunk.Select(i => new QueuedWriteEntry($"{i}-0", Queued((i % 100) + 1, $"W{i}", at)))], Ct);
        }

        return total;
    }

    [Fact]
    public async Task It_starts_with_the_seeded_catalog_and_counts_each_load()
    {
        var db = Create();

        var all = await db.GetAllAsync(Ct);
        var seven = await db.GetAsync(7, Ct);

        Assert.Equal(100, all.Count);
        Assert.Equal(100, db.Count);
        Assert.Equal(Enumerable.Range(1, 100), all.Select(p => p.Id));
        Assert.Equal(all[6], seven);
        Assert.Equal(all[6], db.Peek(7));
        Assert.Equal(InMemoryProductDatabase.SeedCategories, db.Categories);
        Assert.Equal(2, db.Loads); // Peek, Count and Categories cost no load
        Assert.True(db.Contains(100));
        Assert.False(db.Contains(101));
        Assert.Null(await db.GetAsync(101, Ct));
    }

    [Fact]
    public async Task The_async_reads_and_the_latency_setter_agree_with_the_sync_members()
    {
        var db = Create(latencyMs: 5);
        await db.DeleteAsync(4, Ct);

        Assert.Equal(99, await db.GetCountAsync(Ct));
        Assert.Equal(db.Count, await db.GetCountAsync(Ct));
        Assert.Equal(InMemoryProductDatabase.SeedCategories, await db.GetCategoriesAsync(Ct));
        Assert.True(await db.ContainsAsync(3, Ct));
        Assert.False(await db.ContainsAsync(4, Ct));
        await db.SetLatencyAsync(TimeSpan.FromMilliseconds(42), Ct);
        Assert.Equal(TimeSpan.FromMilliseconds(42), await db.GetLatencyAsync(Ct));
        Assert.Equal(TimeSpan.FromMilliseconds(42), db.Latency);
        await Assert.ThrowsAsync<LearnerInputException>(() => db.SetLatencyAsync(TimeSpan.FromMilliseconds(InMemoryProductDatabase.MaxLatencyMs + 1), Ct));
        Assert.Equal(TimeSpan.FromMilliseconds(42), await db.GetLatencyAsync(Ct));
        Assert.Equal(0, db.Loads); // none of these pays a load
    }

    [Fact]
    public async Task Create_update_stock_and_delete_change_the_row_and_count_as_writes()
    {
        var db = Create();

        var created = await db.CreateAsync(Input("  Brand New  "), Ct);
        var updated = await db.UpdateAsync(3, Input("Renamed", "toys", 9), Ct);
        var stocked = await db.UpdateStockAsync(3, 42, Ct);
        var deleted = await db.DeleteAsync(4, Ct);

        Assert.Equal(101, created.Id);
        Assert.Equal(created, db.Peek(101));
        Assert.Equal("Brand New", created.Name);
        Assert.Equal(new Product(3, "Renamed", 12.34m, "toys", 9, updated!.UpdatedAt), updated);
        Assert.Equal(updated with { Stock = 42, UpdatedAt = stocked!.UpdatedAt }, stocked);
        Assert.Equal(stocked, await db.GetAsync(3, Ct));
        Assert.True(deleted);
        Assert.False(db.Contains(4));
        Assert.Equal(4, db.Writes);
        Assert.Null(await db.UpdateAsync(4, Input("Gone"), Ct));
        Assert.Null(await db.UpdateStockAsync(4, 1, Ct));
        Assert.False(await db.DeleteAsync(4, Ct));
        Assert.Equal(4, db.Writes);
    }

    [Fact]
    public async Task A_full_catalog_refuses_a_create_and_writes_nothing()
    {
        var db = Create(count: 100, maxProducts: 100);

        await Assert.ThrowsAsync<CatalogFullException>(() => db.CreateAsync(Input("One too many"), Ct));

        Assert.Equal(100, db.Count);
        Assert.Equal(0, db.Writes);
    }

    [Fact]
    public void A_latency_outside_0_to_30_seconds_is_refused_and_the_latency_stays()
    {
        var db = Create(latencyMs: 5);

        Assert.Throws<LearnerInputException>(() => db.SetLatency(TimeSpan.FromMilliseconds(30_001)));
        Assert.Throws<LearnerInputException>(() => db.SetLatency(TimeSpan.FromMilliseconds(-1)));
        db.SetLatency(TimeSpan.FromMilliseconds(7));

        Assert.Equal(TimeSpan.FromMilliseconds(7), db.Latency);
    }

    [Fact]
    public async Task A_replayed_queued_write_is_applied_once_and_its_id_recorded_once()
    {
        var db = Create();
        var write = Queued(5, "Queued", DateTimeOffset.UtcNow);

        Assert.True(await db.ApplyQueuedWriteAsync("1-0", write, Ct));
        Assert.False(await db.ApplyQueuedWriteAsync("1-0", write with { Values = Input("Replayed") }, Ct));

        Assert.Equal("Queued", db.Peek(5)!.Name);
        Assert.Equal(write.QueuedAt, db.Peek(5)!.UpdatedAt);
        Assert.Equal(["1-0"], db.AppliedWriteIds);
        Assert.Equal(1, db.Writes);
    }

    [Fact]
    public async Task A_batch_applies_in_order_skips_replays_and_missing_products_and_keeps_the_newest_queued_write()
    {
        var db = Create();
        var at = DateTimeOffset.UtcNow;
        await db.ApplyQueuedWriteAsync("5-0", Queued(8, "Newer", at), Ct);

        var applied = await db.ApplyBatchAsync(
        [
            new("5-0", Queued(8, "Replay", at)),
            new("4-9", Queued(8, "Older", at)),
            new("6-0", Queued(9, "Nine", at)),
            new("7-0", Queued(999, "Missing", at)),
        ], Ct);

        Assert.Equal(1, applied);
        Assert.Equal("Newer", db.Peek(8)!.Name);
        Assert.Equal("Nine", db.Peek(9)!.Name);
        Assert.Equal(1, db.SupersededWrites);
        Assert.Equal(["5-0", "4-9", "6-0", "7-0"], db.AppliedWriteIds);
    }

    [Fact]
    public async Task The_applied_writes_table_keeps_only_the_newest_ids_and_still_refuses_a_recent_replay()
    {
        var db = Create();

        var total = await ApplyMoreWritesThanKeptAsync(db);
        var writes = db.Writes;
        var replayed = await db.ApplyBatchAsync([new($"{total}-0", Queued((total % 100) + 1, "Replayed", DateTimeOffset.UtcNow))], Ct);

        var ids = db.AppliedWriteIds;
        Assert.Equal(CatalogOptions.AppliedWriteIdsKept, ids.Count);
        Assert.Equal($"{total - CatalogOptions.AppliedWriteIdsKept + 1}-0", ids[0]); // the oldest are forgotten
        Assert.Equal($"{total}-0", ids[^1]);
        Assert.Equal(0, replayed);
        Assert.Equal($"W{total}", db.Peek((total % 100) + 1)!.Name);
        Assert.Equal(writes, db.Writes);
    }

    [Fact]
    public async Task A_queued_write_accepted_before_a_direct_write_does_not_overwrite_it_and_one_accepted_after_does()
    {
        var db = Create();
        var direct = await db.UpdateAsync(10, Input("Direct"), Ct);

        Assert.False(await db.ApplyQueuedWriteAsync("1-0", Queued(10, "Stale", direct!.UpdatedAt.AddSeconds(-1)), Ct));
        Assert.Equal("Direct", db.Peek(10)!.Name);
        Assert.Equal(1, db.SupersededWrites);

        Assert.True(await db.ApplyQueuedWriteAsync("2-0", Queued(10, "Later", direct.UpdatedAt.AddSeconds(1)), Ct));
        Assert.Equal("Later", db.Peek(10)!.Name);
        Assert.Equal(["1-0", "2-0"], db.AppliedWriteIds);
    }
}

/// <summary>The contract, in this process.</summary>
public sealed class InMemoryProductDatabaseContractTests : ProductDatabaseContractTests
{
    protected override IProductDatabase Create(int count = 100, int latencyMs = 0, int maxProducts = 1000) =>
        new InMemoryProductDatabase(count, TimeSpan.FromMilliseconds(latencyMs), maxProducts: maxProducts);
}

/// <summary>The contract, in Redis (<c>ScaleOut:SharedDatabase</c>), plus what only a fleet's database must do.</summary>
public abstract class RedisProductDatabaseContractTests(RedisServerFixture redis) : ProductDatabaseContractTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private RedisKeyspace _keyspace = null!;

    protected override IProductDatabase Create(int count = 100, int latencyMs = 0, int maxProducts = 1000)
    {
        _keyspace = redis.NewKeyspace();
        return Instance(_keyspace, count, latencyMs, maxProducts);
    }

    private RedisProductDatabase Instance(RedisKeyspace keyspace, int count = 100, int latencyMs = 0, int maxProducts = 1000) =>
        new(redis.Multiplexer, keyspace, new RedisCommandBudget(redis.Multiplexer, TimeSpan.FromSeconds(5)),
            Options.Create(new CatalogOptions { ProductCount = count, DatabaseLatencyMs = latencyMs, MaxProducts = maxProducts }));

    [Fact]
    public async Task A_second_instance_reads_the_first_ones_writes_and_latency_and_never_seeds_over_them()
    {
        var a = (RedisProductDatabase)Create(latencyMs: 3);
        await a.UpdateAsync(7, new ProductInput { Name = "From A", Price = 1, Category = "toys", Stock = 1 }, Ct);
        await a.DeleteAsync(8, Ct);
        a.SetLatency(TimeSpan.FromMilliseconds(9));

        var b = Instance(_keyspace, count: 150, latencyMs: 4); // another instance, started later with other settings

        Assert.Equal("From A", (await b.GetAsync(7, Ct))!.Name);
        Assert.Equal(99, b.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(9), b.Latency);
        Assert.Equal(1, b.Loads); // each instance counts its own loads and writes
        Assert.Equal(0, b.Writes);
    }

    [Fact]
    public async Task Its_keys_are_under_the_prefix_in_one_hash_tag_apart_from_the_cache()
    {
        var db = Create();
        await db.ApplyQueuedWriteAsync("1-0", new QueuedProductWrite(3, new ProductInput { Name = "Q", Price = 1, Category = "toys", Stock = 1 }, DateTimeOffset.UtcNow), Ct);
        await db.UpdateAsync(4, new ProductInput { Name = "D", Price = 1, Category = "toys", Stock = 1 }, Ct);

        var keys = new List<string>();
        foreach (var server in redis.Multiplexer.GetServers().Where(s => !s.IsReplica))
        {
            await foreach (var key in server.KeysAsync(pattern: RedisKeyspace.PrefixPattern(_keyspace.Prefix) + "*"))
            {
                keys.Add(key.ToString());
            }
        }

        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.StartsWith(_keyspace.Prefix + "{db}:", k, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Its_applied_set_and_log_stay_within_the_bound_and_hold_the_same_ids()
    {
        var db = Create();

        await ApplyMoreWritesThanKeptAsync(db);

        var redisDb = redis.Multiplexer.GetDatabase();
        var set = await redisDb.SetMembersAsync(_keyspace.Tagged("db", "applied"));
        var log = await redisDb.ListRangeAsync(_keyspace.Tagged("db", "appliedlog"));
        Assert.Equal(CatalogOptions.AppliedWriteIdsKept, log.Length);
        Assert.Equal(log.Select(v => v.ToString()).Order(StringComparer.Ordinal), set.Select(v => v.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task While_redis_is_unreachable_it_fails_at_once_with_a_connection_error()
    {
        await using var down = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { "127.0.0.1:1" }, AbortOnConnectFail = false, ConnectTimeout = 200 });
        var db = new RedisProductDatabase(down, redis.NewKeyspace(), new RedisCommandBudget(down, TimeSpan.FromSeconds(1)), Options.Create(new CatalogOptions { DatabaseLatencyMs = 6 }));

        await Assert.ThrowsAsync<RedisConnectionException>(() => db.GetAsync(1, Ct));
        Assert.Throws<RedisConnectionException>(() => db.Peek(1));
        await Assert.ThrowsAsync<RedisConnectionException>(() => db.GetCountAsync(Ct));
        await Assert.ThrowsAsync<RedisConnectionException>(() => db.GetCategoriesAsync(Ct));
        await Assert.ThrowsAsync<RedisConnectionException>(() => db.ContainsAsync(1, Ct));
        await Assert.ThrowsAsync<RedisConnectionException>(() => db.SetLatencyAsync(TimeSpan.FromMilliseconds(7), Ct));
        Assert.Equal(TimeSpan.FromMilliseconds(6), await db.GetLatencyAsync(Ct));
        Assert.Equal(TimeSpan.FromMilliseconds(6), db.Latency); // the configured one until Redis answers
        Assert.Equal(0, db.Loads);
    }
}

/// <summary>On the test run's one redis-server.</summary>
public sealed class RedisProductDatabaseOnOneServerTests(RedisServerFixture redis) : RedisProductDatabaseContractTests(redis);

/// <summary>On the 3-master cluster: every script's keys in one slot (a CROSSSLOT error here is a defect).</summary>
[Collection(OnRedisCluster.Name)]
public sealed class RedisProductDatabaseOnClusterTests(RedisClusterFixture cluster) : RedisProductDatabaseContractTests(cluster);
