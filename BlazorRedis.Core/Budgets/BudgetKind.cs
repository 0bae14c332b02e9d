namespace BlazorRedis.Core.Budgets;

/// <summary>The expensive actions that have a budget: each owner (a learner, or an API client's address) one at a time, and a cap for the whole class.</summary>
public enum BudgetKind
{
    /// <summary>A stampede race; its weight is the number of concurrent readers.</summary>
    StampedeRace,

    /// <summary>A load-generator run; weight 1.</summary>
    LoadRun,

    /// <summary>Large demo data left in Redis until it expires (an exact set, a long bitmap); its weight is in bytes.</summary>
    DemoMemory,

    /// <summary>
    /// A walk of the whole keyspace with SCAN, however few keys match: an invalidation by pattern, or the caching lab's
    /// list of cached keys; weight 1.
    /// </summary>
    PatternScan,
}
