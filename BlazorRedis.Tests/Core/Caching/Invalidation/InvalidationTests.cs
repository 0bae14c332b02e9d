using System.Globalization;
using BlazorRedis.Core.Caching;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Caching.Invalidation;

public class InvalidationTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task FillAsync(CachingHarness h, int count)
    {
        h.Database.SetLatency(TimeSpan.Zero);
        for (var id = 1; id <= count; id++)
        {
            await h.Reader.GetAsync(id);
        }
    }

    [Fact]
    public async Task Tag_invalidation_removes_exactly_that_categorys_products()
    {
        await using var h = CachingHarness.Create(redis);
        await FillAsync(h, 12);
        var other = h.Keyspace.Key("other", "keep");
        await h.Db.StringSetAsync(other, "x");
        var books = Enumerable.Range(1, 12).Where(id => h.Database.Peek(id)!.Category == "books").ToList();

        var result = await h.Invalidation.InvalidateTagAsync("books");

        Assert.Equal(books.Count, result.Value);
        foreach (var id in Enumerable.Range(1, 12))
        {
            var exists = await h.Db.KeyExistsAsync(h.CacheKeys.Product(id));
            Assert.Equal(!books.Contains(id), exists);
        }

        Assert.False(await h.Db.KeyExistsAsync(h.CacheKeys.Tag("books")));
        Assert.True(await h.Db.KeyExistsAsync(h.CacheKeys.Tag("toys")));
        Assert.True(await h.Db.KeyExistsAsync(other));
        Assert.Contains("SMEMBERS", result.Trace.WireNames);
    }

    [Fact]
    public async Task Pattern_invalidation_removes_exactly_the_matching_keys_with_SCAN()
    {
        await using var h = CachingHarness.Create(redis);
        await FillAsync(h, 12);
        var other = h.Keyspace.Key("other", "product:1");
        await h.Db.StringSetAsync(other, "x");

        var result = await h.Invalidation.InvalidatePatternAsync("product:1*", cancellationToken: Ct);

        Assert.Equal(4, result.Value.Deleted); // 1, 10, 11, 12
        foreach (var id in Enumerable.Range(1, 12))
        {
            Assert.Equal(id is not (1 or 10 or 11 or 12), await h.Db.KeyExistsAsync(h.CacheKeys.Product(id)));
        }

        Assert.True(await h.Db.KeyExistsAsync(other));
        Assert.Contains("SCAN", result.Trace.WireNames);
        Assert.Contains("UNLINK", result.Trace.WireNames);
        Assert.DoesNotContain("KEYS", result.Trace.WireNames);
    }

    [Fact]
    public async Task Pattern_invalidation_counts_every_SCAN_round_trip_as_a_batch_even_one_that_found_nothing()
    {
        await using var h = CachingHarness.Create(redis);
        await FillAsync(h, 3);

        var none = await h.Invalidation.InvalidatePatternAsync("product:nothing-here*", cancellationToken: Ct);
        var some = await h.Invalidation.InvalidatePatternAsync("product:*", cancellationToken: Ct);

        Assert.Equal(0, none.Value.Deleted);
        Assert.True(none.Value.Batches >= 1, "one SCAN went out, so there was at least one batch (the page once said 0)");
        Assert.Equal(none.Trace.WireNames.Count(n => n == "SCAN"), none.Value.Batches);
        Assert.Equal(3, some.Value.Deleted);
        Assert.Equal(some.Trace.WireNames.Count(n => n == "SCAN"), some.Value.Batches);
    }

    [Fact]
    public async Task A_catch_all_pattern_never_drops_the_write_behind_queue()
    {
        await using var h = CachingHarness.Create(redis);
        await FillAsync(h, 3);
        h.WriteBehind.SetPaused(true);
        await h.WriteBehind.EnqueueAsync(2, new ProductInput { Name = "Queued", Price = 1, Category = "toys", Stock = 1 });

        var result = await h.Invalidation.InvalidatePatternAsync("*", cancellationToken: Ct);

        Assert.True(result.Value.Deleted >= 3);
        Assert.False(await h.Db.KeyExistsAsync(h.CacheKeys.Product(1)));
        Assert.Equal(1, await h.Db.StreamLengthAsync(h.CacheKeys.WriteBehindStream));
    }

    [Fact]
    public async Task Key_invalidation_removes_one_product_and_the_list()
    {
        await using var h = CachingHarness.Create(redis);
        await FillAsync(h, 2);
        await h.Reader.GetAllAsync(cancellationToken: Ct);

        var removed = await h.Invalidation.InvalidateProductAsync(1);

        Assert.Equal(2, removed.Value);
        Assert.False(await h.Db.KeyExistsAsync(h.CacheKeys.Product(1)));
        Assert.True(await h.Db.KeyExistsAsync(h.CacheKeys.Product(2)));
        Assert.False(await h.Db.KeyExistsAsync(h.CacheKeys.List));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("product:\r\n1")]
    [InlineData("a b")]
    public async Task Bad_patterns_are_refused(string pattern)
    {
        await using var h = CachingHarness.Create(redis);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => h.Invalidation.InvalidatePatternAsync(pattern, cancellationToken: Ct));
    }

    [Fact]
    public async Task Listing_cached_keys_shows_their_ttls()
    {
        await using var h = CachingHarness.Create(redis);
        await FillAsync(h, 2);

        var listed = (await h.Inspector.ListCachedKeysAsync(cancellationToken: Ct)).Value;
        var keys = listed.Keys;

        Assert.True(listed.Complete);
        Assert.Contains(keys, k => k.Key == (string)h.CacheKeys.Product(1)! && k.TimeToLive > TimeSpan.Zero);
        Assert.Contains(keys, k => k.Key == (string)h.CacheKeys.Tag(h.Database.Peek(1)!.Category)!);
    }

    [Fact]
    public async Task Listing_more_keys_than_asked_for_shows_the_first_ones_and_says_the_list_is_cut()
    {
        await using var h = CachingHarness.Create(redis);
        await FillAsync(h, 12);

        var listed = (await h.Inspector.ListCachedKeysAsync(max: 5, cancellationToken: Ct)).Value;

        Assert.Equal(5, listed.Keys.Count);
        Assert.False(listed.Complete);
        Assert.Equal(listed.Keys.Select(k => k.Key).Order(StringComparer.Ordinal), listed.Keys.Select(k => k.Key));
    }

    [Fact]
    public async Task Listing_on_a_big_keyspace_stops_after_its_scan_steps_and_says_the_list_is_cut()
    {
        await using var h = CachingHarness.Create(redis);
        await FillAsync(h, 2);
        // Another application's keys on the same Redis: several SCAN steps' worth, none of them the cache's.
        var others = Enumerable.Range(0, 5 * CacheInspector.ScanBatch)
            .Select(i => new KeyValuePair<RedisKey, RedisValue>(h.Keyspace.Key("other", i.ToString(CultureInfo.InvariantCulture)), "x"))
            .ToArray();
        // One SET per key: on a Redis Cluster the keys are in many slots, which one MSET cannot span.
        await Task.WhenAll(others.Select(o => h.Db.StringSetAsync(o.Key, o.Value)));
        try
        {
            var inspector = new CacheInspector(redis.Multiplexer, h.Services.GetRequiredService<RedisGate>(), redis.Tracer, h.CacheKeys, maxScanSteps: 2);

            var cut = await inspector.ListCachedKeysAsync(cancellationToken: Ct);
            var whole = (await h.Inspector.ListCachedKeysAsync(cancellationToken: Ct)).Value;

            Assert.False(cut.Value.Complete);
            Assert.Equal(2, cut.Value.Batches);
            Assert.Equal(2, cut.Trace.WireNames.Count(n => n == "SCAN"));
            Assert.True(whole.Complete);
            Assert.True(whole.Batches > 2);
            Assert.Contains(whole.Keys, k => k.Key == (string)h.CacheKeys.Product(1)!);
        }
        finally
        {
            await Task.WhenAll(others.Select(o => h.Db.KeyDeleteAsync(o.Key)));
        }
    }
}
