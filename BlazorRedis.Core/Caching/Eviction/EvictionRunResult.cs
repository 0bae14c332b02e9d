namespace BlazorRedis.Core.Caching.Eviction;

/// <summary>A lab run's measured outcome, all read back from the sandbox (INFO, SCAN) or counted from replies.</summary>
/// <param name="Policy">The <c>maxmemory-policy</c> the sandbox ran with.</param>
/// <param name="MaxMemoryBytes">The sandbox's <c>maxmemory</c> (INFO memory).</param>
/// <param name="UsedMemoryBytes">The sandbox's <c>used_memory</c> after the run.</param>
/// <param name="EvictedKeys"><c>evicted_keys</c> from INFO stats (counters were reset before the run).</param>
/// <param name="ExpiredKeys"><c>expired_keys</c> from INFO stats: keys whose TTL ran out during the run (usually none: TTLs are 60–600 s).</param>
/// <param name="Written">Writes Redis accepted.</param>
/// <param name="Rejected">Writes Redis refused.</param>
/// <param name="OomError">The first error Redis returned for a refused write, word for word.</param>
/// <param name="HotReads">GETs of hot keys.</param>
/// <param name="HotReadMisses">Of those, how many found the key gone (a cache miss the app would pay for).</param>
/// <param name="Keys">Every key of the workload with its outcome.</param>
/// <param name="Survivors">
/// The key names SCAN found after the run, read under noeviction so that the walk itself evicts nothing: every accepted
/// write is a survivor, evicted or expired (<c>Written == Survivors.Count + EvictedKeys + ExpiredKeys</c>).
/// </param>
/// <param name="Elapsed">Wall time of the run.</param>
public sealed record EvictionRunResult(
    string Policy,
    long MaxMemoryBytes,
    long UsedMemoryBytes,
    long EvictedKeys,
    long ExpiredKeys,
    int Written,
    int Rejected,
    string? OomError,
    long HotReads,
    long HotReadMisses,
    IReadOnlyList<EvictionKey> Keys,
    IReadOnlyList<string> Survivors,
    TimeSpan Elapsed)
{
    /// <summary>Hot keys that survived.</summary>
    public int HotSurvived => Keys.Count(k => k.Hot && k.Outcome == KeyOutcome.Survived);

    /// <summary>How many hot keys there were.</summary>
    public int HotTotal => Keys.Count(k => k.Hot);

    /// <summary>Cold keys that survived.</summary>
    public int ColdSurvived => Keys.Count(k => !k.Hot && k.Outcome == KeyOutcome.Survived);

    /// <summary>How many cold keys there were.</summary>
    public int ColdTotal => Keys.Count(k => !k.Hot);

    /// <summary>Keys with a TTL that survived.</summary>
    public int TtlSurvived => Keys.Count(k => k.HasTtl && k.Outcome == KeyOutcome.Survived);

    /// <summary>Keys with a TTL.</summary>
    public int TtlTotal => Keys.Count(k => k.HasTtl);

    /// <summary>Keys without a TTL that survived.</summary>
    public int PersistentSurvived => Keys.Count(k => !k.HasTtl && k.Outcome == KeyOutcome.Survived);

    /// <summary>Keys without a TTL.</summary>
    public int PersistentTotal => Keys.Count(k => !k.HasTtl);

    /// <summary>Share of hot keys that survived (0-1).</summary>
    public double HotSurvivalRate => HotTotal == 0 ? 0 : (double)HotSurvived / HotTotal;

    /// <summary>Share of cold keys that survived (0-1).</summary>
    public double ColdSurvivalRate => ColdTotal == 0 ? 0 : (double)ColdSurvived / ColdTotal;
}
