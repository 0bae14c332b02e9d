namespace BlazorRedis.Core.Caching.Eviction;

/// <summary>One key of the workload and its fate.</summary>
public sealed record EvictionKey(string Name, bool Hot, bool HasTtl, KeyOutcome Outcome);
