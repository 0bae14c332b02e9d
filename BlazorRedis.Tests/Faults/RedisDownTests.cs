using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Lessons;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Core.Workbench;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Faults;

/// <summary>
/// Redis stopped: a walk of the keyspace, the key browser, the classroom and the caching libraries answer "Redis is
/// unavailable" (or serve what they can) within the command budget, never a false "0 keys" and never an unhandled error.
/// </summary>
public class RedisDownTests
{
    /// <summary>A short budget, so the client's own 5 s timeout is far beyond any bound asserted here.</summary>
    private const string BudgetMs = "200";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<ConnectionMultiplexer> StoppedAsync(RestartableRedis redis)
    {
        var mux = await ConnectionMultiplexer.ConnectAsync($"{redis.Configuration},abortConnect=false,connectTimeout=500");
        redis.Stop();
        for (var i = 0; i < 200 && mux.IsConnected; i++)
        {
            await Task.Delay(50, Ct);
        }

        Assert.False(mux.IsConnected);
        return mux;
    }

    [Fact]
    public async Task A_keyspace_walk_with_no_primary_connected_fails_as_unavailable_instead_of_deleting_nothing()
    {
        await using var redis = await RestartableRedis.StartAsync();
        await using var mux = await StoppedAsync(redis);
        var janitor = new KeyspaceJanitor(mux, new RedisTracer(mux));

        var failure = await Record.ExceptionAsync(() => janitor.DeleteByPrefixAsync("brtest:gone:"));

        Assert.NotNull(failure);
        Assert.True(RedisFailures.IsUnavailable(failure), failure.ToString());
    }

    [Fact]
    public async Task A_lesson_check_that_counts_keys_while_redis_is_down_fails_as_unavailable_instead_of_grading_zero_keys()
    {
        await using var redis = await RestartableRedis.StartAsync();
        await using var mux = await StoppedAsync(redis);
        var evaluator = new CheckEvaluator(mux, new RedisTracer(mux));
        var learner = new RedisKeyspace($"brtest:{Guid.NewGuid():N}:").ForLearner(LearnerId.New());

        var failure = await Record.ExceptionAsync(() => evaluator.EvaluateAsync(learner, [CheckParser.Parse("DBSIZE == 0", 1)], Ct));

        Assert.NotNull(failure);
        Assert.True(RedisFailures.IsUnavailable(failure), failure.ToString());
    }

