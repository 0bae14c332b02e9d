using System.Net;
using System.Net.Http.Json;
using BlazorRedis.Core.Connection;
using BlazorRedis.Tests.Infrastructure;
using BlazorRedis.Tests.Infrastructure.Chaos;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Faults;

/// <summary>
/// A Redis restarted with persistence answers <c>LOADING</c> while it reads its data back. The soak run saw five
/// 500s from the rate limiter (it runs as middleware, before the endpoint's failure filter) and 409s from endpoints:
/// "not ready" is an outage that clears by itself, so it is a 503 with Retry-After like any other.
/// </summary>
public class RedisLoadingTests(RedisServerFixture redis)
{
    private const string Loading = "LOADING Redis is loading the dataset in memory";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(Loading, true)]
    [InlineData("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.", true)]
    [InlineData("TRYAGAIN Multiple keys request during rehashing of slot", true)]
    [InlineData("CLUSTERDOWN The cluster is down", true)]
    [InlineData("LOADINGX not a real reply", false)]
    [InlineData("WRONGTYPE Operation against a key holding the wrong kind of value", false)]
    [InlineData("OOM command not allowed when used memory > 'maxmemory'.", false)]
    public void A_server_that_is_not_ready_is_unavailable_and_any_other_error_reply_is_a_refusal(string reply, bool notReady)
    {
#pragma warning disable CS0618 // the reply text is what the policy reads; the library's kind-taking constructors are internal
        var ex = new RedisServerException(reply);
#pragma warning restore CS0618

        Assert.Equal(notReady, RedisFailures.IsUnavailable(ex));
        Assert.Equal(!notReady, RedisFailures.IsRefusal(ex));
    }

    [Fact]
    public async Task While_redis_loads_the_api_answers_503_with_retry_after_never_500_or_409()
    {
        var chaos = new ChaosOptions();
        await using var app = new ChaosAppFactory(redis.Configuration, chaos).Start();
        using var client = app.CreateHttpClient();
        var token = app.Services.GetService(typeof(BlazorRedis.App.Hosting.LearnerTokens)) is BlazorRedis.App.Hosting.LearnerTokens t ? t.ForRateLimit(BlazorRedis.Core.Keys.LearnerId.New()) : "";
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/limited/fixed-window?learner={token}", Ct)).StatusCode);

        chaos.ServerError = Loading;
        using var limited = await client.GetAsync($"/api/limited/fixed-window?learner={token}", Ct);
        using var publish = await client.PostAsJsonAsync("/api/pubsub/publish", new { channel = "news", message = "while loading" }, Ct);
        using var write = await client.PutAsJsonAsync("/api/products/3?strategy=write-behind", new { name = "Loading lamp", price = 10, category = "kitchen", stock = 1 }, Ct);
        using var invalidating = await client.PutAsJsonAsync("/api/products/5", new { name = "Loading lamp", price = 10, category = "kitchen", stock = 1 }, Ct);
        using var read = await client.GetAsync("/api/products/4", Ct);

        Assert.Equal(HttpStatusCode.OK, limited.StatusCode); // the limiter's outage policy decides (fail open by default), as when Redis is down
        Assert.Contains("fail-open", await limited.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        foreach (var response in new[] { publish, write })
        {
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
            Assert.True(response.Headers.TryGetValues("Retry-After", out _));
        }

        Assert.Equal(HttpStatusCode.OK, read.StatusCode); // a read falls back to the database
        Assert.Equal(HttpStatusCode.OK, invalidating.StatusCode); // the database was written; the invalidation waits for Redis, and says so
        Assert.Contains("pendingKeys\":[\"", await invalidating.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        chaos.Reset();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/products/4", Ct)).StatusCode);
    }
}
