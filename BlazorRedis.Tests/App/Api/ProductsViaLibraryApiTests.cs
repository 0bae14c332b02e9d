using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.App.Api;

/// <summary><c>GET /api/products/{id}?via=hybrid|fusion</c> on the real app: the shared catalog through each library, Redis as L2.</summary>
public class ProductsViaLibraryApiTests(CachingAppFixture app, RedisServerFixture redis) : IClassFixture<CachingAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("hybrid", 11)]
    [InlineData("fusion", 12)]
    public async Task The_first_read_loads_the_database_and_the_next_is_a_cache_hit_with_the_same_product(string via, int id)
    {
        using var client = app.Factory.CreateHttpClient();

        var first = await client.GetFromJsonAsync<JsonElement>($"/api/products/{id}?via={via}", Ct);
        var second = await client.GetFromJsonAsync<JsonElement>($"/api/products/{id}?via={via}", Ct);
        var plain = await client.GetFromJsonAsync<JsonElement>($"/api/products/{id}?bypassCache=true", Ct);

        Assert.Equal("database", first.GetProperty("source").GetString());
        Assert.Equal("cache", second.GetProperty("source").GetString());
        Assert.Equal(plain.GetProperty("data").GetProperty("name").GetString(), second.GetProperty("data").GetProperty("name").GetString());
        Assert.Equal(plain.GetProperty("data").GetProperty("price").GetDecimal(), second.GetProperty("data").GetProperty("price").GetDecimal());
        Assert.True(second.GetProperty("responseTimeMs").GetDouble() >= 0);
    }

    /// <summary>What the Live metrics page says it counts: a <c>?via=</c> read leaves the stats alone, a plain read is counted.</summary>
    [Fact]
    public async Task A_via_read_leaves_the_cache_stats_alone_and_a_plain_read_is_counted()
    {
        using var client = app.Factory.CreateHttpClient();
        var before = await StatsAsync(client);

        foreach (var via in new[] { "hybrid", "hybrid", "fusion", "fusion" })
        {
            using var read = await client.GetAsync($"/api/products/13?via={via}", Ct);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        Assert.Equal(before, await StatsAsync(client));

        using (var plain = await client.GetAsync("/api/products/13", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        }

        var after = await StatsAsync(client);
        Assert.Equal(before.Hits + before.Misses + 1, after.Hits + after.Misses);
    }

    private static async Task<(long Hits, long Misses, long DatabaseLoads)> StatsAsync(HttpClient client)
    {
        var json = await client.GetFromJsonAsync<JsonElement>("/api/cache/stats", Ct);
        return (json.GetProperty("hits").GetInt64(), json.GetProperty("misses").GetInt64(), json.GetProperty("databaseLoads").GetInt64());
    }

    [Theory]
    [InlineData("/api/products/1?via=redis", "via")]
    [InlineData("/api/products/1?via=", "via")]
    [InlineData("/api/products/1?via=HYBRID", "via")]
    [InlineData("/api/products/1?via=hybrid&bypassCache=true", "bypassCache")]
    [InlineData("/api/products/abc?via=fusion", "id")]
    public async Task Bad_queries_answer_400_with_the_field_and_read_nothing(string url, string field)
    {
        using var client = app.Factory.CreateHttpClient();

        await SessionApiTests.AssertFieldErrorAsync(await client.GetAsync(url, Ct), field);
    }

    [Theory]
    [InlineData("hybrid")]
    [InlineData("fusion")]
    public async Task An_unknown_product_is_a_404_problem(string via)
    {
        using var client = app.Factory.CreateHttpClient();

        using var response = await client.GetAsync($"/api/products/99999?via={via}", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("hybrid", 14)]
    [InlineData("fusion", 15)]
    public async Task Unknown_products_leave_no_key_in_redis_while_a_known_one_is_cached(string via, int known)
    {
        using var client = app.Factory.CreateHttpClient();
        var unknown = Enumerable.Range(0, 10).Select(i => (via == "hybrid" ? 700_000 : 800_000) + i).ToList();

        foreach (var id in unknown)
        {
            using var response = await client.GetAsync($"/api/products/{id}?via={via}", Ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using (var hit = await client.GetAsync($"/api/products/{known}?via={via}", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
        }

        var keys = new List<string>();
        await foreach (var key in redis.Multiplexer.GetServers()[0].KeysAsync(pattern: app.Factory.Prefix + "lib:*").WithCancellation(Ct))
        {
            keys.Add(key.ToString());
        }

        Assert.Contains(keys, k => k.Contains($"product:{known}", StringComparison.Ordinal)); // the scan sees what the library writes
        Assert.DoesNotContain(keys, k => unknown.Any(id => k.Contains($"product:{id}", StringComparison.Ordinal)));
    }
}
