using System.Net;
using System.Net.Http.Json;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.App.Security;

public class LoginRateLimitTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Login_attempts_beyond_the_limit_get_429_with_retry_after_and_create_no_session()
    {
        // Five usernames from one address: the per-address ceiling is the limit that bites.
        await using var app = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?>
        {
            ["RateLimiting:LoginAddressPermitLimit"] = "3",
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

    [Fact]
    public async Task Thirty_learners_behind_one_address_can_all_log_in_within_a_minute_under_the_default_limits()
    {
        await using var app = WithDefaultLoginLimits();
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = app.BaseAddress };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            using var response = await client.PostAsJsonAsync("/api/session/login", new { username = $"learner{i:00}" }, Ct);
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task Guessing_at_one_username_stays_capped_while_others_from_the_same_address_still_log_in()
    {
        await using var app = WithDefaultLoginLimits();
        var limit = new RateLimitingOptions().LoginPermitLimit;
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = app.BaseAddress };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < limit + 5; i++)
        {
            // Case does not make a new budget.
            using var response = await client.PostAsJsonAsync("/api/session/login", new { username = i % 2 == 0 ? "alice" : "ALICE" }, Ct);
            statuses.Add(response.StatusCode);
        }

        using var refused = await client.PostAsJsonAsync("/api/session/login", new { username = "Alice" }, Ct);
        using var bob = await client.PostAsJsonAsync("/api/session/login", new { username = "bob" }, Ct);

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, limit), statuses.Take(limit));
        Assert.All(statuses.Skip(limit), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True(int.Parse(refused.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(limit.ToString(System.Globalization.CultureInfo.InvariantCulture), refused.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.Equal(HttpStatusCode.OK, bob.StatusCode);
    }

    /// <summary>The app with the login limits a fresh install has (the test factory lifts them for unrelated tests).</summary>
    private BlazorRedisAppFactory WithDefaultLoginLimits()
    {
        var defaults = new RateLimitingOptions();
        return new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?>
        {
            ["RateLimiting:LoginPermitLimit"] = defaults.LoginPermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimiting:LoginAddressPermitLimit"] = defaults.LoginAddressPermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimiting:LoginWindowSeconds"] = defaults.LoginWindowSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Start();
    }
}
