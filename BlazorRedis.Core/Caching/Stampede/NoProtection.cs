using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Caching.Stampede;

/// <summary>No protection: every reader that misses loads from the database.</summary>
internal sealed class NoProtection : IStampedeProtection
{
    public StampedeProtection Kind => StampedeProtection.None;

    public async Task<Product?> ReadAsync(StampedeRun run, TraceRecorder trace, CancellationToken cancellationToken)
    {
        var cached = await run.GetAsync(trace).ConfigureAwait(false);
        if (cached is not null)
        {
            return cached;
        }

        var product = await run.LoadAsync(cancellationToken).ConfigureAwait(false);
        await run.SetAsync(trace, product).ConfigureAwait(false);
        return product;
    }
}
