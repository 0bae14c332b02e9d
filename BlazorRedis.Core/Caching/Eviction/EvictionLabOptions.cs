using System.ComponentModel.DataAnnotations;

namespace BlazorRedis.Core.Caching.Eviction;

/// <summary>The eviction lab's own small redis-server. Bound from <c>Caching:Eviction</c>.</summary>
public sealed class EvictionLabOptions
{
    /// <summary>The redis-server executable for the sandbox: a name on PATH or a full path.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Caching:Eviction:ServerPath must name a redis-server executable.")]
    [StringLength(1024)]
    public string ServerPath { get; set; } = "redis-server";

    /// <summary>The sandbox's <c>maxmemory</c>, in megabytes. Small, so a few hundred keys fill it. Default 2.</summary>
    [Range(1, 64, ErrorMessage = "Caching:Eviction:MaxMemoryMegabytes must be between 1 and 64.")]
    public int MaxMemoryMegabytes { get; set; } = 2;

    /// <summary>How long to wait for the sandbox to answer PING.</summary>
    [Range(1, 120, ErrorMessage = "Caching:Eviction:StartTimeoutSeconds must be between 1 and 120.")]
    public int StartTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// The pause between the workload's rounds. Redis's LRU clock ticks once a second, so rounds must be more than
    /// a second apart for "recently used" to mean anything. Default 1100 ms; tests may shorten it for LFU/random runs.
    /// </summary>
    [Range(0, 5000, ErrorMessage = "Caching:Eviction:RoundPauseMilliseconds must be between 0 and 5000.")]
    public int RoundPauseMilliseconds { get; set; } = 1100;
}
