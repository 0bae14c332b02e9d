using BlazorRedis.Core;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Tests.Infrastructure;
using static BlazorRedis.Tests.Core.RateLimiting.RateLimitTestHelpers;

namespace BlazorRedis.Tests.Core.RateLimiting;

public class NaiveFixedWindowLimiterTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Read_then_write_over_admits_when_two_requests_read_before_either_writes()
    {
        var keys = redis.NewKeyspace();
        var naive = new NaiveFixedWindowLimiter(redis.Multiplexer);
        var key = keys.Tagged("ratelimit:naive", "naive");
        var recorder = redis.Tracer.Start("interleaved");
        const int limit = 1;

        // The interleaving concurrency produces by chance, made certain: A reads, B reads, A writes, B writes.
        var readByA = await naive.ReadCountAsync(key, recorder);
        var readByB = await naive.ReadCountAsync(key, recorder);
        var admittedA = readByA < limit;
        var admittedB = readByB < limit;
        await naive.CountRequestAsync(key, TimeSpan.FromSeconds(60), recorder);
        var counter = await naive.CountRequestAsync(key, TimeSpan.FromSeconds(60), recorder);

        Assert.True(admittedA && admittedB);
        Assert.Equal(2, counter); // two admitted against a limit of one
        Assert.Equal(["GET", "GET", "INCR", "EXPIRE", "INCR", "EXPIRE"], recorder.Finish().WireNames);
    }

    [Fact]
    public async Task Lua_fixed_window_never_over_admits_in_the_race_and_naive_admits_at_least_the_limit()
    {
        var keys = redis.NewKeyspace();
        var service = Service(redis, keys, permitLimit: 10);
        var lab = Lab(redis, service, keys);

        var race = await lab.RaceAsync("racer", 100, Ct);

        Assert.Equal(10, race.Value.LuaAdmitted);
        Assert.InRange(race.Value.NaiveAdmitted, 10, 100);
        Assert.Equal(race.Value.NaiveAdmitted, race.Value.NaiveCounter);
        Assert.Contains("EVALSHA", race.Trace.Commands.Select(c => c.Text.Split(' ')[0]));
        Assert.Contains("GET", race.Trace.Commands.Select(c => c.Text.Split(' ')[0]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(501)]
    public async Task A_race_with_an_unreasonable_concurrency_is_refused(int concurrency)
    {
        var keys = redis.NewKeyspace();
        var lab = Lab(redis, Service(redis, keys), keys);

        await Assert.ThrowsAsync<LearnerInputException>(() => lab.RaceAsync("racer", concurrency, Ct));
    }
}
