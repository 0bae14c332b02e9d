using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.Infrastructure;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Cluster;

/// <summary>
/// <see cref="KeyScanner.Primaries"/> on a cluster the app names by host name (<c>localhost:port</c>), while the nodes
/// announce themselves by address (<c>127.0.0.1:port</c>): each primary is walked once, and none is taken for away.
/// </summary>
[Collection(OnRedisCluster.Name)]
public sealed class ClusterPrimariesTests(RedisClusterFixture cluster)
{
    [Fact]
    public async Task A_cluster_named_by_host_name_has_each_primary_once_and_a_scan_finds_each_key_once()
    {
        Assert.SkipWhen(cluster.NodeEndPoints.Count == 0, "an external cluster");
        var options = new ConfigurationOptions();
        foreach (var node in cluster.NodeEndPoints)
        {
            options.EndPoints.Add("localhost", int.Parse(node[(node.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }

        await using var mux = await ConnectionMultiplexer.ConnectAsync(options);
        foreach (var s in mux.GetServers())
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{s.EndPoint} ({s.EndPoint.GetType().Name}) connected={s.IsConnected} replica={s.IsReplica}");
        }

        var primaries = KeyScanner.Primaries(mux);

        Assert.Equal(RedisClusterFixture.Masters, primaries.Count);
        var prefix = $"brtest:primaries:{Guid.NewGuid():N}:";
        var db = mux.GetDatabase();
        for (var i = 0; i < 30; i++)
        {
            await db.StringSetAsync(prefix + i, "1", TimeSpan.FromMinutes(1));
        }

        var found = new List<RedisKey>();
        await KeyScanner.ScanAsync(TraceRecorder.None, primaries, prefix + "*", 1000, prefix, keys =>
        {
            found.AddRange(keys);
            return Task.CompletedTask;
        }, TestContext.Current.CancellationToken);
        Assert.Equal(30, found.Count);
        Assert.Equal(30, found.Distinct().Count());
    }
}
