namespace BlazorRedis.Core.HyperLogLog;

/// <summary>The two counts side by side.</summary>
/// <param name="Estimate">PFCOUNT of the HyperLogLog.</param>
/// <param name="Exact">SCARD of the set.</param>
/// <param name="HyperLogLogBytes">MEMORY USAGE of the HyperLogLog key (null when unknown).</param>
/// <param name="SetBytes">MEMORY USAGE of the set key (an estimate Redis makes from a sample of members; null when unknown).</param>
/// <param name="Searches">Searches sent by the last load (0 after free-form adds only).</param>
public sealed record UniqueCountComparison(long Estimate, long Exact, long? HyperLogLogBytes, long? SetBytes, long Searches = 0)
{
    /// <summary>An empty comparison (nothing counted yet).</summary>
    public static UniqueCountComparison Empty { get; } = new(0, 0, null, null);

    /// <summary>
    /// True when the HyperLogLog holds counts but the exact set is gone (it expired or was deleted): there is
    /// nothing to compare the estimate with, so no error or memory ratio may be computed.
    /// </summary>
    public bool ExactMissing => Exact == 0 && Estimate > 0;

    /// <summary>(estimate − exact) / exact in percent; 0 when nothing was counted.</summary>
    public double ErrorPercent => Exact == 0 ? 0 : 100.0 * (Estimate - Exact) / Exact;
}
