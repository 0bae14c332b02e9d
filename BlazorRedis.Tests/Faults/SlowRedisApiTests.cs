using System.Diagnostics;
using System.Net;
using System.Text.Json;
using BlazorRedis.Tests.Infrastructure;
using BlazorRedis.Tests.Infrastructure.Chaos;

namespace BlazorRedis.Tests.Faults;

/// <summary>The real app on Kestrel whose one multiplexer is wrapped by <see cref="ChaosRedis"/> (<see cref="ChaosAppFactory"/>).</summary>
public class SlowRedisApiTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_product_read_from_a_slow_redis_answers_from_the_database_within_its_budget()
    {
        var ct = TestContext.Current.CancellationToken;
        var chaos = new ChaosOptions();
        await using var app = new ChaosAppFactory(redis.Configuration, chaos);
        app.Start();
        using var client = app.CreateHttpClient();

        Assert.Equal("database", await SourceAsync(client, ct));
        Assert.Equal("cache", await SourceAsync(client, ct));

        chaos.Delay = TimeSpan.FromSeconds(5);
        var sw = Stopwatch.StartNew();
        var slow = await SourceAsync(client, ct);
        sw.Stop();
        Assert.Equal("database", slow);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3), $"the read took {sw.Elapsed}: it waited for the slow Redis");

        chaos.Reset();
        Assert.Equal("cache", await SourceAsync(client, ct));
    }

    private static async Task<string?> SourceAsync(HttpClient client, CancellationToken ct)
    {
        using var response = await client.GetAsync("/api/products/9", ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return doc.RootElement.GetProperty("source").GetString();
    }
}
