namespace BlazorRedis.Core.HyperLogLog;

/// <summary>How far a load has got.</summary>
/// <param name="Sent">Searches sent so far.</param>
/// <param name="Total">Searches in the stream.</param>
public sealed record LoadProgress(long Sent, long Total)
{
    /// <summary>0–100.</summary>
    public double Percent => Total == 0 ? 100 : 100.0 * Sent / Total;
}
