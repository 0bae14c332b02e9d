namespace BlazorRedis.Core.Caching.Eviction;

/// <summary>Whether the lab can run here, and what its sandbox looks like.</summary>
/// <param name="Available">A redis-server binary was found.</param>
/// <param name="Reason">Why the lab cannot run, in plain words (null when it can).</param>
/// <param name="Started">The sandbox is running.</param>
/// <param name="EndPoint">The sandbox's loopback address once started.</param>
/// <param name="MaxMemoryBytes">The configured maxmemory.</param>
/// <param name="Busy">A learner's run is in progress.</param>
public sealed record EvictionLabStatus(bool Available, string? Reason, bool Started, string? EndPoint, long MaxMemoryBytes, bool Busy);
