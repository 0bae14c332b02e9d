using System.Globalization;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.Infrastructure;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.ClusterLab;

/// <summary>
/// The MOVED experiment on clients that name the nodes otherwise than the lab's sandbox does: a cluster reached by
/// <c>localhost</c> (the client then holds each node twice, as <c>localhost:port</c> and as the <c>127.0.0.1:port</c> the
/// node announces), and a cluster with a single primary, where there is no other node to ask.
/// </summary>
[Collection(OnRedisCluster.Name)]
public sealed class ClusterLabMovedTests(RedisClusterFixture cluster)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task The_wrong_node_asked_is_another_primary_for_a_key_of_each_primary_whatever_the_nodes_are_called(string host)
    {
        Assert.SkipWhen(cluster.NodeEndPoints.Count == 0, "an external cluster");
        await using var mux = await ConnectAsync(host, cluster.NodeEndPoints.Select(PortOf));
        var tracer = new RedisTracer(mux);
        var masters = new HashSet<string>(StringComparer.Ordinal);

        for (var n = 0; n < 100 && masters.Count < RedisClusterFixture.Masters; n++)
        {
            var result = (await BlazorRedis.Core.ClusterLab.ClusterLab.MovedAsync(mux, tracer, $"product:{n}")).Value;
            if (!masters.Add(result.Location.Master))
            {
                continue;
            }

            // Asked a node that really is another one, so it answers MOVED to the key's master.
            Assert.NotNull(result.AskedNode);
            Assert.NotEqual(PortOf(result.Location.Master), PortOf(result.AskedNode));
            Assert.Equal($"(error) MOVED {result.Location.Slot} {result.Location.Master}", result.RedirectReply);
            Assert.Equal(PortOf(result.Location.Master), PortOf(result.SentTo));
        }

        Assert.Equal(RedisClusterFixture.Masters, masters.Count);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task On_a_cluster_of_one_primary_the_lab_says_no_other_primary_is_connected_instead_of_throwing(string host)
    {
        using var node = await StartSinglePrimaryClusterAsync();
        await using var mux = await ConnectAsync(host, [node.Port]);
        await mux.GetDatabase().StringSetAsync("product:7", "kept", TimeSpan.FromMinutes(1));

        var run = await BlazorRedis.Core.ClusterLab.ClusterLab.MovedAsync(mux, new RedisTracer(mux), "product:7");

        var result = run.Value;
        Assert.Null(result.AskedNode);
        Assert.StartsWith("No other primary is connected", result.RedirectReply, StringComparison.Ordinal);
        Assert.Equal(node.EndPoint, result.Location.Master);
        Assert.Equal("\"kept\"", result.ClientReply);
        Assert.Equal(node.Port, PortOf(result.SentTo));
        // Nothing was sent with NoRedirect: the only GET is the client's own.
        Assert.Single(run.Trace.Commands, c => c.Text.StartsWith("GET", StringComparison.Ordinal));
    }

    private static int PortOf(string endPoint) => int.Parse(endPoint[(endPoint.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);

    private static async Task<ConnectionMultiplexer> ConnectAsync(string host, IEnumerable<int> ports)
    {
        var options = new ConfigurationOptions { AbortOnConnectFail = false, AllowAdmin = true }; // the lab reads CLUSTER NODES
        foreach (var port in ports)
        {
            options.EndPoints.Add(host, port);
        }

        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    // One redis-server in cluster mode that serves all 16384 slots: a real cluster with a single primary.
    private static async Task<EmbeddedRedisServer> StartSinglePrimaryClusterAsync()
    {
        var options = new EmbeddedRedisOptions();
        // A node that has met no other does not know its address; it announces 127.0.0.1 as a formed cluster's nodes do.
        foreach (var arg in RedisClusterFixture.NodeArguments(EmbeddedRedisServer.FreeLoopbackPort()).Concat(["--cluster-announce-ip", "127.0.0.1"]))
        {
            options.ExtraArguments.Add(arg);
        }

        var node = await EmbeddedRedisServer.StartAsync(options, cancellationToken: Ct);
        try
        {
            await using var admin = await ConnectionMultiplexer.ConnectAsync($"{node.EndPoint},allowAdmin=true");
            var server = admin.GetServer(node.EndPoint);
            await server.ExecuteAsync("CLUSTER", "ADDSLOTSRANGE", 0, 16383);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!((string)(await server.ExecuteAsync("CLUSTER", "INFO"))!).Contains("cluster_state:ok", StringComparison.Ordinal))
            {
                Assert.True(DateTime.UtcNow < deadline, "the one-node cluster never reached cluster_state:ok");
                await Task.Delay(100, Ct);
            }

            return node;
        }
        catch
        {
            node.Dispose();
            throw;
        }
    }
}
