using System.Net;
using System.Net.Http.Json;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.App.BadInput;

/// <summary>
/// A fresh app with its own key prefix, warmed up with one valid request per endpoint, and the keys that warm-up
/// left behind: whatever a bad request adds to that set was written by a rejected input.
/// </summary>
public sealed class BadInputAppFixture(RedisServerFixture redis) : IAsyncLifetime
{
    public BlazorRedisAppFactory Factory { get; private set; } = null!;

    /// <summary>The app's keys after the valid warm-up.</summary>
    public IReadOnlySet<string> KeysBefore { get; private set; } = new HashSet<string>();

    public async ValueTask InitializeAsync()
    {
        Factory = new BlazorRedisAppFactory(redis.Configuration).Start();

        // As the teacher: the warm-up includes the class-wide controls (latency, totals reset).
        using var client = await Factory.CreateTeacherClientAsync();
        async Task Ok(Task<HttpResponseMessage> send)
        {
            using var response = await send;
            Assert.True(response.IsSuccessStatusCode, $"warm-up {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode}");
        }

        await Ok(client.GetAsync("/api/products"));
        await Ok(client.GetAsync("/api/products/1"));
        await Ok(client.PutAsJsonAsync("/api/products/1", new { name = "Warm lamp", price = 10m, category = "home", stock = 4 }));
        await Ok(client.PostAsJsonAsync("/api/products", new { name = "Warm chair", price = 20m, category = "home", stock = 2 }));
        await Ok(client.GetAsync("/api/products/1"));
        await Ok(client.GetAsync("/api/catalog/latency"));
        await Ok(client.PutAsJsonAsync("/api/catalog/latency", new { latencyMs = 0 }));
        await Ok(client.PostAsJsonAsync("/api/cache/stampede", new { requests = 2, protection = "lock" }));
        await Ok(client.GetAsync("/api/cache/write-behind"));
        await Ok(client.GetAsync("/api/cache/stats"));
        await Ok(client.PostAsync("/api/cache/stats/reset", null));
        await Ok(client.GetAsync("/api/bench/raw"));
        await Ok(client.PostAsJsonAsync("/api/session/login", new { username = "warmup" }));
        await Ok(client.GetAsync("/api/session/me"));
        await Ok(client.PostAsync("/api/session/logout", JsonContent.Create(new { })));
        await Ok(client.PostAsJsonAsync("/api/pubsub/publish", new { channel = "warmup", message = "hi" }));
        foreach (var algorithm in RateLimitAlgorithms.All)
        {
            await Ok(client.GetAsync($"/api/limited/{algorithm.Slug()}"));
        }

        // A logged-out session answers 401: the warm-up must not leave one alive to be touched by a bad case.
        using var me = await client.GetAsync("/api/session/me");
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        KeysBefore = await KeysAsync();
    }

    /// <summary>Every key under the app's prefix now.</summary>
    public async Task<IReadOnlySet<string>> KeysAsync()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in redis.Multiplexer.GetEndPoints())
        {
            await foreach (var key in redis.Multiplexer.GetServer(endpoint).KeysAsync(pattern: Factory.Prefix + "*", pageSize: 500))
            {
                keys.Add(key.ToString());
            }
        }

        return keys;
    }

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();
}
