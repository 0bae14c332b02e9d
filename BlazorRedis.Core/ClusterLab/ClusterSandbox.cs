using System.Globalization;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Tracing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.ClusterLab;

/// <summary>
/// The cluster lab's own Redis Cluster: three masters and three replicas, each a redis-server child process on a free
/// loopback port, formed with CLUSTER ADDSLOTSRANGE, MEET and REPLICATE. Started on first use, stopped with the app. A
/// master can be stopped (a crash, as the failover demo needs) and started again; nothing here touches the main Redis.
/// </summary>
public sealed class ClusterSandbox(IOptions<ClusterLabOptions> options, ILogger<ClusterSandbox> logger) : IAsyncDisposable
{
    private const int Masters = 3;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<int, EmbeddedRedisServer?> _nodes = [];
    private string? _root;
    private ConnectionMultiplexer? _mux;
    private RedisTracer? _tracer;

    /// <summary>True when a redis-server binary can be found.</summary>
    public bool Available => EmbeddedRedisServer.Locate(options.Value.ServerPath) is not null;

    /// <summary>True once the cluster is formed.</summary>
    public bool Started => _mux is not null;

    /// <summary>The ports of the six nodes (empty before the start).</summary>
    public IReadOnlyList<int> Ports => [.. _nodes.Keys.Order()];

