using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Infrastructure;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Cluster;

/// <summary>The cluster the Core features run on is what it says: three masters sharing every slot, and strict about slots.</summary>
[Collection(OnRedisCluster.Name)]
public sealed class RedisClusterFixtureTests(RedisClusterFixture cluster)
{
    [Fact]
    public async Task Three_masters_serve_all_16384_slots_and_every_node_says_cluster_state_ok()
    {
        var primaries = KeyScanner.Primaries(cluster.Multiplexer).ToList();

        Assert.Equal(RedisClusterFixture.Masters, primaries.Count);
        Assert.All(primaries, p => Assert.Equal(ServerType.Cluster, p.ServerType));
        var nodes = primaries[0].ClusterConfiguration!.Nodes.Where(n => !n.IsReplica).ToList();
        Assert.Equal(16384, nodes.Sum(n => n.Slots.Sum(r => r.To - r.From + 1)));
        foreach (var primary in primaries)
        {
            Assert.Contains("cluster_state:ok", (string?)await primary.ExecuteAsync("CLUSTER", "INFO"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_multi_key_command_is_refused_across_slots_and_accepted_with_one_hash_tag()
    {
        var db = cluster.Multiplexer.GetDatabase();
        var run = Guid.NewGuid().ToString("N");
        RedisKey a = $"brtest:{{a}}:{run}", b = $"brtest:{{b}}:{run}"; // slots 15495 and 3300
        Assert.NotEqual(cluster.Multiplexer.HashSlot(a), cluster.Multiplexer.HashSlot(b));

        await Assert.ThrowsAsync<RedisCommandException>(() => db.KeyDeleteAsync([a, b]));

        RedisKey ta = $"brtest:{{{run}}}:a", tb = $"brtest:{{{run}}}:b";
        await db.StringSetAsync(ta, "1");
        await db.StringSetAsync(tb, "2");
        Assert.Equal(cluster.Multiplexer.HashSlot(ta), cluster.Multiplexer.HashSlot(tb));
        Assert.Equal(2, await db.KeyDeleteAsync([ta, tb]));
    }
}
