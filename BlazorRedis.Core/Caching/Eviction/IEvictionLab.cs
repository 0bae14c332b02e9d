using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Caching.Eviction;

/// <summary>
/// Fills a small sandbox redis-server (its own process, never the app's main server) under a chosen
/// <c>maxmemory-policy</c> and reports what Redis evicted, what survived and what it refused.
/// </summary>
public interface IEvictionLab
{
    /// <summary>Whether the lab can run here (a redis-server binary exists) and whether a run is in progress.</summary>
    EvictionLabStatus Status { get; }

    /// <summary>Runs <paramref name="workload"/> on the sandbox, starting it on first use.</summary>
    /// <exception cref="ArgumentException">The workload is out of range (nothing was written).</exception>
    /// <exception cref="EvictionLabBusyException">Another learner's run holds the sandbox.</exception>
    /// <exception cref="EvictionSandboxUnavailableException">No redis-server binary, or it would not start.</exception>
    Task<Traced<EvictionRunResult>> RunAsync(EvictionWorkload workload, CancellationToken cancellationToken = default);

    /// <summary>The last run that finished on this app instance (the teacher's, on the projector), or null before the first.</summary>
    Traced<EvictionRunResult>? LastRun => null;

    /// <summary>Raised (on the run's thread) when a run finishes and <see cref="LastRun"/> holds it: learners' pages show it.</summary>
    event Action? RunFinished
    {
        add { }
        remove { }
    }
}
