using System.Collections.Concurrent;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Caching.Stampede;

/// <summary>Request coalescing: readers in this process share one in-flight load (other processes still load once each).</summary>
internal sealed class CoalescingProtection : IStampedeProtection
{
    private readonly ConcurrentDictionary<string, Lazy<Task<Product?>>> _inFlight = new(StringComparer.Ordinal);

    public StampedeProtection Kind => StampedeProtection.Coalescing;

    public async Task<Product?> ReadAsync(StampedeRun run, TraceRecorder trace, CancellationToken cancellationToken)
    {
        var cached = await run.GetAsync(trace).ConfigureAwait(false);
        if (cached is not null)
        {
            return cached;
        }

        var flightKey = (string)run.ValueKey!;
        var mine = new Lazy<Task<Product?>>(() => LoadOnceAsync(run, trace, cancellationToken));
        var flight = _inFlight.GetOrAdd(flightKey, mine);
        if (!ReferenceEquals(flight, mine))
        {
            run.MarkWaited();
            run.CountWait();
        }

        try
        {
            return await flight.Value.ConfigureAwait(false);
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<Product?>>>(flightKey, flight));
        }
    }

    // A reader that missed just after the previous flight ended finds the value here instead of loading again.
    private static Task<Product?> LoadOnceAsync(StampedeRun run, TraceRecorder trace, CancellationToken cancellationToken) =>
        run.ReadThroughAsync(trace, cancellationToken);
}
