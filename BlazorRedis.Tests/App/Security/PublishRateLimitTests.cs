using System.Net;
using System.Net.Http.Json;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.App.Security;

public class PublishRateLimitTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Publishes_beyond_the_per_address_limit_get_429_with_retry_after_and_reach_no_one()
    {
        await using var app = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?>
        {
            ["RateLimiting:PublishPermitLimit"] = "3",
            ["RateLimiting:PublishWindowSeconds"] = "60",
        }).Start();
        using var client = app.CreateHttpClient();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 5; i++)
        {
            last?.Dispose();
            last = await client.PostAsJsonAsync("/api/pubsub/publish", new { channel = "news", message = $"flood {i}" }, Ct);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(int.Parse(last!.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        last.Dispose();

        // The refused publishes were never journalled.
        Assert.Equal(3, await redis.Multiplexer.GetDatabase().StreamLengthAsync(app.Prefix + "pubsub:journal"));
    }
}
