using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.Core.Tracing;
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
    public async Task On_a_full_server_the_SCAN_calls_between_two_UNLINKs_share_one_row_that_counts_them()
    {
        var keys = redis.NewKeyspace();
        var me = keys.ForLearner(LearnerId.New());
        var db = redis.Multiplexer.GetDatabase();
        var batch = db.CreateBatch();
        var writes = Enumerable.Range(0, 5_000)
            .Select(i => batch.StringSetAsync(keys.Key("other", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), "x", TimeSpan.FromMinutes(5)))
            .Append(batch.StringSetAsync(me.Key("lists", "queue"), "1"))
            .ToList();
        batch.Execute();
        await Task.WhenAll(writes);
        var janitor = new KeyspaceJanitor(redis.Multiplexer, redis.Tracer);
        try
        {
            var result = await janitor.ResetAsync(me, "lists");

            Assert.Equal(1, result.Value);
            var commands = result.Trace.Commands;
            static bool IsScan(TracedCommand c) => c.Text.StartsWith("SCAN ", StringComparison.Ordinal);

            // One walk per primary, each starting at cursor 0; within a walk only an UNLINK comes between two SCAN rows.
            Assert.Equal(KeyScanner.Primaries(redis.Multiplexer).Count, commands.Count(c => c.Text.StartsWith("SCAN 0 MATCH ", StringComparison.Ordinal)));
            Assert.StartsWith("SCAN 0 MATCH ", commands[0].Text, StringComparison.Ordinal);
            Assert.Single(commands, c => c.Text.StartsWith("UNLINK ", StringComparison.Ordinal));
            Assert.All(commands.Skip(1).Where((c, i) => IsScan(c) && IsScan(commands[i])), c => Assert.StartsWith("SCAN 0 ", c.Text, StringComparison.Ordinal));

            // Every SCAN that went on the wire is counted by a row, with its profiled round trip among the row's.
            var scans = commands.Where(IsScan).ToList();
            Assert.Equal(result.Trace.WireNames.Count(n => n == "SCAN"), scans.Sum(c => c.Calls));
            Assert.True(scans.Sum(c => c.Calls) >= 5, $"{scans.Sum(c => c.Calls)} SCAN calls over 5,000 keys and more");
            Assert.All(scans.Where(c => c.Calls > 1), c =>
            {
                Assert.Equal(c.Calls, c.Wire.Count);
                Assert.Equal(TimeSpan.FromTicks(c.Wire.Sum(w => w.RoundTrip.Ticks)), c.RoundTrip);
                Assert.Contains($" in {c.Calls} calls", c.Result, StringComparison.Ordinal);
            });
            Assert.Empty(SnippetCompiler.Errors(result.Trace.CSharp));
        }
        finally
        {
            await janitor.DeleteByPrefixAsync(keys.Prefix);
        }
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
