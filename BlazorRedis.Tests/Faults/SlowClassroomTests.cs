using BlazorRedis.Core.Caching;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Faults;

/// <summary>
/// The classroom's channel, polls, leaderboard and stampede on a Redis that is connected but does not answer
/// (<c>CLIENT PAUSE</c> on the test's own server): every read fails with the command budget's
/// <see cref="TimeoutException"/> ("Redis unavailable"), where it waited for Redis to answer (or for the client's own 5 s).
/// </summary>
public class SlowClassroomTests
{
    [Fact]
    public async Task While_redis_is_connected_but_paused_the_class_experiments_fail_within_the_command_budget()
    {
        await using var redis = await PrivateRedis.StartAsync();
        await using var mux = await redis.ConnectAsync(o => o.AllowAdmin = true);
        var tracer = new RedisTracer(mux);
        var keyspace = new RedisKeyspace("slowclass:");
        var budget = new RedisCommandBudget(mux, TimeSpan.FromMilliseconds(200));
        var limiter = new RedisRateLimitService(mux, tracer, keyspace, Options.Create(new RateLimitingOptions()), NullLogger<RedisRateLimitService>.Instance, budget: budget);
        var classes = new ClassService(mux, keyspace, tracer, limiter, Options.Create(new ClassOptions()), TimeProvider.System, budget);
        var channel = new ClassChannel(classes, keyspace, limiter, tracer);
        var polls = new ClassPolls(classes, tracer);
        var board = new ClassLeaderboard(classes, tracer);
        var stampede = new ClassStampede(classes, new RedisGate(mux, budget), new InMemoryProductDatabase(10, TimeSpan.Zero), tracer);
        var code = (await classes.OpenAsync()).Value.Code;
        var learner = LearnerId.New().Value;

        // Long past every call below (each gets 0.2 s), and short of nothing: a call that waits for Redis succeeds late.
        await redis.PauseAsync(TimeSpan.FromSeconds(6));
        foreach (var (name, call) in new (string, Func<Task>)[]
        {
            ("channel history", () => channel.HistoryAsync(code)),
            ("muted?", () => channel.IsMutedAsync(code, learner)),
            ("polls", () => polls.ListAsync(code)),
            ("latest poll", () => polls.LatestAsync(code)),
            ("leaderboard", () => board.TopAsync(code)),
            ("rank", () => board.RankAsync(code, learner)),
            ("stampede rounds", () => stampede.ListAsync(code)),
            ("latest stampede", () => stampede.LatestAsync(code)),
        })
        {
            var failure = await Record.ExceptionAsync(call);

            Assert.True(failure is not null, name + " answered: it waited for the paused Redis");
            Assert.True(failure.GetType() == typeof(TimeoutException), $"{name}: {failure}");
            Assert.True(RedisFailures.IsUnavailable(failure), $"{name}: {failure}");
        }
    }
}
