using System.Net;
using System.Net.Http.Json;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.App.Security;

public class LoginRateLimitTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Login_attempts_beyond_the_limit_get_429_with_retry_after_and_create_no_session()
    {
        await using var app = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?>
        {
            ["RateLimiting:LoginPermitLimit"] = "3",
            ["RateLimiting:LoginWindowSeconds"] = "60",
        }).Start();
        // No cookie jar: every attempt is a fresh login (with cookies, each login would rotate the last one away).
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = app.BaseAddress };

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 5; i++)
        {
            last?.Dispose();
            last = await client.PostAsJsonAsync("/api/session/login", new { username = $"guesser{i}" }, TestContext.Current.CancellationToken);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(int.Parse(last!.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("3", last.Headers.GetValues("X-RateLimit-Limit").Single());
        last.Dispose();

        var server = redis.Multiplexer.GetServers().First();
        var sessionKeys = 0;
        await foreach (var _ in server.KeysAsync(pattern: app.Prefix + "*session:*"))
        {
            sessionKeys++;
        }

        Assert.Equal(3, sessionKeys);
    }

    [Fact]
    public async Task The_login_limit_does_not_touch_other_endpoints()
    {
        await using var app = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?>
        {
            ["RateLimiting:LoginPermitLimit"] = "1",
        }).Start();
        using var client = app.CreateHttpClient();

        using (await client.PostAsJsonAsync("/api/session/login", new { username = "a" }, TestContext.Current.CancellationToken))
        {
        }

        for (var i = 0; i < 3; i++)
        {
            using var health = await client.GetAsync("/health", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
    }
}
