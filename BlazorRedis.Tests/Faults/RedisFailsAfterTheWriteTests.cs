using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorRedis.Core.Caching.CacheAside;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.Invalidation;
using BlazorRedis.Tests.Core.Caching;
using BlazorRedis.Tests.Infrastructure;
using BlazorRedis.Tests.Infrastructure.Chaos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Faults;

/// <summary>
/// Redis fails in the gap between a write to the database and the invalidation of the cache. The write cannot be
/// taken back, so it must be reported as done (with the keys still to clear), reads must not serve the stale copy,
/// and the keys must be cleared once Redis answers again.
/// </summary>
public class RedisFailsAfterTheWriteTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly ProductInput Renamed = new() { Name = "Renamed lamp", Category = "renamed", Price = 9.5m, Stock = 4 };

    private (CachingHarness Harness, ChaosOptions Chaos) Create()
    {
        var chaos = new ChaosOptions();
        var database = new FailAfterWriteDatabase(new InMemoryProductDatabase(100, TimeSpan.FromMilliseconds(5)), () => chaos.ErrorProbability = 1);
        var harness = CachingHarness.Create(redis, mux: ChaosRedis.Wrap(redis.Multiplexer, chaos), database: database);
        return (harness, chaos);
    }

    private IDatabase Raw => redis.Multiplexer.GetDatabase();

    [Fact]
    public async Task An_update_is_reported_done_with_its_keys_pending_reads_skip_the_stale_copy_and_a_retry_clears_it()
    {
        var (harness, chaos) = Create();
        await using var _ = harness;
        var keys = harness.CacheKeys;
        var pending = harness.Pending;
        var old = (await harness.Reader.GetAsync(5, cancellationToken: Ct)).Value.Product!;
        await harness.Reader.GetAllAsync(cancellationToken: Ct);
        Assert.True(await Raw.KeyExistsAsync(keys.Product(5)));

        var write = (await harness.Writer.UpdateAsync(5, Renamed, Ct)).Value;

        Assert.Equal("Renamed lamp", write.Product?.Name);
        Assert.Equal("Renamed lamp", harness.Database.Peek(5)?.Name);
        Assert.Equal([(string)keys.Product(5)!, (string)keys.List!], write.KeysPending);
        Assert.Equal(0, write.KeysDeleted);
        Assert.Equal(write.KeysPending.Order(StringComparer.Ordinal), pending.Keys);

        // The stale copy is still in Redis, but this app does not serve it, even once Redis answers again.
        chaos.Reset();
        Assert.Contains(old.Name, (string?)await Raw.StringGetAsync(keys.Product(5)), StringComparison.Ordinal);
        var read = (await harness.Reader.GetAsync(5, cancellationToken: Ct)).Value;
        Assert.Equal(ReadSource.Database, read.Source);
        Assert.Equal("Renamed lamp", read.Product?.Name);
        var list = (await harness.Reader.GetAllAsync(cancellationToken: Ct)).Value;
        Assert.Equal(ReadSource.Database, list.Source);
        Assert.Equal("Renamed lamp", list.Products.Single(p => p.Id == 5).Name);
        Assert.Contains(old.Name, (string?)await Raw.StringGetAsync(keys.Product(5)), StringComparison.Ordinal);

        Assert.Equal(2, await pending.RetryAsync());

        Assert.Equal(0, pending.Count);
        Assert.False(await Raw.KeyExistsAsync(keys.Product(5)));
        Assert.False(await Raw.KeyExistsAsync(keys.List));
        Assert.False(await Raw.SetContainsAsync(keys.Tag(old.Category), (string)keys.Product(5)!));
        Assert.Equal(ReadSource.Database, (await harness.Reader.GetAsync(5, cancellationToken: Ct)).Value.Source);
        var cached = (await harness.Reader.GetAsync(5, cancellationToken: Ct)).Value;
        Assert.Equal(ReadSource.Cache, cached.Source);
        Assert.Equal("Renamed lamp", cached.Product?.Name);
    }

    [Fact]
    public async Task A_retry_while_redis_is_still_down_keeps_the_keys_pending()
    {
        var (harness, _) = Create();
        await using var _h = harness;
        var pending = harness.Pending;
        await harness.Reader.GetAsync(6, cancellationToken: Ct);

        var write = (await harness.Writer.DeleteAsync(6, Ct)).Value;

        Assert.Equal(6, write.Product?.Id);
        Assert.False(harness.Database.Contains(6));
        Assert.Equal(2, write.KeysPending.Count);
        Assert.Equal(0, await pending.RetryAsync());
        Assert.Equal(2, pending.Count);
        Assert.Null((await harness.Reader.GetAsync(6, cancellationToken: Ct)).Value.Product);
    }

    [Fact]
    public async Task A_write_through_whose_cache_update_fails_leaves_no_key_written_and_its_product_key_pending()
    {
        var (harness, chaos) = Create();
        await using var _ = harness;
        var keys = harness.CacheKeys;
        await harness.Reader.GetAsync(7, cancellationToken: Ct);

        var write = (await harness.Writer.WriteThroughAsync(7, Renamed, Ct)).Value;

        Assert.Equal("Renamed lamp", harness.Database.Peek(7)?.Name);
        Assert.Empty(write.KeysWritten);
        Assert.Contains((string)keys.Product(7)!, write.KeysPending);
        chaos.Reset();
        Assert.Equal("Renamed lamp", (await harness.Reader.GetAsync(7, cancellationToken: Ct)).Value.Product?.Name);
    }

    [Fact]
    public async Task The_worker_clears_pending_keys_by_itself_once_redis_answers()
    {
        var (harness, chaos) = Create();
        await using var _ = harness;
        var keys = harness.CacheKeys;
        var pending = harness.Pending;
        var worker = harness.Services.GetServices<IHostedService>().OfType<PendingInvalidationWorker>().Single();
        await harness.Reader.GetAsync(8, cancellationToken: Ct);
        await harness.Writer.UpdateStockAsync(8, 11, cancellationToken: Ct);
        Assert.Equal(2, pending.Count);

        chaos.Reset();
        await worker.StartAsync(Ct);
        try
        {
            // The worker looks once a second; give a busy machine plenty of time.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (pending.Count > 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, Ct);
            }
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }

        Assert.Equal(0, pending.Count);
        Assert.False(await Raw.KeyExistsAsync(keys.Product(8)));
    }

    [Fact]
    public async Task The_api_answers_a_write_that_happened_with_200_and_a_warning_not_503()
    {
        var chaos = new ChaosOptions();
        await using var app = new ChaosAppFactory(redis.Configuration, chaos, services => services.AddSingleton<IProductDatabase>(sp => new FailAfterWriteDatabase(
            new InMemoryProductDatabase(sp.GetRequiredService<IOptions<CatalogOptions>>(), sp.GetService<TimeProvider>()),
            () => chaos.ErrorProbability = 1)));
        app.Start();
        using var client = app.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/products/3", Ct)).StatusCode);

        using var put = await client.PutAsJsonAsync("/api/products/3", new { name = "Renamed lamp", category = "renamed", price = 9.5, stock = 4 }, Ct);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using var body = JsonDocument.Parse(await put.Content.ReadAsStringAsync(Ct));
        Assert.Equal("Renamed lamp", body.RootElement.GetProperty("data").GetProperty("name").GetString());
        Assert.Equal(2, body.RootElement.GetProperty("pendingKeys").GetArrayLength());
        Assert.Contains("Redis failed before the cache was cleared", body.RootElement.GetProperty("warning").GetString(), StringComparison.Ordinal);

        chaos.Reset();
        using var get = await client.GetAsync("/api/products/3", Ct);
        using var read = JsonDocument.Parse(await get.Content.ReadAsStringAsync(Ct));
        Assert.Equal("Renamed lamp", read.RootElement.GetProperty("data").GetProperty("name").GetString());

        // A delete that loses Redis the same way: 200 with the warning (a 204 could not carry it).
        using var delete = await client.DeleteAsync("/api/products/4", Ct);
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Contains("pendingKeys", await delete.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