    [Fact]
    public async Task The_key_browser_fails_as_unavailable_and_the_workbench_keys_commands_say_so_while_redis_is_down()
    {
        await using var redis = await RestartableRedis.StartAsync();
        await using var mux = await StoppedAsync(redis);
        var tracer = new RedisTracer(mux);
        var budget = new RedisCommandBudget(mux, TimeSpan.FromSeconds(1));
        var executor = new WorkbenchExecutor(mux, tracer, new RedisKeyspace($"brtest:{Guid.NewGuid():N}:"), budget, Options.Create(new WorkbenchOptions()));
        var browser = new WorkbenchKeyBrowser(mux, tracer, budget, executor);
        var session = executor.OpenSession(LearnerId.New());

        var failure = await Record.ExceptionAsync(() => browser.ListAsync(session, cancellationToken: Ct));

        Assert.NotNull(failure);
        Assert.True(RedisFailures.IsUnavailable(failure), failure.ToString());
        foreach (var line in new[] { "KEYS *", "SCAN 0", "DBSIZE" })
        {
            var reply = await executor.ExecuteAsync(session, line, Ct);
            Assert.True(reply.IsError, line + " → " + reply.Text);
            Assert.Contains("Redis is unavailable", reply.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Resetting_every_learners_keys_while_redis_is_down_answers_503_not_zero_deleted()
    {
        await using var redis = await RestartableRedis.StartAsync();
        await using var app = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?> { ["Redis:CommandTimeoutMs"] = BudgetMs }).Start();
        using var teacher = await app.CreateTeacherClientAsync(Ct);
        await WaitConnectedAsync(app, true);

        redis.Stop();
        await WaitConnectedAsync(app, false);
        using var response = await teacher.PostAsync("/api/classroom/reset-learner-keys", null, Ct);

        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode} {body}");
        Assert.Contains("Redis is unavailable", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task While_redis_is_down_the_classroom_bench_and_join_pages_answer_within_the_command_budget()
    {
        await using var redis = await RestartableRedis.StartAsync();
        await using var app = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?> { ["Redis:CommandTimeoutMs"] = BudgetMs }).Start();
        using var teacher = await app.CreateTeacherClientAsync(Ct);
        using var opened = await teacher.PostAsync("/api/classroom/class", null, Ct);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var code = (await opened.Content.ReadFromJsonAsync<ClassInfo>(Ct))!.Code;
        using var learner = app.CreateHttpClient();
        learner.Timeout = TimeSpan.FromSeconds(15);
        using (var joined = await learner.PostAsJsonAsync("/api/classroom/join", new { code, nickname = "down" + Guid.NewGuid().ToString("N")[..8] }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, joined.StatusCode);
        }

        redis.Stop();
        await WaitConnectedAsync(app, false);

        foreach (var (name, send) in new (string, Func<Task<HttpResponseMessage>>)[]
        {
            ("roster", () => teacher.GetAsync("/api/classroom/class/roster", Ct)),
            ("polls", () => teacher.GetAsync("/api/classroom/class/polls", Ct)),
            ("leaderboard", () => teacher.GetAsync("/api/classroom/class/leaderboard", Ct)),
            ("pause", () => teacher.PostAsJsonAsync("/api/classroom/class/pause", new { paused = true }, Ct)),
            ("channel history", () => learner.GetAsync("/api/classroom/channel", Ct)),
            ("channel post", () => learner.PostAsJsonAsync("/api/classroom/channel", new { text = "hello" }, Ct)),
            ("poll answer", () => learner.PostAsJsonAsync("/api/classroom/polls/1/answer", new { choices = new[] { 0 } }, Ct)),
            ("stampede read", () => learner.PostAsync("/api/classroom/stampedes/1/read", null, Ct)),
            ("bench raw", () => learner.GetAsync("/api/bench/raw", Ct)),
        })
        {
            var clock = Stopwatch.StartNew();
            using var response = await send();
            clock.Stop();

            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
            // The budget is 0.2 s; the client's own timeout, which these waited out before, is 5 s.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"{name} took {clock.Elapsed.TotalSeconds:0.0} s; the budget is {BudgetMs} ms");
        }

        foreach (var page in new[] { "/join", "/join/" + code })
        {
            var clock = Stopwatch.StartNew();
            using var response = await learner.GetAsync(page, Ct);
            clock.Stop();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"{page} took {clock.Elapsed.TotalSeconds:0.0} s; the budget is {BudgetMs} ms");
        }
    }

    [Theory]
    [InlineData("hybrid")]
    [InlineData("fusion")]
    public async Task While_redis_is_down_a_read_through_a_caching_library_waits_at_most_the_command_budget_for_redis(string via)
    {
        await using var redis = await RestartableRedis.StartAsync();
        await using var app = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?>
        {
            ["Redis:CommandTimeoutMs"] = BudgetMs,
            ["Catalog:DatabaseLatencyMs"] = "0",
        }).Start();
        using var client = app.CreateHttpClient();
        client.Timeout = TimeSpan.FromSeconds(30);
        await WaitConnectedAsync(app, true);

        redis.Stop();
        await WaitConnectedAsync(app, false);

        for (var read = 1; read <= 2; read++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await client.GetAsync($"/api/products/11?via={via}", Ct);
            clock.Stop();

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{via} read {read}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
            // The budget is 0.2 s; the client's own timeout, which each library call to Redis waited out before, is 5 s.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"{via} read {read} took {clock.Elapsed.TotalSeconds:0.0} s; the budget is {BudgetMs} ms");
        }
    }

    private static async Task WaitConnectedAsync(BlazorRedisAppFactory app, bool connected)
    {
        var mux = (IConnectionMultiplexer)app.Services.GetService(typeof(IConnectionMultiplexer))!;
        for (var i = 0; i < 200 && mux.IsConnected != connected; i++)
        {
            await Task.Delay(50, Ct);
        }

        Assert.Equal(connected, mux.IsConnected);
    }
}
