using System.Net;
using System.Text;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.App.Api;

/// <summary>
/// The endpoints with a Redis limit of their own (publish, login, product writes) count a request only once it is
/// valid: bad bodies and ids get their 400, spend none of the budget and write no limiter key; valid requests are
/// still limited.
/// </summary>
public class EndpointLimitBadInputTests(RedisServerFixture redis)
{
    private const int Limit = 2;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Endpoints => new(Cases.Keys);

    /// <summary>Per endpoint: bad requests, and a valid one (sent <see cref="Limit"/> + 1 times).</summary>
    private static readonly Dictionary<string, ((HttpMethod Method, string Path, string? Body)[] Bad, (HttpMethod Method, string Path, string? Body) Good)> Cases = new()
    {
        ["publish"] = (
            [
                (HttpMethod.Post, "/api/pubsub/publish", """{"channel":"","message":"x"}"""),
                (HttpMethod.Post, "/api/pubsub/publish", """{"channel":null,"message":"x"}"""),
                (HttpMethod.Post, "/api/pubsub/publish", """{"channel":"news"}"""),
                (HttpMethod.Post, "/api/pubsub/publish", """{"channel":"""),
                (HttpMethod.Post, "/api/pubsub/publish", """{"channel":1,"message":"x"}"""),
            ],
            (HttpMethod.Post, "/api/pubsub/publish", """{"channel":"news","message":"hi"}""")),
        ["login"] = (
            [
                (HttpMethod.Post, "/api/session/login", """{"username":null}"""),
                (HttpMethod.Post, "/api/session/login", """{"username":""}"""),
                (HttpMethod.Post, "/api/session/login", """{"username":"""),
                (HttpMethod.Post, "/api/session/login", """{}"""),
            ],
            (HttpMethod.Post, "/api/session/login", """{"username":"ada"}""")),
        ["product writes"] = (
            [
                (HttpMethod.Post, "/api/products", """{"name":"","price":1,"category":"home","stock":1}"""),
                (HttpMethod.Post, "/api/products", """{"name":"""),
                (HttpMethod.Put, "/api/products/abc", """{"name":"Lamp","price":1,"category":"home","stock":1}"""),
                (HttpMethod.Put, "/api/products/1", """{"name":"Lamp","price":-1,"category":"home","stock":1}"""),
                (HttpMethod.Put, "/api/products/1?strategy=sideways", """{"name":"Lamp","price":1,"category":"home","stock":1}"""),
                (HttpMethod.Delete, "/api/products/0", null),
                (HttpMethod.Delete, "/api/products/abc", null),
            ],
            (HttpMethod.Put, "/api/products/1", """{"name":"Lamp","price":1,"category":"home","stock":1}""")),
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Bad_requests_spend_no_budget_and_write_no_limiter_key_and_valid_ones_are_still_limited(string endpoint)
    {
        var (bad, good) = Cases[endpoint];
        await using var app = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?>
        {
            ["Catalog:DatabaseLatencyMs"] = "0",
            ["RateLimiting:PublishPermitLimit"] = $"{Limit}",
            ["RateLimiting:LoginAddressPermitLimit"] = $"{Limit}",
            ["RateLimiting:LoginPermitLimit"] = $"{Limit}",
            ["RateLimiting:ProductWritePermitLimit"] = $"{Limit}",
        }).Start();
        using var client = app.CreateHttpClient();

        for (var round = 0; round < 3; round++)
        {
            foreach (var (method, path, body) in bad)
            {
                using var response = await client.SendAsync(Request(method, path, body), Ct);
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {path} {body}: {(int)response.StatusCode}");
            }
        }

        var keys = await RedisKeys.UnderAsync(redis.Multiplexer, app.Prefix);
        Assert.DoesNotContain(keys, k => k.Contains("ratelimit", StringComparison.Ordinal));

        for (var i = 0; i < Limit; i++)
        {
            using var allowed = await client.SendAsync(Request(good.Method, good.Path, good.Body), Ct);
            Assert.True(allowed.IsSuccessStatusCode, $"valid request {i + 1} of {Limit}: {(int)allowed.StatusCode}");
        }

        using var refused = await client.SendAsync(Request(good.Method, good.Path, good.Body), Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string? body) => new(method, path)
    {
        Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
    };
}
