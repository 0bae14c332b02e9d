using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using BlazorRedis.Core;
using BlazorRedis.Core.Bitmaps;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.Infrastructure;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Faults;

/// <summary>
/// Redis stopped under a running app: every endpoint that needs it answers 503 with Retry-After within the one command
/// budget (Redis:CommandTimeoutMs, 1 s by default), instead of waiting out the client's own 5 s timeout.
/// </summary>
public class CommandBudgetOutageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task While_redis_is_down_publish_and_sessions_answer_503_with_retry_after_within_the_budget()
    {
        await using var redis = await RestartableRedis.StartAsync();
        await using var app = new BlazorRedisAppFactory(redis.Configuration).Start();
        using var client = app.CreateHttpClient();
        client.Timeout = TimeSpan.FromSeconds(15);
        using (var publish = await client.PostAsJsonAsync("/api/pubsub/publish", new { channel = "news", message = "before" }, Ct))
        using (var login = await client.PostAsJsonAsync("/api/session/login", new { username = "outage" }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        redis.Stop();

        foreach (var (name, send) in new (string, Func<Task<HttpResponseMessage>>)[]
        {
            ("publish", () => client.PostAsJsonAsync("/api/pubsub/publish", new { channel = "news", message = "during" }, Ct)),
            ("publish again", () => client.PostAsJsonAsync("/api/pubsub/publish", new { channel = "news", message = "during" }, Ct)),
            ("me", () => client.GetAsync("/api/session/me", Ct)),
            ("login", () => client.PostAsJsonAsync("/api/session/login", new { username = "outage" }, Ct)),
            ("logout", () => client.PostAsync("/api/session/logout", JsonContent.Create(new { }), Ct)),
        })
        {
            var clock = Stopwatch.StartNew();
            using var response = await send();
            clock.Stop();

            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(response.Headers.TryGetValues("Retry-After", out var retry), $"{name}: no Retry-After");
            Assert.Equal("5", retry.Single());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"{name} took {clock.Elapsed.TotalSeconds:0.0} s; the budget is 1 s");
        }
    }

    [Fact]
    public async Task A_demo_click_while_redis_is_down_fails_at_once_and_its_command_never_runs_after_the_reconnect()
    {
        // Before, the command waited in StackExchange.Redis's backlog: the click hung for the client's 5 s, and if
        // Redis came back within them, a command the page was about to report as failed ran after all.
        await using var redis = await RestartableRedis.StartAsync();
        await using var mux = await ConnectionMultiplexer.ConnectAsync($"{redis.Configuration},abortConnect=false,connectTimeout=500");
        var keys = new RedisKeyspace($"brtest:{Guid.NewGuid():N}:");
        var bitmaps = new BitmapsDemoService(mux, keys, new RedisTracer(mux), new KeyspaceJanitor(mux, new RedisTracer(mux)));
        var learner = LearnerId.New();
        var day = new DateOnly(2026, 12, 4);
        Assert.False((await bitmaps.SetLoginAsync(learner, day, 1)).Value);

        redis.Stop();
        for (var i = 0; i < 200 && mux.IsConnected; i++)
        {
            await Task.Delay(50, Ct);
        }

        Assert.False(mux.IsConnected);
        var click = bitmaps.SetLoginAsync(learner, day.AddDays(1), 7);
        await redis.StartAgainAsync();

        var refused = await Assert.ThrowsAsync<RedisConnectionException>(() => click);
        Assert.Contains("not sent", refused.Message, StringComparison.Ordinal);
        for (var i = 0; i < 200 && !mux.IsConnected; i++)
        {
            await Task.Delay(50, Ct);
        }

        await Task.Delay(500, Ct); // a backlogged command would have been sent by now
        Assert.False(await mux.GetDatabase().KeyExistsAsync(keys.ForLearner(learner).Key(BitmapsDemoModule.Slug, "logins", BitmapsDemoService.Day(day.AddDays(1)))));
        var after = await bitmaps.SetLoginAsync(learner, day.AddDays(1), 7); // and the next click works again
        Assert.False(after.Value);
    }
}
