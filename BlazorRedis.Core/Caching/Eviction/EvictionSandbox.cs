using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Tracing;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching.Eviction;

/// <summary>
/// The eviction lab's own redis-server child process with a tiny <c>maxmemory</c>, started on first use and stopped
/// with the app. Only this server is ever connected with admin rights; the app's main server is never touched.
/// </summary>
internal sealed class EvictionSandbox(EvictionLabOptions options, ILogger logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private EmbeddedRedisServer? _server;
    private ConnectionMultiplexer? _mux;
    private RedisTracer? _tracer;

    /// <summary>True when a redis-server binary can be found.</summary>
    public bool Available => EmbeddedRedisServer.Locate(options.ServerPath) is not null;

    /// <summary>True while the sandbox process runs.</summary>
    public bool Started => _server?.IsRunning == true;

    /// <summary>The sandbox's address once started.</summary>
    public string? EndPoint => _server?.EndPoint;

    /// <summary>Starts the sandbox (or reuses the running one) and returns a connection to it.</summary>
    public async Task<(IServer Server, IConnectionMultiplexer Mux, RedisTracer Tracer)> EnsureStartedAsync(CancellationToken cancellationToken)
    {
        await _startGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_server is { IsRunning: true } && _mux is { IsConnected: true } && _tracer is not null)
            {
                return (_mux.GetServer(_server.EndPoint), _mux, _tracer);
            }

            await StopAsync().ConfigureAwait(false);
            var embedded = new EmbeddedRedisOptions { ServerPath = options.ServerPath, StartTimeoutSeconds = options.StartTimeoutSeconds };
            foreach (var arg in new[] { "--maxmemory", $"{options.MaxMemoryMegabytes}mb", "--maxmemory-policy", EvictionPolicies.NoEviction })
            {
                embedded.ExtraArguments.Add(arg);
            }

            try
            {
                _server = await EmbeddedRedisServer.StartAsync(embedded, logger, cancellationToken).ConfigureAwait(false);
            }
            catch (RedisServerNotFoundException ex)
            {
                throw new EvictionSandboxUnavailableException(UnavailableReason(), ex);
            }
            catch (Exception ex) when (ex is IOException or TimeoutException)
            {
                throw new EvictionSandboxUnavailableException($"The eviction lab's sandbox redis-server did not start: {ex.Message}", ex);
            }

            var config = ConfigurationOptions.Parse(_server.EndPoint);
            config.AllowAdmin = true; // FLUSHDB, CONFIG SET and INFO on the sandbox only
            config.AbortOnConnectFail = false;
            config.ClientName = "BlazorRedis-eviction-lab";
            _mux = await ConnectionMultiplexer.ConnectAsync(config).ConfigureAwait(false);
            _tracer = new RedisTracer(_mux);
            logger.LogInformation("Eviction lab sandbox started at {EndPoint} with maxmemory {MaxMemory} MB", _server.EndPoint, options.MaxMemoryMegabytes);
            return (_mux.GetServer(_server.EndPoint), _mux, _tracer);
        }
        finally
        {
            _startGate.Release();
        }
    }

    /// <summary>Why the lab cannot run, for the page.</summary>
    public string UnavailableReason() =>
        $"The eviction lab starts its own small redis-server (maxmemory {options.MaxMemoryMegabytes} MB) so it can change the eviction " +
        $"policy without touching your Redis, and no redis-server binary was found at '{options.ServerPath}'. Install one " +
        "(Debian/Ubuntu: sudo apt-get install -y redis-server) or set Caching:Eviction:ServerPath. Every other lesson works without it.";

    private async Task StopAsync()
    {
        if (_mux is not null)
        {
            await _mux.DisposeAsync().ConfigureAwait(false);
            _mux = null;
        }

        _tracer = null;
        _server?.Dispose();
        _server = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _startGate.Dispose();
    }
}
