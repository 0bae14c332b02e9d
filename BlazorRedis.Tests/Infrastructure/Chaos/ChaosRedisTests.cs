using System.Diagnostics;
using BlazorRedis.Tests.Infrastructure;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Infrastructure.Chaos;

public class ChaosRedisTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Without_faults_calls_pass_through_to_the_real_server()
    {
        var key = redis.NewKeyspace().Key("chaos", "a");
        var db = ChaosRedis.Wrap(redis.Multiplexer, new ChaosOptions()).GetDatabase();

        await db.StringSetAsync(key, "v");

        Assert.Equal("v", (string?)await redis.Multiplexer.GetDatabase().StringGetAsync(key));
        Assert.Equal("v", (string?)await db.StringGetAsync(key));
        Assert.True(db.StringSet(key, "w"));
    }

    [Fact]
    public async Task A_delay_holds_every_call_back_at_least_that_long()
    {
        var options = new ChaosOptions { Delay = TimeSpan.FromMilliseconds(200) };
        var db = ChaosRedis.Wrap(redis.Multiplexer, options).GetDatabase();
        var sw = Stopwatch.StartNew();

        await db.StringGetAsync(redis.NewKeyspace().Key("chaos", "slow"));

        Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(190), $"took {sw.Elapsed}");
    }

    [Fact]
    public async Task Error_probability_one_fails_every_call_as_a_connection_failure_and_writes_nothing()
    {
        var key = redis.NewKeyspace().Key("chaos", "err");
        var options = new ChaosOptions { ErrorProbability = 1 };
        var db = ChaosRedis.Wrap(redis.Multiplexer, options).GetDatabase();

        await Assert.ThrowsAsync<RedisConnectionException>(() => db.StringSetAsync(key, "x"));
        Assert.Throws<RedisConnectionException>(() => db.StringSet(key, "x"));

        Assert.False(await redis.Multiplexer.GetDatabase().KeyExistsAsync(key));
        options.Reset();
        Assert.True(await db.StringSetAsync(key, "x"));
    }
}
