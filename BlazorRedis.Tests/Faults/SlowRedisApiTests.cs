using System.Diagnostics;
using System.Net;
using System.Text.Json;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Connection.Chaos;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Faults;

/// <summary>The real app on Kestrel whose one multiplexer is wrapped by <see cref="ChaosRedis"/>.</summary>
public class SlowRedisApiTests(RedisServerFixture redis)
{
    private sealed class ChaosAppFactory(string redisConfiguration, ChaosOptions chaos) : BlazorRedisAppFactory(redisConfiguration, new Dictionary<string, string?>
    {
        ["Catalog:DatabaseLatencyMs"] = "20",
        ["Caching:RedisTimeoutMs"] = "200",
    })
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IConnectionMultiplexer>(sp =>
                ChaosRedis.Wrap(ConnectionMultiplexer.Connect(sp.GetRequiredService<RedisEndpoint>().CreateOptions()), chaos)));
        }
    }

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
