using System.Net;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.App;

/// <summary>With no redis-server binary for the sandbox, the lab explains itself and the rest of the app works.</summary>
public class EvictionLabWithoutRedisServerTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_bogus_sandbox_server_path_leaves_the_app_working_and_the_lab_explaining()
    {
        await using var factory = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?>
        {
            ["Caching:Eviction:ServerPath"] = "/nonexistent/redis-server",
        }).Start();
        using var client = factory.CreateHttpClient();

        var lab = await client.GetStringAsync("/caching/eviction", TestContext.Current.CancellationToken);
        using var stats = await client.GetAsync("/api/cache/stats", TestContext.Current.CancellationToken);
        using var metrics = await client.GetAsync("/metrics", TestContext.Current.CancellationToken);

        Assert.Contains("no redis-server binary was found", lab, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"lab-unavailable\"", lab, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }
}
