using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Caching.Stampede;

/// <summary>One way of keeping concurrent readers of one key from all loading it: the narrow seam each protection fills.</summary>
internal interface IStampedeProtection
{
    /// <summary>Which protection this is.</summary>
    StampedeProtection Kind { get; }

    /// <summary>Prepares the key before the readers start (XFetch caches a value about to expire; the others race on a cold key).</summary>
    Task<StampedeSetup> PrepareAsync(StampedeRun run, int requests, CancellationToken cancellationToken) =>
        Task.FromResult(StampedeSetup.Cold);

    /// <summary>One reader's read: returns the product, through the cache, loading it as this protection allows.</summary>
    Task<Product?> ReadAsync(StampedeRun run, TraceRecorder trace, CancellationToken cancellationToken);
}
