using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace BlazorRedis.Core.Connection;

/// <summary>A moment's view of the Redis server: reachable or not, round trip, and the INFO facts a learner cares about.</summary>
public sealed record RedisStatus
{
    /// <summary>Before the first probe.</summary>
    public static readonly RedisStatus Unknown = new() { Connected = false, Error = "Checking…" };

    public bool Connected { get; init; }
    public RedisMode Mode { get; init; }
    public string Endpoint { get; init; } = "";
    public string? Version { get; init; }
    public double? PingMilliseconds { get; init; }
    public long? UptimeSeconds { get; init; }
    public string? UsedMemoryHuman { get; init; }
    public long? UsedMemoryBytes { get; init; }
    public long? ConnectedClients { get; init; }
    public long? KeyspaceHits { get; init; }
    public long? KeyspaceMisses { get; init; }
    public long? TotalCommandsProcessed { get; init; }
    public string? MaxMemoryPolicy { get; init; }

    /// <summary>On a Redis Cluster: how many masters serve slots (INFO's other facts are then the answering node's). Null on a single server.</summary>
    public int? ClusterMasters { get; init; }

    /// <summary>On a Redis Cluster: the node whose INFO the other facts are, e.g. <c>127.0.0.1:7000</c>.</summary>
    public string? AnsweringNode { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset CheckedAt { get; init; }
}

/// <summary>
/// The app's one view of Redis, so a hundred open dashboards cost one probe, not a hundred. Components subscribe to
/// <see cref="Changed"/>. It learns of a change two ways: at once from the multiplexer's own events (a connection to
/// any endpoint, a cluster's nodes included, failed or came back: then it probes straight away, and a probe while the
/// multiplexer has no connection reports "down" without sending anything), and once a second from a probe (PING, then
/// INFO), the fallback for what no event tells: a server that is connected but does not answer.
/// </summary>
public sealed partial class RedisStatusMonitor : BackgroundService, IRedisStatusSource
{
    private readonly IConnectionMultiplexer _mux;
    private readonly RedisEndpoint _endpoint;
    private readonly ILogger<RedisStatusMonitor> _logger;
    private readonly TimeProvider _time;
    private readonly Lock _publishing = new();
    private bool _wasConnected = true;

    // Bumped by every connection event: a probe that began before the latest event may have read the world before it
    // changed (a PING answered just before the socket closed), so its result is dropped for the event's own probe.
    private int _epoch;

    public RedisStatusMonitor(IConnectionMultiplexer mux, RedisEndpoint endpoint, ILogger<RedisStatusMonitor> logger, TimeProvider? time = null)
    {
        _mux = mux;
        _endpoint = endpoint;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        Current = RedisStatus.Unknown with { Mode = endpoint.Mode, Endpoint = endpoint.Description };
    }

    /// <summary>How often the server is probed.</summary>
    public static TimeSpan Interval { get; } = TimeSpan.FromSeconds(1);

    /// <summary>The latest probe's result.</summary>
    public RedisStatus Current { get; private set; }

    /// <summary>Raised after every probe, on a background thread, in the order the statuses were published.</summary>
    public event Action<RedisStatus>? Changed;

