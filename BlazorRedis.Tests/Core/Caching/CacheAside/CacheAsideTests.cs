using System.Diagnostics;
using BlazorRedis.Core;
using BlazorRedis.Core.Caching;
using BlazorRedis.Core.Caching.CacheAside;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.Infrastructure;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Caching.CacheAside;

public class CacheAsideTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ProductInput Input(string name = "Teapot", string category = "kitchen", decimal price = 12.5m, int stock = 3) =>
        new() { Name = name, Price = price, Category = category, Stock = stock };

    [Fact]
    public async Task First_read_loads_the_database_and_the_second_is_answered_by_the_cache()
    {
        await using var h = CachingHarness.Create(redis, latencyMs: 50);

        var first = (await h.Reader.GetAsync(7, cancellationToken: Ct)).Value;
        var second = (await h.Reader.GetAsync(7, cancellationToken: Ct)).Value;

        Assert.Equal(ReadSource.Database, first.Source);
        Assert.True(first.Elapsed >= TimeSpan.FromMilliseconds(45), $"first read took {first.Elapsed}");
        Assert.Equal(ReadSource.Cache, second.Source);
        Assert.Equal(first.Product, second.Product);
        Assert.Equal(1, h.Database.Loads);
        Assert.True(await h.Db.KeyExistsAsync(h.CacheKeys.Product(7)));
    }

    [Fact]
    public async Task The_json_read_passes_the_cached_text_through_on_a_hit_and_serializes_the_loaded_product_on_a_miss()
    {
        await using var h = CachingHarness.Create(redis);

        var miss = await h.Reader.GetJsonAsync(8, cancellationToken: Ct);
        var cached = (string?)await h.Db.StringGetAsync(h.CacheKeys.Product(8));
        var hit = await h.Reader.GetJsonAsync(8, cancellationToken: Ct);
        var unknown = await h.Reader.GetJsonAsync(987_654, cancellationToken: Ct);

        Assert.Equal(ReadSource.Database, miss.Source);
        Assert.Equal(ReadSource.Cache, hit.Source);
        Assert.Equal(cached, hit.Json);
        Assert.Equal(cached, miss.Json);
        Assert.Equal(h.Database.Peek(8), System.Text.Json.JsonSerializer.Deserialize(hit.Json!, CachingJsonContext.Default.Product));
        Assert.Null(unknown.Json);
        Assert.Equal(2, h.Database.Loads); // the miss and the unknown id; the hit loaded nothing
    }

    [Fact]
    public async Task Miss_trace_shows_GET_then_SETEX_and_the_tag_set()
    {
        await using var h = CachingHarness.Create(redis);

        var trace = (await h.Reader.GetAsync(3, cancellationToken: Ct)).Trace;

        Assert.Equal(["GET", "SETEX", "SADD", "EXPIRE"], trace.WireNames.ToArray());
        Assert.StartsWith($"SETEX {h.CacheKeys.Product(3)} 60 ", trace.Commands[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_after_update_goes_to_the_database_and_returns_the_new_data()
    {
        await using var h = CachingHarness.Create(redis);
        await h.Reader.GetAsync(5, cancellationToken: Ct);
        Assert.Equal(ReadSource.Cache, (await h.Reader.GetAsync(5, cancellationToken: Ct)).Value.Source);

        var write = await h.Writer.UpdateAsync(5, Input(name: "Renamed lamp"), cancellationToken: Ct);
        var after = (await h.Reader.GetAsync(5, cancellationToken: Ct)).Value;

        Assert.Equal(1, write.Value.KeysDeleted); // the product key (the list was never cached)
        Assert.Equal(ReadSource.Database, after.Source);
        Assert.Equal("Renamed lamp", after.Product!.Name);
        Assert.Equal(["UNLINK", "SREM"], write.Trace.WireNames.ToArray());
        Assert.StartsWith("UNLINK ", write.Trace.Commands[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_after_the_ttl_goes_to_the_database_again()
    {
        await using var h = CachingHarness.Create(redis, ttlSeconds: 1);
        await h.Reader.GetAsync(9, cancellationToken: Ct);
        Assert.Equal(ReadSource.Cache, (await h.Reader.GetAsync(9, cancellationToken: Ct)).Value.Source);

        var key = h.CacheKeys.Product(9);
        var waited = Stopwatch.StartNew();
        while (await h.Db.KeyExistsAsync(key) && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100, Ct);
        }

        var after = (await h.Reader.GetAsync(9, cancellationToken: Ct)).Value;
        Assert.Equal(ReadSource.Database, after.Source);
        Assert.Equal(2, h.Database.Loads);
    }

    [Fact]
    public async Task Bypassing_the_cache_always_reads_the_database_and_writes_nothing()
    {
        await using var h = CachingHarness.Create(redis);

        var a = (await h.Reader.GetAsync(2, bypassCache: true, cancellationToken: Ct)).Value;
        var b = (await h.Reader.GetAsync(2, bypassCache: true, cancellationToken: Ct)).Value;

        Assert.Equal(ReadSource.Database, a.Source);
        Assert.Equal(ReadSource.Database, b.Source);
        Assert.False(await h.Db.KeyExistsAsync(h.CacheKeys.Product(2)));
    }

    [Fact]
    public async Task Unknown_product_reads_null_and_caches_nothing()
    {
        await using var h = CachingHarness.Create(redis);

        var read = (await h.Reader.GetAsync(99_999, cancellationToken: Ct)).Value;

        Assert.Null(read.Product);
        Assert.False(await h.Db.KeyExistsAsync(h.CacheKeys.Product(99999)));
    }

    [Fact]
    public async Task List_is_cached_and_dropped_by_a_create()
    {
        await using var h = CachingHarness.Create(redis);
        var first = (await h.Reader.GetAllAsync(cancellationToken: Ct)).Value;
        var second = (await h.Reader.GetAllAsync(cancellationToken: Ct)).Value;

        var created = (await h.Writer.CreateAsync(Input(name: "New kettle"), cancellationToken: Ct)).Value.Product!;
        var third = (await h.Reader.GetAllAsync(cancellationToken: Ct)).Value;

        Assert.Equal(ReadSource.Database, first.Source);
        Assert.Equal(ReadSource.Cache, second.Source);
        Assert.True(first.Products.Count >= 100);
        Assert.Equal(ReadSource.Database, third.Source);
        Assert.Contains(third.Products, p => p.Id == created.Id && p.Name == "New kettle");
    }

    [Fact]
    public async Task Write_through_leaves_the_new_value_in_the_cache()
    {
        await using var h = CachingHarness.Create(redis);
        await h.Reader.GetAsync(4, cancellationToken: Ct);

        var write = await h.Writer.WriteThroughAsync(4, Input(name: "Written through", category: "toys"), cancellationToken: Ct);
        var after = (await h.Reader.GetAsync(4, cancellationToken: Ct)).Value;

        Assert.Equal(ReadSource.Cache, after.Source);
        Assert.Equal("Written through", after.Product!.Name);
        Assert.Equal("Written through", h.Database.Peek(4)!.Name);
        Assert.Contains("SETEX", write.Trace.WireNames);
    }

    [Fact]
    public async Task Delete_removes_the_product_and_its_key()
    {
        await using var h = CachingHarness.Create(redis);
        await h.Reader.GetAsync(6, cancellationToken: Ct);

        await h.Writer.DeleteAsync(6, cancellationToken: Ct);

        Assert.Null((await h.Reader.GetAsync(6, cancellationToken: Ct)).Value.Product);
        Assert.False(await h.Db.KeyExistsAsync(h.CacheKeys.Product(6)));
    }

    [Fact]
    public async Task Invalid_input_is_refused_before_anything_is_written()
    {
        await using var h = CachingHarness.Create(redis);
        var before = h.Database.Peek(8);

        var ex = await Assert.ThrowsAsync<ProductValidationException>(() => h.Writer.UpdateAsync(8, new ProductInput { Name = "a\r\nb", Price = -1, Category = "two words", Stock = null }, cancellationToken: Ct));

        Assert.Equal(["category", "name", "price", "stock"], ex.Errors.Keys.Order().ToArray());
        Assert.Equal(before, h.Database.Peek(8));
        Assert.Equal(0, h.Database.Writes);
    }

    [Fact]
    public async Task Database_latency_can_be_changed_live_and_is_validated()
    {
        await using var h = CachingHarness.Create(redis, latencyMs: 0);

        h.Database.SetLatency(TimeSpan.FromMilliseconds(60));
        var read = (await h.Reader.GetAsync(1, bypassCache: true, cancellationToken: Ct)).Value;

        Assert.True(read.Elapsed >= TimeSpan.FromMilliseconds(55), $"read took {read.Elapsed}");
        Assert.Throws<LearnerInputException>(() => h.Database.SetLatency(TimeSpan.FromMinutes(5)));
        Assert.Equal(TimeSpan.FromMilliseconds(60), h.Database.Latency);
    }

    [Fact]
    public async Task When_redis_is_down_reads_fall_back_to_the_database_and_writes_fail_fast()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var options = ConfigurationOptions.Parse($"127.0.0.1:{port}");
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 200;
        await using var dead = await ConnectionMultiplexer.ConnectAsync(options);
        await using var h = CachingHarness.Create(redis, mux: dead, tracer: new RedisTracer(dead));

        var read = (await h.Reader.GetAsync(1, cancellationToken: Ct)).Value;
        await Assert.ThrowsAsync<RedisConnectionException>(() => h.Writer.UpdateAsync(1, Input(), cancellationToken: Ct));

        Assert.Equal(ReadSource.Database, read.Source);
        Assert.False(read.RedisAvailable);
        Assert.NotNull(read.Product);
        Assert.Equal(0, h.Database.Writes);
    }

    [Fact]
    public async Task A_WRONGTYPE_reply_is_a_Redis_error_not_an_outage_so_the_read_does_not_fall_back()
    {
        await using var h = CachingHarness.Create(redis);
        await h.Db.HashSetAsync(h.CacheKeys.Product(6), "not", "a string");

        var ex = await Assert.ThrowsAsync<RedisServerException>(() => h.Reader.GetAsync(6, cancellationToken: Ct));

        Assert.StartsWith("WRONGTYPE", ex.Message, StringComparison.Ordinal);
        Assert.False(BlazorRedis.Core.Connection.RedisFailures.IsUnavailable(ex));
        Assert.True(BlazorRedis.Core.Connection.RedisFailures.IsRefusal(ex));
        Assert.True(BlazorRedis.Core.Connection.RedisFailures.IsUnavailable(new TimeoutException()));
    }

    [Fact]
    public async Task A_refused_cache_fill_after_the_database_load_still_answers_with_the_row()
    {
        await using var h = CachingHarness.Create(redis);
        // Product 1 is a book; its category's tag key holds a string, so the fill's SADD is refused (WRONGTYPE).
        await h.Db.StringSetAsync(h.CacheKeys.Tag("books"), "x");

        var read = await h.Reader.GetAsync(1, cancellationToken: Ct);

        Assert.Equal(ReadSource.Database, read.Value.Source);
        Assert.Equal(h.Database.Peek(1), read.Value.Product);
        Assert.Contains(read.Trace.Commands, c => c.Failed && c.Text.StartsWith("SADD", StringComparison.Ordinal) && c.Result.Contains("WRONGTYPE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_cache_step_after_a_committed_write_through_reports_the_keys_as_pending_not_an_error()
    {
        await using var h = CachingHarness.Create(redis);
        await h.Reader.GetAsync(1, cancellationToken: Ct);
        await h.Db.KeyDeleteAsync(h.CacheKeys.Tag("kitchen"));
        await h.Db.StringSetAsync(h.CacheKeys.Tag("kitchen"), "x");

        var write = (await h.Writer.WriteThroughAsync(1, Input(), Ct)).Value;

        Assert.Equal("Teapot", h.Database.Peek(1)!.Name);
        Assert.Equal("Teapot", write.Product!.Name);
        Assert.Contains((string)h.CacheKeys.Product(1)!, write.KeysPending);
        Assert.True(h.Pending.Contains(h.CacheKeys.Product(1)));
        Assert.Equal("Teapot", (await h.Reader.GetAsync(1, cancellationToken: Ct)).Value.Product!.Name);
    }
}
