using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.HyperLogLog;

/// <summary>
/// Counts unique search terms twice: approximately with a HyperLogLog (PFADD/PFCOUNT) and exactly with a set
/// (SADD/SCARD), so a learner sees the error and the memory of each.
/// </summary>
public interface IHyperLogLogDemo : IDataStructureDemo
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
