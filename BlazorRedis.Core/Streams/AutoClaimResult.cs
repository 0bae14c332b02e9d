namespace BlazorRedis.Core.Streams;

/// <summary>What XAUTOCLAIM moved to the claiming consumer.</summary>
/// <param name="Claimed">Entries now owned by the claimer.</param>
/// <param name="DeletedIds">Pending ids whose entries were trimmed away meanwhile.</param>
/// <param name="NextStartId">Where a further XAUTOCLAIM would continue (0-0 when the scan is complete).</param>
public sealed record AutoClaimResult(IReadOnlyList<SensorEntry> Claimed, IReadOnlyList<string> DeletedIds, string NextStartId);
