using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Caching.Stampede;

/// <summary>No protection: every reader that misses loads from the database.</summary>
internal sealed class NoProtection : IStampedeProtection
{
    public StampedeProtection Kind => StampedeProtection.None;

    public Task<Product?> ReadAsync(StampedeRun run, TraceRecorder trace, CancellationToken cancellationToken) =>
        run.ReadThroughAsync(trace, cancellationToken);
}
