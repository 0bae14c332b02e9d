using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.Infrastructure;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.DataStructures;

/// <summary>Shared checks of the data-structure demo tests.</summary>
internal static class DemoTestKit
{
    /// <summary>A fresh keyspace, learner and janitor for one test.</summary>
    public static (RedisKeyspace Keys, LearnerId Learner, KeyspaceJanitor Janitor) NewLearner(RedisServerFixture redis) =>
        (redis.NewKeyspace(), LearnerId.New(), new KeyspaceJanitor(redis.Multiplexer, redis.Tracer));

    /// <summary>The keys under <paramref name="prefix"/> (SCAN on the test server).</summary>
    public static async Task<List<string>> KeysUnderAsync(RedisServerFixture redis, string prefix)
    {
        var found = new List<string>();
        foreach (var server in redis.Multiplexer.GetServers())
        {
            await foreach (var key in server.KeysAsync(pattern: RedisKeyspace.PrefixPattern(prefix), pageSize: 500))
            {
                found.Add(key.ToString());
            }
        }

        return found;
    }

    /// <summary>
    /// Every traced command's first word is the command that really went on the wire. A transaction is the exception the
    /// profiler makes: it records WATCH, the condition reads, MULTI and the queued commands as one EXEC, so its row
    /// (which shows them all) must open with WATCH and end with the EXEC the profiler saw.
    /// </summary>
    public static void TextMatchesWire(OperationTrace trace)
    {
        Assert.NotEmpty(trace.Commands);
        foreach (var command in trace.Commands)
        {
            Assert.NotEmpty(command.Wire);
            if (command.Wire[0].Name == "EXEC")
            {
                Assert.StartsWith("WATCH ", command.Text, StringComparison.Ordinal);
                Assert.EndsWith("\nMULTI\n" + command.Text.Split('\n')[^2] + "\nEXEC", command.Text, StringComparison.Ordinal);
                continue;
            }

            Assert.Equal(command.Wire[0].Name, command.Text.Split(' ')[0]);
        }
    }

    /// <summary>The key has a TTL no longer than <paramref name="max"/>.</summary>
    public static async Task AssertExpiresAsync(IDatabase db, RedisKey key, TimeSpan max)
    {
        var ttl = await db.KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMilliseconds(1), max);
    }
}
