namespace BlazorRedis.Core.Budgets;

/// <summary>The expensive actions that have a budget: each owner (a learner, or an API client's address) one at a time, and a cap for the whole class.</summary>
public enum BudgetKind
{
    /// <summary>A stampede race; its weight is the number of concurrent readers.</summary>
    StampedeRace,

    /// <summary>A load-generator run; weight 1.</summary>
    LoadRun,

    /// <summary>The HyperLogLog lesson's exact-set comparison; its weight is the distinct terms the exact set holds in Redis.</summary>
    UniqueCount,
}
