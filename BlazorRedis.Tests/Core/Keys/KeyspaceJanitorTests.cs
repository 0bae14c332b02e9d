using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Infrastructure;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Keys;

public class KeyspaceJanitorTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Reset_deletes_only_the_learners_keys_of_that_area()
    {
        var keys = redis.NewKeyspace();
        var me = keys.ForLearner(LearnerId.New());
        var other = keys.ForLearner(LearnerId.New());
        var db = redis.Multiplexer.GetDatabase();
        await db.StringSetAsync(me.Key("strings", "a"), "1");
        await db.StringSetAsync(me.Key("strings", "b"), "2");
        await db.StringSetAsync(me.Key("lists", "q"), "3");
        await db.StringSetAsync(other.Key("strings", "a"), "4");
        await db.StringSetAsync(keys.Key("cache", "x"), "5");

        var janitor = new KeyspaceJanitor(redis.Multiplexer, redis.Tracer);
        var result = await janitor.ResetAsync(me, "strings");

        Assert.Equal(2, result.Value);
        Assert.False(await db.KeyExistsAsync(me.Key("strings", "a")));
        Assert.False(await db.KeyExistsAsync(me.Key("strings", "b")));
        Assert.True(await db.KeyExistsAsync(me.Key("lists", "q")));
        Assert.True(await db.KeyExistsAsync(other.Key("strings", "a")));
        Assert.True(await db.KeyExistsAsync(keys.Key("cache", "x")));
        Assert.Contains("SCAN", result.Trace.WireNames);
        Assert.Contains("UNLINK", result.Trace.WireNames);
        Assert.DoesNotContain("KEYS", result.Trace.WireNames);
    }

    [Fact]
    public async Task Reset_walks_many_scan_batches()
    {
        var keys = redis.NewKeyspace();
        var me = keys.ForLearner(LearnerId.New());
        var db = redis.Multiplexer.GetDatabase();
        var batch = db.CreateBatch();
        var writes = Enumerable.Range(0, 1200).Select(i => batch.StringSetAsync(me.Key("bulk", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), "x")).ToList();
        batch.Execute();
        await Task.WhenAll(writes);

        var result = await new KeyspaceJanitor(redis.Multiplexer, redis.Tracer).ResetAsync(me);

        Assert.Equal(1200, result.Value);
        Assert.True(result.Trace.WireNames.Count(n => n == "SCAN") >= 2);
        Assert.False(await db.KeyExistsAsync(me.Key("bulk", "0")));
    }

    [Fact]
    public async Task Prefix_with_glob_characters_matches_literally()
    {
        var db = redis.Multiplexer.GetDatabase();
        var run = Guid.NewGuid().ToString("N");
        RedisKey literal = $"brtest:{run}:a*b:1";
        RedisKey lookalike = $"brtest:{run}:aXb:1";
        await db.StringSetAsync(literal, "1");
        await db.StringSetAsync(lookalike, "1");

        var result = await new KeyspaceJanitor(redis.Multiplexer, redis.Tracer).DeleteByPrefixAsync($"brtest:{run}:a*b:");

        Assert.Equal(1, result.Value);
        Assert.True(await db.KeyExistsAsync(lookalike));
    }
}
