using System.Diagnostics;
using System.Globalization;
using BlazorRedis.Core.Connection;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Infrastructure;

/// <summary>
/// A real 3-master Redis Cluster (no replicas) on free loopback ports, shared by the <see cref="OnRedisCluster"/>:
/// <c>redis-server --cluster-enabled yes …</c> ×3 (each through <see cref="EmbeddedRedisServer"/>, so its watchdog and
/// cleanup apply), then <c>redis-cli --cluster create … --cluster-yes</c>, then a wait for <c>cluster_state:ok</c> on every
/// node. <c>BLAZORREDIS_TEST_CLUSTER</c> (comma-separated endpoints) names an external cluster instead.
/// </summary>
/// <remarks>
/// It is a <see cref="RedisServerFixture"/>, so a Core test class written against the single server runs unchanged on
/// the cluster by deriving from it with this fixture in its constructor (see <see cref="OnRedisCluster"/>).
/// </remarks>
public sealed class RedisClusterFixture : RedisServerFixture
{
    /// <summary>How many masters the fixture starts.</summary>
    public const int Masters = 3;

    private readonly List<EmbeddedRedisServer> _nodes = [];

    /// <summary>The nodes' <c>127.0.0.1:port</c> endpoints (empty for an external cluster).</summary>
    public IReadOnlyList<string> NodeEndPoints => _nodes.Select(n => n.EndPoint).ToList();

    /// <inheritdoc/>
    public override bool Owned => false; // tests that stop "the" server must not stop a cluster node

    /// <summary>The Redis Cluster commands the fixture (and <c>./run.sh --cluster</c>) runs for one node.</summary>
    public static IReadOnlyList<string> NodeArguments(int busPort) =>
    [
        "--cluster-enabled", "yes",
        "--cluster-config-file", "nodes.conf",
        "--cluster-port", busPort.ToString(CultureInfo.InvariantCulture),
        "--cluster-node-timeout", "5000",
    ];

    protected override async Task<string> StartServersAsync()
    {
        var external = Environment.GetEnvironmentVariable("BLAZORREDIS_TEST_CLUSTER");
        if (!string.IsNullOrWhiteSpace(external))
        {
            return external;
        }

        var cli = EmbeddedRedisServer.Locate("redis-cli") ?? throw new RedisServerNotFoundException("redis-cli");
        var starts = Enumerable.Range(0, Masters).Select(_ =>
        {
            // The cluster bus needs a port of its own; the default (port + 10000) can fall off the top of the range.
            var options = new EmbeddedRedisOptions();
            foreach (var arg in NodeArguments(EmbeddedRedisServer.FreeLoopbackPort()))
            {
                options.ExtraArguments.Add(arg);
            }

            return EmbeddedRedisServer.StartAsync(options);
        }).ToList();
        try
        {
            foreach (var start in starts)
            {
                _nodes.Add(await start);
            }
        }
        catch
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully))
            {
                start.Result.Dispose();
            }

            throw;
        }

        await RunAsync(cli, ["--cluster", "create", .. _nodes.Select(n => n.EndPoint), "--cluster-yes"]);
        await WaitForClusterOkAsync(cli);
        return string.Join(',', _nodes.Select(n => n.EndPoint));
    }

    /// <summary>
    /// Stops the node at <paramref name="endPoint"/> (<c>127.0.0.1:port</c>) for good: for a private cluster a test
    /// starts itself, never the shared one (the other classes of <see cref="OnRedisCluster"/> would lose its slots).
    /// </summary>
    public void StopNode(string endPoint) => _nodes.Single(n => n.EndPoint == endPoint).Dispose();

    protected override void StopServers()
    {
        foreach (var node in _nodes)
        {
            node.Dispose();
        }
    }

    private async Task WaitForClusterOkAsync(string cli)
    {
        var deadline = Stopwatch.StartNew();
        foreach (var node in _nodes)
        {
            while (true)
            {
                var info = await RunAsync(cli, ["-p", node.Port.ToString(CultureInfo.InvariantCulture), "cluster", "info"]);
                if (info.Contains("cluster_state:ok", StringComparison.Ordinal))
                {
                    break;
                }

                if (deadline.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException($"The cluster node on port {node.Port} never reached cluster_state:ok: {info}");
                }

                await Task.Delay(100);
            }
        }
    }

    private static async Task<string> RunAsync(string executable, IEnumerable<string> arguments)
    {
        var psi = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in arguments)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi) ?? throw new IOException($"Could not start {executable}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new IOException($"{Path.GetFileName(executable)} {string.Join(' ', psi.ArgumentList)} failed ({process.ExitCode}): {await output} {await error}");
        }

        return await output;
    }
}

/// <summary>
/// The cluster test collection: every class in it shares one <see cref="RedisClusterFixture"/>. A Core test class runs on
/// the cluster by a one-line subclass, e.g.
/// <c>[Collection(OnRedisCluster.Name)] public sealed class CacheAsideOnClusterTests(RedisClusterFixture cluster) : CacheAsideTests(cluster);</c>
/// </summary>
[CollectionDefinition(Name)]
public sealed class OnRedisCluster : ICollectionFixture<RedisClusterFixture>
{
    public const string Name = "Redis Cluster";
}
