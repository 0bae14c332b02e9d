using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.App.Api;

/// <summary>The product API's writes have a budget: the catalog has a size cap, and each client address a write rate.</summary>
public class ProductWriteBudgetTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Body(string name) => new($$"""{"name":"{{name}}","price":9.99,"category":"toys","stock":4}""", Encoding.UTF8, "application/json");

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(Ct))!;

    [Fact]
    public async Task A_create_into_a_full_catalog_is_a_409_problem_and_changes_nothing()
    {
        await using var app = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?>
        {
            ["Catalog:DatabaseLatencyMs"] = "0",
            ["Catalog:ProductCount"] = "100",
            ["Catalog:MaxProducts"] = "101",
        }).Start();
        using var client = app.CreateHttpClient();

        using var first = await client.PostAsync("/api/products", Body("The last place"), Ct);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(101, (await JsonAsync(await client.GetAsync("/api/products", Ct))).GetProperty("count").GetInt32());
        Assert.Equal("cache", (await JsonAsync(await client.GetAsync("/api/products", Ct))).GetProperty("source").GetString());

        using var refused = await client.PostAsync("/api/products", Body("One too many"), Ct);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(refused);
        Assert.Equal("The catalog is full", problem.GetProperty("title").GetString());
        Assert.Contains("101 products", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(101, problem.GetProperty("maxProducts").GetInt32());

        // Nothing changed: the cached list was not dropped and still holds the 101 products.
        var list = await JsonAsync(await client.GetAsync("/api/products", Ct));
        Assert.Equal("cache", list.GetProperty("source").GetString());
        Assert.Equal(101, list.GetProperty("count").GetInt32());
        Assert.DoesNotContain(list.GetProperty("data").EnumerateArray(), p => p.GetProperty("name").GetString() == "One too many");

        // A delete makes room again.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/products/1", Ct)).StatusCode);
        using var again = await client.PostAsync("/api/products", Body("Room again"), Ct);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }

    [Fact]
    public async Task Product_writes_beyond_the_per_address_limit_get_429_with_retry_after_and_reads_stay_unlimited()
    {
        await using var app = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?>
        {
            ["Catalog:DatabaseLatencyMs"] = "0",
            ["RateLimiting:ProductWritePermitLimit"] = "3",
            ["RateLimiting:ProductWriteWindowSeconds"] = "60",
        }).Start();
        using var client = app.CreateHttpClient();
        var before = (await JsonAsync(await client.GetAsync("/api/products", Ct))).GetProperty("count").GetInt32();

        // POST, PUT and DELETE share one budget.
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/products", Body("Allowed"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("/api/products/5", Body("Allowed update"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/products/6", Ct)).StatusCode);

        using var post = await client.PostAsync("/api/products", Body("Refused"), Ct);
        using var put = await client.PutAsync("/api/products/7", Body("Refused update"), Ct);
        using var delete = await client.DeleteAsync("/api/products/8", Ct);

        foreach (var refused in new[] { post, put, delete })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.True(int.Parse(refused.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        }

        // The refused writes changed nothing, and reads are not limited.
        for (var i = 0; i < 20; i++)
        {
            using var read = await client.GetAsync("/api/products/8", Ct);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        var product7 = await JsonAsync(await client.GetAsync("/api/products/7", Ct));
        Assert.NotEqual("Refused update", product7.GetProperty("data").GetProperty("name").GetString());
        Assert.Equal(before, (await JsonAsync(await client.GetAsync("/api/products?bypassCache=true", Ct))).GetProperty("count").GetInt32());
    }
}
