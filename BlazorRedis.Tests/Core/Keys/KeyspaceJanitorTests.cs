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

    [Fact]
    public async Task A_prefix_without_a_hash_tag_is_deleted_from_every_primary()
    {
        // Keys without a tag spread over every slot: on a cluster they live on every master, a SCAN of one node misses
        // the others, and one UNLINK of a batch would be refused (CROSSSLOT).
        var db = redis.Multiplexer.GetDatabase();
        var prefix = $"brtest:{Guid.NewGuid():N}:spread:";
        var written = Enumerable.Range(0, 90).Select(i => (RedisKey)$"{prefix}{i}").ToList();
        await Task.WhenAll(written.Select(k => db.StringSetAsync(k, "x")));
        var primaries = KeyScanner.Primaries(redis.Multiplexer).ToList();
        foreach (var primary in primaries)
        {
            Assert.NotEmpty(await primary.KeysAsync(pattern: prefix + "*", pageSize: 100).ToListAsync(TestContext.Current.CancellationToken));
        }

        var result = await new KeyspaceJanitor(redis.Multiplexer, redis.Tracer).DeleteByPrefixAsync(prefix);

        Assert.Equal(90, result.Value);
        Assert.DoesNotContain(true, await Task.WhenAll(written.Select(k => db.KeyExistsAsync(k))));
        Assert.True(result.Trace.WireNames.Count(n => n == "SCAN") >= primaries.Count);
    }
}
