using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.App.Cluster;

/// <summary>The real app on Kestrel, pointed at the 3-master cluster by a REDIS_URL that lists every node.</summary>
[Collection(OnRedisCluster.Name)]
public sealed class AppOnClusterTests(RedisClusterFixture cluster)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_REDIS_URL_with_every_node_runs_the_cache_sessions_publish_and_rate_limits_on_the_cluster()
    {
        var url = "redis://" + string.Join(',', cluster.Configuration.Split(','));
        await using var app = new BlazorRedisAppFactory(null, new Dictionary<string, string?> { ["REDIS_URL"] = url, ["Catalog:DatabaseLatencyMs"] = "20" }).Start();
        using var client = new HttpClient(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = app.BaseAddress };

        Assert.Equal("database", await SourceAsync(client, "/api/products/5"));
        Assert.Equal("cache", await SourceAsync(client, "/api/products/5"));
        using (var put = await client.PutAsJsonAsync("/api/products/5", new { name = "Clustered", price = 3.5, category = "garden", stock = 2 }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode); // UNLINK of the product and the list: one slot
        }

        Assert.Equal("database", await SourceAsync(client, "/api/products/5"));

        using (var login = await client.PostAsJsonAsync("/api/session/login", new { username = "ada" }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        using (var me = await client.GetAsync("/api/session/me", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }

        using (var publish = await client.PostAsJsonAsync("/api/pubsub/publish", new { channel = "orders.created", message = "order 1" }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
        }

        using (var limited = await client.GetAsync("/api/limited/token-bucket", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, limited.StatusCode);
        }

        Assert.Contains("REDIS_URL", app.Logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("CROSSSLOT", app.Logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("MOVED", app.Logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(app.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    private static async Task<string?> SourceAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return json.RootElement.GetProperty("source").GetString();
    }
}
