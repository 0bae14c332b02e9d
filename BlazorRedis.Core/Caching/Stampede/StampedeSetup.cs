namespace BlazorRedis.Core.Caching.Stampede;

/// <summary>How a race starts.</summary>
/// <param name="Scenario">"cold" or "expiring".</param>
/// <param name="Spacing">The gap between two readers' arrivals (zero: all at once).</param>
/// <param name="WarmupLoads">Database loads made to prepare the key.</param>
/// <param name="Arm">
/// Run once every reader is scheduled, just before they are let go (XFetch writes its entry here, so the logical expiry
/// counts from the readers' start, not from before a thousand tasks were made).
/// </param>
internal sealed record StampedeSetup(string Scenario, TimeSpan Spacing, int WarmupLoads, Func<Task>? Arm = null)
{
    /// <summary>Every reader at once on a key that does not exist.</summary>
    public static StampedeSetup Cold { get; } = new("cold", TimeSpan.Zero, 0);
}
