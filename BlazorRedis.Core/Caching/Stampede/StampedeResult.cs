namespace BlazorRedis.Core.Caching.Stampede;

/// <summary>The outcome of one race.</summary>
/// <param name="Protection">The strategy raced.</param>
/// <param name="Requests">Concurrent readers.</param>
/// <param name="DatabaseLoads">Database loads the readers caused (counted at the loader).</param>
/// <param name="Elapsed">From the start signal until the last reader had its value.</param>
/// <param name="Scenario">"cold": a key that does not exist; "expiring": a cached key whose logical expiry is near (XFetch's case).</param>
/// <param name="RedisCommands">Redis commands the readers sent (counted as they were sent).</param>
/// <param name="LockWaits">Readers that waited for another reader's load (lock or coalescing).</param>
/// <param name="WarmupLoads">Loads made before the race to create the expiring key (XFetch only).</param>
/// <param name="P50Ms">Median reader latency.</param>
/// <param name="P99Ms">99th percentile reader latency.</param>
/// <param name="Key">The throw-away key raced on.</param>
/// <param name="ReadersWaited">
/// Readers whose read included a database load: they loaded it themselves, or waited for another reader's load (lock,
/// coalescing). The others were answered from the cache at once. Under XFetch only the few readers that recompute
/// early wait; everybody else reads the still-valid value.
/// </param>
/// <param name="WaitP50Ms">Median wait over all readers (a reader answered from the cache waited 0 ms).</param>
/// <param name="WaitMaxMs">The longest any reader waited for a load (0 when none did).</param>
public sealed record StampedeResult(
    StampedeProtection Protection,
    int Requests,
    int DatabaseLoads,
    TimeSpan Elapsed,
    string Scenario,
    long RedisCommands,
    int LockWaits,
    int WarmupLoads,
    double P50Ms,
    double P99Ms,
    string Key,
    int ReadersWaited = 0,
    double WaitP50Ms = 0,
    double WaitMaxMs = 0);
