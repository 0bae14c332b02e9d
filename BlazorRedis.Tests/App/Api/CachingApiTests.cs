using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.WriteStrategies;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.App.Api;

public class CachingApiTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Latency_can_be_read_and_changed_and_bad_values_are_400()
    {
        await using var factory = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?> { ["Catalog:DatabaseLatencyMs"] = "40" }).Start();
        using var client = factory.CreateHttpClient();

        var before = await client.GetFromJsonAsync<JsonElement>("/api/catalog/latency", Ct);
        var put = await client.PutAsJsonAsync("/api/catalog/latency", new { latencyMs = 15 }, Ct);
        var bad = await client.PutAsJsonAsync("/api/catalog/latency", new { latencyMs = -3 }, Ct);
        var after = await client.GetFromJsonAsync<JsonElement>("/api/catalog/latency", Ct);

        Assert.Equal(40, before.GetProperty("latencyMs").GetInt32());
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("latencyMs", out _));
        Assert.Equal(15, after.GetProperty("latencyMs").GetInt32());
    }

    [Fact]
    public async Task The_write_behind_queue_reports_its_length_and_drains_with_the_worker()
    {
        await using var factory = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?> { ["Catalog:DatabaseLatencyMs"] = "10" }).Start();
        using var client = factory.CreateHttpClient();
        var writeBehind = (WriteBehindService)factory.Services.GetService(typeof(WriteBehindService))!;
        writeBehind.SetPaused(true);
        await writeBehind.EnqueueAsync(2, new ProductInput { Name = "Queued", Price = 2, Category = "toys", Stock = 2 });

        var queued = await client.GetFromJsonAsync<JsonElement>("/api/cache/write-behind", Ct);
        writeBehind.SetPaused(false);
        JsonElement drained;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            await Task.Delay(50, Ct);
            drained = await client.GetFromJsonAsync<JsonElement>("/api/cache/write-behind", Ct);
        }
        while (drained.GetProperty("queueLength").GetInt64() > 0 && waited.Elapsed < TimeSpan.FromSeconds(20));

        Assert.Equal(1, queued.GetProperty("queueLength").GetInt64());
        Assert.True(queued.GetProperty("workerPaused").GetBoolean());
        Assert.True(queued.GetProperty("lagMs").GetDouble() >= 0);
        Assert.Equal(0, drained.GetProperty("queueLength").GetInt64());
        Assert.Equal(1, drained.GetProperty("appliedWrites").GetInt32());
        Assert.Equal(JsonValueKind.Null, drained.GetProperty("lagMs").ValueKind);
    }
}
