using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Core.Caching.Eviction;

/// <summary>
/// The eviction lab: runs an <see cref="EvictionRun"/> on the <see cref="EvictionSandbox"/>, its own redis-server with a
/// tiny <c>maxmemory</c>. FLUSHDB and CONFIG SET run only there; the app's main server is never touched. One run at a
/// time: a second learner is told to wait instead of interleaving.
/// </summary>
public sealed class EvictionLab : IEvictionLab, IAsyncDisposable, IDisposable
{
    /// <summary>How many keys one SCAN step asks for.</summary>
    public const int ScanBatch = 500;
    private readonly EvictionLabOptions _options;
    private readonly RedisKeyspace _keyspace;
    private readonly EvictionSandbox _sandbox;
    private readonly SemaphoreSlim _runGate = new(1, 1);
    private int _disposed;

    public EvictionLab(IOptions<EvictionLabOptions> options, RedisKeyspace keyspace, ILogger<EvictionLab>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _keyspace = keyspace ?? throw new ArgumentNullException(nameof(keyspace));
        _sandbox = new EvictionSandbox(_options, (ILogger?)logger ?? NullLogger.Instance);
    }

    /// <inheritdoc />
    public Traced<EvictionRunResult>? LastRun { get; private set; }

    /// <inheritdoc />
    public event Action? RunFinished;

    /// <summary>The sandbox's maxmemory in bytes.</summary>
    public long MaxMemoryBytes => _options.MaxMemoryMegabytes * 1024L * 1024L;

    /// <inheritdoc />
    public EvictionLabStatus Status
    {
        get
        {
            var available = _sandbox.Available;
            return new EvictionLabStatus(
                available,
                available ? null : _sandbox.UnavailableReason(),
                _sandbox.Started,
                _sandbox.EndPoint,
                MaxMemoryBytes,
                _runGate.CurrentCount == 0);
        }
    }

    /// <inheritdoc />
    public async Task<Traced<EvictionRunResult>> RunAsync(EvictionWorkload workload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workload);
        workload.Validate();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        if (!await _runGate.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            throw new EvictionLabBusyException();
        }

        var finished = false;
        try
        {
            var (server, mux, tracer) = await _sandbox.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
            var run = new EvictionRun(workload, server, mux, tracer, _keyspace, _options.RoundPauseMilliseconds);
            var result = await run.RunAsync(cancellationToken).ConfigureAwait(false);
            LastRun = result;
            finished = true;
            return result;
        }
        finally
        {
            _runGate.Release();
            if (finished)
            {
                RunFinished?.Invoke(); // after the gate opens: a page told of the run sees the lab free
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _sandbox.DisposeAsync().ConfigureAwait(false);
        _runGate.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
