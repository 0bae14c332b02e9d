using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.HyperLogLogs;

/// <summary>
/// Counts unique search terms twice: approximately with a HyperLogLog (PFADD/PFCOUNT) and exactly with a set
/// (SADD/SCARD), so a learner sees the error and the memory of each.
/// </summary>
public interface IUniqueTermCounter : IDataStructureDemo
{
    /// <summary>PFADD and SADD one term the learner typed.</summary>
    Task<Traced<TermAdded>> AddTermAsync(LearnerId learner, string term);

    /// <summary>
    /// Starts both counters afresh and feeds them a generated stream of <paramref name="distinct"/> different
    /// terms in batches; reports progress after batches; stops between batches when cancelled.
    /// </summary>
    Task<Traced<UniqueCountComparison>> LoadAsync(LearnerId learner, int distinct, IProgress<LoadProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>PFCOUNT vs SCARD and MEMORY USAGE of both keys.</summary>
    Task<Traced<UniqueCountComparison>> CompareAsync(LearnerId learner);
}

/// <summary>What one PFADD/SADD pair changed.</summary>
/// <param name="HyperLogLogChanged">PFADD's reply: 1 when a register changed (the estimate may have grown).</param>
/// <param name="NewInSet">SADD's reply: 1 when the term was not yet in the exact set.</param>
public sealed record TermAdded(bool HyperLogLogChanged, bool NewInSet);

/// <summary>How far a load has got.</summary>
/// <param name="Sent">Searches sent so far.</param>
/// <param name="Total">Searches in the stream.</param>
public sealed record LoadProgress(long Sent, long Total)
{
    /// <summary>0–100.</summary>
    public double Percent => Total == 0 ? 100 : 100.0 * Sent / Total;
}

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

    /// <summary>(estimate − exact) / exact in percent; 0 when nothing was counted.</summary>
    public double ErrorPercent => Exact == 0 ? 0 : 100.0 * (Estimate - Exact) / Exact;
}
