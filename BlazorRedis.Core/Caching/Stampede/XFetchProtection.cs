using System.Diagnostics;
using System.Text.Json;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Caching.Stampede;

/// <summary>
/// XFetch, probabilistic early recomputation (Vattani, Chierichetti and Lowenstein, VLDB 2015), raced on a key about
/// to expire: it cannot help a key already gone. It promises that no reader sees a miss and that recomputations are
/// few and early; it does not coordinate readers, so under heavy concurrency several of them recompute (each one
/// waits for its own load while everybody else reads the still-valid value). For exactly one load, add a lock.
/// </summary>
internal sealed class XFetchProtection : IStampedeProtection
{
    /// <summary>XFetch's β: above 1 favours earlier recomputation.</summary>
    public const double Beta = 1.0;

    public StampedeProtection Kind => StampedeProtection.XFetch;

    public async Task<StampedeSetup> PrepareAsync(StampedeRun run, int requests, CancellationToken cancellationToken)
    {
        // XFetch acts before a key expires: cache the value with a logical expiry a few load-times away, then let the
        // readers arrive while that deadline approaches.
        var sw = Stopwatch.StartNew();
        var product = await run.Database.GetAsync(StampedeRace.ProductId, cancellationToken).ConfigureAwait(false);
        sw.Stop();
        var delta = Math.Max(sw.Elapsed.TotalMilliseconds, 20);
        var window = TimeSpan.FromMilliseconds(delta * 4);
        return new StampedeSetup("expiring", window / requests, 1, () => run.WriteEntryAsync(TraceRecorder.None, product!, delta, DateTimeOffset.UtcNow + window));
    }

    public async Task<Product?> ReadAsync(StampedeRun run, TraceRecorder trace, CancellationToken cancellationToken)
    {
        var json = await run.RunAsync(
            trace,
            RedisCommandText.Format("GET", run.ValueKey),
            $"var json = await db.StringGetAsync({StampedeRun.Cs(run.ValueKey)}); // value + delta + expiry",
            db => db.StringGetAsync(run.ValueKey),
            RedisCommandText.Reply).ConfigureAwait(false);
        var entry = json.IsNull ? null : JsonSerializer.Deserialize((string)json!, CachingJsonContext.Default.XFetchEntry);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // XFetch: recompute early when now − δ·β·ln(rand) ≥ expiry. ln(rand) < 0, so the left side is "now plus a
        // random head start" that grows with δ (slow values start earlier) and rarely reaches far ahead.
        if (entry is not null && now - (entry.DeltaMs * Beta * Math.Log(1 - Random.Shared.NextDouble())) < entry.ExpiresAtMs)
        {
            return entry.Value;
        }

        var sw = Stopwatch.StartNew();
        var product = await run.LoadAsync(cancellationToken).ConfigureAwait(false);
        sw.Stop();
        await run.WriteEntryAsync(trace, product!, sw.Elapsed.TotalMilliseconds, DateTimeOffset.UtcNow + run.Ttl).ConfigureAwait(false);
        return product;
    }
}
