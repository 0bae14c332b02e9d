namespace BlazorRedis.Core.HyperLogLog;

/// <summary>What one PFADD/SADD pair changed.</summary>
/// <param name="HyperLogLogChanged">PFADD's reply: 1 when a register changed (the estimate may have grown).</param>
/// <param name="NewInSet">SADD's reply: 1 when the term was not yet in the exact set.</param>
public sealed record TermAdded(bool HyperLogLogChanged, bool NewInSet);