    /// <summary>Runs one probe now and publishes it (unless a connection event came meanwhile: then the event's probe publishes).</summary>
    public async Task<RedisStatus> ProbeAsync(CancellationToken cancellationToken = default)
    {
        var epoch = Volatile.Read(ref _epoch);
        RedisStatus status;
        try
        {
            if (!_mux.IsConnected)
            {
                // No connection to any endpoint: a PING would only wait in the backlog for its timeout.
                throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "no connection to " + _endpoint.Description, null, CommandStatus.Unknown);
            }

            var db = _mux.GetDatabase();
            var sw = Stopwatch.StartNew();
            await db.PingAsync().WaitAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            var ping = sw.Elapsed.TotalMilliseconds;
            var server = _mux.GetServers().FirstOrDefault(s => s.IsConnected);
            var info = server is null
                ? []
                : (await server.InfoAsync().WaitAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false))
                    .SelectMany(g => g).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value);
            status = new RedisStatus
            {
                Connected = true,
                Mode = _endpoint.Mode,
                Endpoint = _endpoint.Description,
                PingMilliseconds = ping,
                Version = info.GetValueOrDefault("redis_version") ?? server?.Version.ToString(),
                UptimeSeconds = Long(info, "uptime_in_seconds"),
                UsedMemoryHuman = info.GetValueOrDefault("used_memory_human"),
                UsedMemoryBytes = Long(info, "used_memory"),
                ConnectedClients = Long(info, "connected_clients"),
                KeyspaceHits = Long(info, "keyspace_hits"),
                KeyspaceMisses = Long(info, "keyspace_misses"),
                TotalCommandsProcessed = Long(info, "total_commands_processed"),
                MaxMemoryPolicy = info.GetValueOrDefault("maxmemory_policy"),
                ClusterMasters = server?.ServerType == ServerType.Cluster ? CountMasters(server) : null,
                AnsweringNode = server?.ServerType == ServerType.Cluster ? EndPointCollection.ToString(server.EndPoint) : null,
                CheckedAt = _time.GetUtcNow(),
            };
        }
#pragma warning disable CA1031 // Whatever went wrong, the answer is the same: Redis is unavailable right now.
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            status = Current with
            {
                Connected = false,
                PingMilliseconds = null,
                Error = ex is TimeoutException ? "Redis did not answer PING within 1 s." : "Redis is unreachable (" + FirstLine(ex.Message) + ")",
                CheckedAt = _time.GetUtcNow(),
            };
        }

        lock (_publishing)
        {
            if (epoch != Volatile.Read(ref _epoch))
            {
                return Current;
            }

            if (status.Connected != _wasConnected)
            {
                if (status.Connected)
                {
                    LogBack(_logger, _endpoint.Description);
                }
                else
                {
                    LogLost(_logger, _endpoint.Description, status.Error ?? "");
                }

                _wasConnected = status.Connected;
            }

            // Under the lock, so every subscriber sees the statuses in the order they were published (each one only
            // queues a render on its circuit).
            Current = status;
            Changed?.Invoke(status);
        }

        return status;
    }

    /// <summary>A connection to an endpoint failed or came back: probe now rather than at the next tick.</summary>
    private void OnConnectionChanged(object? sender, ConnectionFailedEventArgs e)
    {
        Interlocked.Increment(ref _epoch);
        _ = Task.Run(ProbeAfterEventAsync);
    }

    private async Task ProbeAfterEventAsync()
    {
        try
        {
            await ProbeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A subscriber's bug must not end in an unobserved task; the periodic probe goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.LogWarning(ex, "Redis status probe after a connection event failed");
        }
    }

    /// <summary>Masters that serve at least one slot, as the answering node's view of the cluster says.</summary>
    private static int CountMasters(IServer server) =>
        server.ClusterConfiguration?.Nodes.Count(n => !n.IsReplica && n.Slots.Count > 0) ?? 0;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _mux.ConnectionFailed += OnConnectionChanged;
        _mux.ConnectionRestored += OnConnectionChanged;
        try
        {
            using var timer = new PeriodicTimer(Interval, _time);
            do
            {
                try
                {
                    await ProbeAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // A subscriber's bug must not stop the status probe for every dashboard.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    _logger.LogWarning(ex, "Redis status probe failed");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            _mux.ConnectionFailed -= OnConnectionChanged;
            _mux.ConnectionRestored -= OnConnectionChanged;
        }
    }

    private static long? Long(Dictionary<string, string> info, string key) =>
        info.TryGetValue(key, out var s) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis at {Endpoint} is unavailable: {Reason}")]
    private static partial void LogLost(ILogger logger, string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis at {Endpoint} is reachable again")]
    private static partial void LogBack(ILogger logger, string endpoint);
}
