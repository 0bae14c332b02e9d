using System.ComponentModel.DataAnnotations;

namespace BlazorRedis.Core.Budgets;

/// <summary>What the whole class may spend at once on the expensive actions. Bound from <c>Budgets</c>.</summary>
public sealed class BudgetOptions
{
    /// <summary>Stampede readers in flight across every race at once (one race may start up to 5,000). Default 5,000.</summary>
    [Range(1, 100_000, ErrorMessage = "Budgets:RaceReaders must be between 1 and 100000.")]
    public int RaceReaders { get; set; } = 5_000;

    /// <summary>
    /// Long-lived connections (Blazor circuits and the metrics hub) one client address may hold open. A class of 60
    /// behind one NAT address holds about 120. Default 400.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "Budgets:ConnectionsPerAddress must be between 1 and 100000.")]
    public int ConnectionsPerAddress { get; set; } = 400;

    /// <summary>Load-generator runs at once across the class. Default 2.</summary>
    [Range(1, 64, ErrorMessage = "Budgets:LoadRuns must be between 1 and 64.")]
    public int LoadRuns { get; set; } = 2;

    /// <summary>
    /// Distinct terms the HyperLogLog lesson's exact sets may hold in Redis at once, across the class, until they
    /// expire. One million terms is about 61 MB of set, so the default keeps the demos under a 64 MB cap. Default 1,000,000.
    /// </summary>
    [Range(10_000, 100_000_000, ErrorMessage = "Budgets:UniqueCountTerms must be between 10000 and 100000000.")]
    public int UniqueCountTerms { get; set; } = 1_000_000;
}
