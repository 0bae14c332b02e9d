namespace BlazorRedis.Core.Metrics;

/// <summary>Percentiles (milliseconds) of the latencies recorded in one second; null when nothing was recorded.</summary>
/// <param name="Count">How many latencies were recorded (all of them, not only the sampled ones).</param>
/// <param name="P50">Half of the reads were at least this fast.</param>
/// <param name="P95">95 % of the reads were at least this fast.</param>
/// <param name="P99">99 % of the reads were at least this fast.</param>
public sealed record LatencySummary(long Count, double? P50, double? P95, double? P99)
{
    /// <summary>A second with no recorded latency.</summary>
    public static LatencySummary None { get; } = new(0, null, null, null);
}
