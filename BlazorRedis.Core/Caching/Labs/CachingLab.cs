using BlazorRedis.Core.Caching.CacheAside;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.Invalidation;
using BlazorRedis.Core.Caching.LoadGeneration;
using BlazorRedis.Core.Caching.Stampede;
using BlazorRedis.Core.Caching.WriteStrategies;
using BlazorRedis.Core.Keys;

namespace BlazorRedis.Core.Caching.Labs;

/// <summary>
/// One caching lab: a catalog (the slow database, with its own latency), the cache keys over it, and the services
/// the caching pages run: cache-aside reads, writes, invalidation, the inspector, the write-behind queue, stampede
/// races and the load generator. The shared lab (<see cref="Owner"/> null) is the REST API's and the teacher's; each
/// learner has one of their own, so nothing one learner does in a lab changes another's.
/// </summary>
public sealed class CachingLab : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task>? _worker;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly WriteBehindService _writeBehind;
    private Task? _running;
    private long _lastUsedTicks;
    private int _holders;

    /// <summary>
    /// A lab of <paramref name="owner"/> (null: the shared catalog) over these services; <paramref name="worker"/> is
    /// the lab's own write-behind worker, started the first time <see cref="WriteBehind"/> is used (null when the app
    /// runs the worker).
    /// </summary>
    public CachingLab(
        LearnerId? owner,
        CacheKeys keys,
        IProductDatabase database,
        IProductReader reader,
        IProductWriter writer,
        IProductInvalidation invalidation,
        ICacheInspector inspector,
        WriteBehindService writeBehind,
        StampedeRace race,
        LoadGenerator load,
        Func<CancellationToken, Task>? worker = null)
    {
        Owner = owner;
        Keys = keys;
        Database = database;
        Reader = reader;
        Writer = writer;
        Invalidation = invalidation;
        Inspector = inspector;
        _writeBehind = writeBehind;
        Race = race;
        Load = load;
        _worker = worker;
        Touch(TimeProvider.System);
    }

    /// <summary>The learner whose lab this is; null for the shared catalog.</summary>
    public LearnerId? Owner { get; }

    /// <summary>True for the shared catalog (the REST API's and the teacher's).</summary>
    public bool IsShared => Owner is null;

    public CacheKeys Keys { get; }

    public IProductDatabase Database { get; }

    public IProductReader Reader { get; }

    public IProductWriter Writer { get; }

    public IProductInvalidation Invalidation { get; }

    public ICacheInspector Inspector { get; }

    public StampedeRace Race { get; }

    public LoadGenerator Load { get; }

    /// <summary>
    /// The lab's write-behind queue; asking for it starts the lab's worker if it has one and it is not running (a lab's
    /// worker stops by itself after <c>Caching:LabWorkerIdleSeconds</c> with nothing to do).
    /// </summary>
    public WriteBehindService WriteBehind
    {
        get
        {
            StartWorker();
            return _writeBehind;
        }
    }

    /// <summary>True while the lab's own worker runs.</summary>
    public bool WorkerRunning => _running is { IsCompleted: false };

    /// <summary>Writes accepted but not yet applied to the lab's database: a lab that has some is never dropped.</summary>
    public int UnappliedWrites => _writeBehind.UnappliedCount;

    /// <summary>When the lab was last asked for.</summary>
    public DateTimeOffset LastUsed => new(Interlocked.Read(ref _lastUsedTicks), TimeSpan.Zero);

    /// <summary>How many open pages hold the lab: a held lab is never dropped.</summary>
    public int Holders => Volatile.Read(ref _holders);

    internal void Touch(TimeProvider time) => Interlocked.Exchange(ref _lastUsedTicks, time.GetUtcNow().UtcTicks);

    /// <summary>Holds the lab for a page's lifetime (dispose the lease when the page goes).</summary>
    public CachingLabLease Hold()
    {
        Interlocked.Increment(ref _holders);
        return new CachingLabLease(this);
    }

    internal void Release() => Interlocked.Decrement(ref _holders);

    private void StartWorker()
    {
        if (_worker is null || _stopping.IsCancellationRequested)
        {
            return;
        }

        lock (_gate)
        {
            // Not yet started, or stopped itself after a quiet spell: start (again).
            if (_running is not { IsCompleted: false } && !_stopping.IsCancellationRequested)
            {
                _running = Task.Run(() => _worker(_stopping.Token));
            }
        }
    }

    /// <summary>Stops the lab's worker: batches in flight finish or stay pending in the lab's stream.</summary>
    public async ValueTask DisposeAsync()
    {
        Task? running;
        lock (_gate)
        {
            running = _running;
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _stopping.Cancel();
        }

        if (running is not null)
        {
            try
            {
                await running.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }

        _stopping.Dispose();
    }
}