    /// <summary>Starts and forms the cluster (or returns the running one) and a client connected to every node.</summary>
    /// <exception cref="ClusterSandboxUnavailableException">No redis-server binary, or the cluster did not form.</exception>
    public async Task<(ConnectionMultiplexer Mux, RedisTracer Tracer)> EnsureStartedAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_mux is not null && _tracer is not null)
            {
                return (_mux, _tracer);
            }

            if (!Available)
            {
                throw new ClusterSandboxUnavailableException(
                    $"The cluster lab starts its own six redis-server processes, and no redis-server binary was found at '{options.Value.ServerPath}'. " +
                    "Install one (Debian/Ubuntu: sudo apt-get install -y redis-server) or set ClusterLab:ServerPath. Every other lesson works without it.");
            }

            try
            {
                await StartAndFormAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or TimeoutException or RedisException)
            {
                await StopAllAsync().ConfigureAwait(false);
                throw new ClusterSandboxUnavailableException($"The cluster lab's sandbox did not form: {ex.Message}", ex);
            }

            return (_mux!, _tracer!);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops one node's process at once (SIGKILL, like a crash).</summary>
    public void Crash(int port)
    {
        if (_nodes.TryGetValue(port, out var node) && node is not null)
        {
            try
            {
                System.Diagnostics.Process.GetProcessById(node.ServerProcessId).Kill();
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                logger.LogDebug(ex, "Cluster lab node {Port} was already gone", port);
            }

            node.Dispose();
            _nodes[port] = null;
        }
    }

    /// <summary>Starts a stopped node again on its port and folder: it reads its nodes.conf and rejoins (a former master as a replica).</summary>
    public async Task RestartAsync(int port, CancellationToken cancellationToken = default)
    {
        if (_nodes.TryGetValue(port, out var node) && node is null)
        {
            _nodes[port] = await EmbeddedRedisServer.StartAsync(NodeOptions(port), logger, cancellationToken).ConfigureAwait(false);
            // Back to three masters each with a synced replica before anyone fails a master over again.
            if (_mux is { } mux)
            {
                await WaitSteadyAsync(p => mux.GetServer("127.0.0.1", p), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // Every node knows the three replicas and no failed node (gossip spreads it, or a client's map would miss them), and
    // every replica has finished its sync (a replica that has not cannot be promoted). Read from the client's parsed
    // CLUSTER NODES flags and ROLE replies, not from their text: the words differ between Redis versions ("slave",
    // "replica") and a substring such as "fail" also matches "fail?" or a host name.
    private static async Task WaitSteadyAsync(Func<int, IServer> server, IReadOnlyList<int> ports, CancellationToken cancellationToken)
    {
        await WaitAsync(() => AllAsync(ports, async p => IsSteady(await server(p).ClusterNodesAsync().ConfigureAwait(false))), "every node to know the three replicas", cancellationToken).ConfigureAwait(false);
        await WaitAsync(() => AllAsync(ports, async p => await server(p).RoleAsync().ConfigureAwait(false) is not Role.Replica replica || replica.State == ReplicaSynced), "every replica in sync with its master", cancellationToken).ConfigureAwait(false);
        // A node started again answers CLUSTERDOWN until it has taken the cluster's view again.
        await WaitAsync(() => AllAsync(ports, p => ClusterStateOkAsync(server(p))), "cluster_state:ok on every node", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// CLUSTER INFO's <c>cluster_state</c> field is <c>ok</c>: the reply read as its <c>field:value</c> lines (over RESP3
    /// a verbatim string, whose first line may carry its <c>txt:</c> format before the field).
    /// </summary>
    private static async Task<bool> ClusterStateOkAsync(IServer server)
    {
        var info = (string?)await server.ExecuteAsync("CLUSTER", "INFO").ConfigureAwait(false) ?? "";
        return info.Split('\n').Any(l => l.Trim().Split(':') is [.., "cluster_state", "ok"]);
    }

    /// <summary>The state ROLE gives a replica whose link to its master is up and whose sync is done.</summary>
    private const string ReplicaSynced = "connected";

    /// <summary>True when a node's view of the cluster holds the three replicas and no node it thinks failed (or may have).</summary>
    private static bool IsSteady(ClusterConfiguration? nodes) =>
        nodes is not null && nodes.Nodes.Count(n => n.IsReplica) == Masters && !nodes.Nodes.Any(n => n.IsFail || n.IsPossiblyFail);

    private Task WaitSteadyAsync(Func<int, IServer> server, CancellationToken cancellationToken) => WaitSteadyAsync(server, Ports, cancellationToken);

    private EmbeddedRedisOptions NodeOptions(int port)
    {
        var node = new EmbeddedRedisOptions
        {
            ServerPath = options.Value.ServerPath,
            Port = port,
            Persistent = true, // its own folder, kept across a restart: nodes.conf is how it rejoins
            DataDirectory = Path.Combine(_root!, port.ToString(CultureInfo.InvariantCulture)),
            StartTimeoutSeconds = 15,
        };
        foreach (var arg in new[] { "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", options.Value.NodeTimeoutMs.ToString(CultureInfo.InvariantCulture), "--appendonly", "no", "--repl-diskless-sync-delay", "0" })
        {
            node.ExtraArguments.Add(arg);
        }

        return node;
    }

    private async Task StartAndFormAsync(CancellationToken cancellationToken)
    {
        _root = Directory.CreateTempSubdirectory("blazorredis-cluster-lab-").FullName;
        for (var i = 0; i < Masters * 2; i++)
        {
            // The cluster bus listens on port + 10000: choose ports whose bus port is free as well.
            int port;
            do
            {
                port = EmbeddedRedisServer.FreeLoopbackPort();
            }
            while (port + 10000 > 65535 || _nodes.ContainsKey(port) || !IsFree(port + 10000));

            _nodes[port] = await EmbeddedRedisServer.StartAsync(NodeOptions(port), logger, cancellationToken).ConfigureAwait(false);
        }

        var ports = Ports;
        var admin = new Dictionary<int, ConnectionMultiplexer>();
        try
        {
            foreach (var port in ports)
            {
                var config = ConfigurationOptions.Parse($"127.0.0.1:{port}");
                config.AllowAdmin = true;
                config.AbortOnConnectFail = false;
                config.ClientName = "BlazorRedis-cluster-lab-setup";
                admin[port] = await ConnectionMultiplexer.ConnectAsync(config).ConfigureAwait(false);
            }

            IServer Server(int port) => admin[port].GetServer($"127.0.0.1:{port}");
            const int slots = 16384;
            for (var m = 0; m < Masters; m++)
            {
                var from = m * slots / Masters;
                var to = ((m + 1) * slots / Masters) - 1;
                await Server(ports[m]).ExecuteAsync("CLUSTER", "ADDSLOTSRANGE", from, to).ConfigureAwait(false);
            }

            foreach (var port in ports.Skip(1))
            {
                await Server(ports[0]).ExecuteAsync("CLUSTER", "MEET", "127.0.0.1", port).ConfigureAwait(false);
            }

            await WaitAsync(() => AllAsync(ports, async p => KnownNodes(await Server(p).ClusterNodesAsync().ConfigureAwait(false)) == ports.Count), "every node to meet the others", cancellationToken).ConfigureAwait(false);
            for (var r = 0; r < Masters; r++)
            {
                var masterId = (string)(await Server(ports[r]).ExecuteAsync("CLUSTER", "MYID").ConfigureAwait(false))!;
                await Server(ports[Masters + r]).ExecuteAsync("CLUSTER", "REPLICATE", masterId).ConfigureAwait(false);
            }

            await WaitSteadyAsync(Server, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var mux in admin.Values)
            {
                await mux.DisposeAsync().ConfigureAwait(false);
            }
        }

        var lab = new ConfigurationOptions { AbortOnConnectFail = false, AllowAdmin = true, ClientName = "BlazorRedis-cluster-lab", ConnectTimeout = 1000, AsyncTimeout = 1000, SyncTimeout = 1000, ConnectRetry = 1 };
        foreach (var port in ports)
        {
            lab.EndPoints.Add("127.0.0.1", port);
        }

        _mux = await ConnectionMultiplexer.ConnectAsync(lab).ConfigureAwait(false);
        _tracer = new RedisTracer(_mux);
        logger.LogInformation("Cluster lab sandbox formed: 3 masters and 3 replicas on ports {Ports}", string.Join(", ", ports));
    }

    private static async Task<bool> AllAsync(IEnumerable<int> ports, Func<int, Task<bool>> check) =>
        (await Task.WhenAll(ports.Select(check)).ConfigureAwait(false)).All(ok => ok);

    private static int KnownNodes(ClusterConfiguration? nodes) => nodes?.Nodes.Count(n => !n.IsHandshake && !n.IsNoAddr) ?? 0;

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await Try(condition).ConfigureAwait(false))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The sandbox cluster did not reach {what} in 20 s.");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    // A node that is still starting (or a connection still reconnecting) is "not yet", not a failure.
    private static async Task<bool> Try(Func<Task<bool>> condition)
    {
        try
        {
            return await condition().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return false;
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private async Task StopAllAsync()
    {
        if (_mux is not null)
        {
            await _mux.DisposeAsync().ConfigureAwait(false);
            _mux = null;
        }

        _tracer = null;
        foreach (var node in _nodes.Values)
        {
            node?.Dispose();
        }

        _nodes.Clear();
        if (_root is not null)
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException ex)
            {
                logger.LogDebug(ex, "Could not delete the cluster lab's folder {Root}", _root);
            }

            _root = null;
        }
    }

    /// <summary>Stops every node and deletes their folders.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAllAsync().ConfigureAwait(false);
        _gate.Dispose();
    }
}

/// <summary>The cluster lab's sandbox cannot run here (no redis-server binary, or the cluster did not form).</summary>
public sealed class ClusterSandboxUnavailableException : InvalidOperationException
{
    /// <summary>With the default message.</summary>
    public ClusterSandboxUnavailableException()
        : base("The cluster lab's sandbox is not available.")
    {
    }

    /// <summary>With a message.</summary>
    public ClusterSandboxUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>With a message and its cause.</summary>
    public ClusterSandboxUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The cluster lab's settings (<c>ClusterLab:*</c>).</summary>
public sealed class ClusterLabOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "ClusterLab";

    /// <summary>The redis-server binary the sandbox runs.</summary>
    public string ServerPath { get; set; } = "redis-server";

    /// <summary>How long a master may be unreachable before its replica is promoted (cluster-node-timeout), in ms.</summary>
    [System.ComponentModel.DataAnnotations.Range(500, 15000)]
    public int NodeTimeoutMs { get; set; } = 1000;
}
