using System.ComponentModel.DataAnnotations;

namespace BlazorRedis.Core.Budgets;

/// <summary>What the whole class may spend at once on the expensive actions. Bound from <c>Budgets</c>.</summary>
public sealed class BudgetOptions
{
    /// <summary>Stampede readers in flight across every race at once. Default 5,000.</summary>
    [Range(1, 100_000, ErrorMessage = "Budgets:RaceReaders must be between 1 and 100000.")]
    public int RaceReaders { get; set; } = 5_000;

    /// <summary>
    /// The most readers one learner's race may take of <see cref="RaceReaders"/> (capped at it), so no one learner can
    /// take the whole class's share. Default 2,000.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "Budgets:RaceReadersPerLearner must be between 1 and 100000.")]
    public int RaceReadersPerLearner { get; set; } = 2_000;

    /// <summary>
    /// The most readers one API client address's race may take of <see cref="RaceReaders"/> (capped at it): lower than a
    /// learner's, since a script can send a race the moment the last one ends. Default 1,000.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "Budgets:RaceReadersPerApiClient must be between 1 and 100000.")]
    public int RaceReadersPerApiClient { get; set; } = 1_000;

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
    /// The longest one load-generator run may take, in seconds: it stops then and reports what it measured, so no run
    /// holds one of the <see cref="LoadRuns"/> for hours. Default 60.
    /// </summary>
    [Range(1, 3600, ErrorMessage = "Budgets:LoadRunSeconds must be between 1 and 3600.")]
    public int LoadRunSeconds { get; set; } = 60;

    /// <summary>
    /// Megabytes of Redis memory the large demo data may take at once, across the class, until it expires: the
    /// HyperLogLog lesson's exact sets (about 64 bytes a term) and bitmaps past one million bits. Default 64.
    /// </summary>
    [Range(1, 64 * 1024, ErrorMessage = "Budgets:DemoMemoryMegabytes must be between 1 and 65536.")]
    public int DemoMemoryMegabytes { get; set; } = 64;

    /// <summary>
    /// The most of <see cref="DemoMemoryMegabytes"/> one learner may hold at once (capped at it), counting all their
    /// large demo data, so no one learner can shut the class out of the demos until their data expires. The teacher's
    /// own demo (the million-term HyperLogLog run on the projector) may take the class's whole budget. Default 16.
    /// </summary>
    [Range(1, 64 * 1024, ErrorMessage = "Budgets:DemoMemoryPerLearnerMegabytes must be between 1 and 65536.")]
    public int DemoMemoryPerLearnerMegabytes { get; set; } = 16;

    /// <summary>
    /// How long large demo data held against <see cref="DemoMemoryMegabytes"/> lives, in minutes: a bitmap past one million
    /// bits (and a BITOP result made from one) expires this long after its last write instead of after
    /// <c>Keyspace:LearnerKeyTtlSeconds</c> (a day), and its share of the budget is held exactly as long, so a learner who
    /// closes the tab leaves the class's demo memory free by the end of the lesson. The HyperLogLog lesson's exact set
    /// lives its own 10 minutes. Default 60.
    /// </summary>
    [Range(10, 24 * 60, ErrorMessage = "Budgets:LargeDemoDataMinutes must be between 10 and 1440 (a day): how long large demo data (long bitmaps) and its share of Budgets:DemoMemoryMegabytes live.")]
    public int LargeDemoDataMinutes { get; set; } = 60;

    /// <summary>Keyspace scans (invalidations by pattern and lists of cached keys, each a SCAN of the whole keyspace) running at once across the class.</summary>
    [Range(1, 64, ErrorMessage = "Budgets:PatternScans must be between 1 and 64.")]
    public int PatternScans { get; set; } = 4;
}
