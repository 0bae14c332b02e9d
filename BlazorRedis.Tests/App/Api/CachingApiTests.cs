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
        using var client = await factory.CreateTeacherClientAsync(Ct);

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

    // A whole number too big for an int used to say only "not valid JSON of the shape this endpoint takes".
    [Theory]
    [InlineData("PUT", "/api/catalog/latency", """{"latencyMs":99999999999}""", "\"latencyMs\" must be a whole number between 0 and 30000")]
    [InlineData("PUT", "/api/catalog/latency", """{"latencyMs":-999999999999999999999999}""", "\"latencyMs\" must be a whole number between 0 and 30000")]
    [InlineData("POST", "/api/cache/stampede", """{"requests":99999999999,"protection":"none"}""", "\"requests\" must be a whole number between 1 and 5000")]
    [InlineData("POST", "/api/classroom/class/stampedes", """{"protection":"none","windowSeconds":99999999999}""", "\"windowSeconds\" must be a whole number between 2 and 60")]
    public async Task A_number_beyond_int_in_a_field_with_a_range_is_a_400_naming_the_field_and_its_range(string method, string path, string body, string detail)
    {
        await using var factory = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?> { ["Catalog:DatabaseLatencyMs"] = "40" }).Start();
        using var client = await factory.CreateTeacherClientAsync(Ct);
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(40, (await client.GetFromJsonAsync<JsonElement>("/api/catalog/latency", Ct)).GetProperty("latencyMs").GetInt32());
        Assert.DoesNotContain(factory.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    // {"latencyMs":15,"latencyMs":20} was read as 20 with a 200: the last one won silently.
    [Fact]
    public async Task A_member_sent_twice_in_a_bound_body_is_a_400_naming_it_and_changes_nothing()
    {
        await using var factory = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?> { ["Catalog:DatabaseLatencyMs"] = "40" }).Start();
        using var client = await factory.CreateTeacherClientAsync(Ct);
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/catalog/latency") { Content = new StringContent("""{"latencyMs":15,"latencyMs":20}""", System.Text.Encoding.UTF8, "application/json") };

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"latencyMs\" appears more than once", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(40, (await client.GetFromJsonAsync<JsonElement>("/api/catalog/latency", Ct)).GetProperty("latencyMs").GetInt32());
        Assert.DoesNotContain(factory.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
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

    [Fact]
    public async Task Put_with_a_strategy_writes_behind_or_through_and_an_unknown_strategy_is_400_and_changes_nothing()
    {
        await using var factory = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?> { ["Catalog:DatabaseLatencyMs"] = "10" }).Start();
        using var client = factory.CreateHttpClient();
        var writeBehind = (WriteBehindService)factory.Services.GetService(typeof(WriteBehindService))!;
        var database = (IProductDatabase)factory.Services.GetService(typeof(IProductDatabase))!;
        writeBehind.SetPaused(true, "API");
        var nameBefore = database.Peek(6)!.Name;

        using var behind = await client.PutAsJsonAsync("/api/products/6?strategy=write-behind", new { name = "Behind", price = 3, category = "toys", stock = 3 }, Ct);
        var behindBody = await behind.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var stillOld = database.Peek(6)!.Name;
        using var cachedRead = await client.GetAsync("/api/products/6", Ct);
        var cached = await cachedRead.Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var through = await client.PutAsJsonAsync("/api/products/8?strategy=write-through", new { name = "Through", price = 4, category = "toys", stock = 4 }, Ct);
        using var bad = await client.PutAsJsonAsync("/api/products/9?strategy=write-sideways", new { name = "Nope", price = 5, category = "toys", stock = 5 }, Ct);
        using var missing = await client.PutAsJsonAsync("/api/products/99999?strategy=write-behind", new { name = "Nope", price = 5, category = "toys", stock = 5 }, Ct);
        var status = await client.GetFromJsonAsync<JsonElement>("/api/cache/write-behind", Ct);

        Assert.Equal(HttpStatusCode.Accepted, behind.StatusCode);
        Assert.Matches("^[0-9]+-[0-9]+$", behindBody.GetProperty("entryId").GetString());
        Assert.Equal("Behind", behindBody.GetProperty("data").GetProperty("name").GetString());
        Assert.Equal(nameBefore, stillOld);
        Assert.Equal("cache", cached.GetProperty("source").GetString());
        Assert.Equal("Behind", cached.GetProperty("data").GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, through.StatusCode);
        Assert.Equal("Through", database.Peek(8)!.Name);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("strategy", out _));
        Assert.NotEqual("Nope", database.Peek(9)!.Name);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(1, status.GetProperty("queueLength").GetInt64());
        Assert.Equal("API", status.GetProperty("pausedBy").GetString());
        Assert.Equal(10_000, status.GetProperty("maxQueue").GetInt32());
    }

    [Fact]
    public async Task The_write_behind_status_reports_the_queued_writes_a_newer_direct_write_superseded_and_the_openapi_document_describes_it()
    {
        await using var factory = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?> { ["Catalog:DatabaseLatencyMs"] = "10" }).Start();
        using var client = factory.CreateHttpClient();
        var writeBehind = (WriteBehindService)factory.Services.GetService(typeof(WriteBehindService))!;
        var database = (IProductDatabase)factory.Services.GetService(typeof(IProductDatabase))!;
        writeBehind.SetPaused(true, "API");

        using var behind = await client.PutAsJsonAsync("/api/products/4?strategy=write-behind", new { name = "Older", price = 3, category = "toys", stock = 3 }, Ct);
        using var through = await client.PutAsJsonAsync("/api/products/4?strategy=write-through", new { name = "Newer", price = 4, category = "toys", stock = 4 }, Ct);
        var queued = await client.GetFromJsonAsync<JsonElement>("/api/cache/write-behind", Ct);
        // The worker's pass, run here so the test does not wait for it: the queued write is older than the direct one.
        var pass = await writeBehind.ApplyAsync(await writeBehind.ReadAsync("a-test-worker", ">"), Ct);
        var applied = await client.GetFromJsonAsync<JsonElement>("/api/cache/write-behind", Ct);
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);

        Assert.Equal(HttpStatusCode.Accepted, behind.StatusCode);
        Assert.Equal(HttpStatusCode.OK, through.StatusCode);
        Assert.Equal(0, queued.GetProperty("supersededWrites").GetInt64());
        Assert.Equal(0, pass.Applied);
        Assert.Equal("Newer", database.Peek(4)!.Name);
        Assert.Equal(1, applied.GetProperty("supersededWrites").GetInt64());
        Assert.Equal(0, applied.GetProperty("queueLength").GetInt64());
        Assert.True(document.GetProperty("components").GetProperty("schemas").GetProperty("WriteBehindResponse").GetProperty("properties").TryGetProperty("supersededWrites", out _));
        var summary = document.GetProperty("paths").GetProperty("/api/cache/write-behind").GetProperty("get").GetProperty("summary").GetString();
        Assert.Contains("superseded", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_write_behind_queue_answers_503_with_retry_after_and_queues_nothing()
    {
        await using var factory = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?>
        {
            ["Catalog:DatabaseLatencyMs"] = "10",
            ["Caching:WriteBehindMaxQueue"] = "10",
        }).Start();
        using var client = factory.CreateHttpClient();
        var writeBehind = (WriteBehindService)factory.Services.GetService(typeof(WriteBehindService))!;
        writeBehind.SetPaused(true, "API");
        for (var i = 1; i <= 10; i++)
        {
            using var ok = await client.PutAsJsonAsync($"/api/products/{i}?strategy=write-behind", new { name = $"Q{i}", price = 3, category = "toys", stock = i }, Ct);
            Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        }

        using var full = await client.PutAsJsonAsync("/api/products/11?strategy=write-behind", new { name = "Too many", price = 3, category = "toys", stock = 11 }, Ct);
        var problem = await full.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var status = await client.GetFromJsonAsync<JsonElement>("/api/cache/write-behind", Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, full.StatusCode);
        Assert.Equal("application/problem+json", full.Content.Headers.ContentType?.MediaType);
        Assert.InRange(full.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Contains("queue is full", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(10, status.GetProperty("queueLength").GetInt64());
    }
}
