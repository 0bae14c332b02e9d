using System.ComponentModel.DataAnnotations;

namespace BlazorRedis.Core.Caching.Libraries;

/// <summary>Settings of the caching libraries lab and of <c>GET /api/products/{id}?via=</c>. Bound from <c>Libraries</c>.</summary>
public sealed class LibrariesOptions
{
    /// <summary>How long a node keeps a value in its own memory (L1). Short in the lab, so the stale window can be watched. Default 5.</summary>
    [Range(1, 3600, ErrorMessage = "Libraries:MemorySeconds must be between 1 and 3600.")]
    public int MemorySeconds { get; set; } = 5;

    /// <summary>How long a value stays in Redis (L2). Default 300.</summary>
    [Range(1, 86_400, ErrorMessage = "Libraries:RedisSeconds must be between 1 and 86400.")]
    public int RedisSeconds { get; set; } = 300;

    /// <summary>The latency of the lab's own database (each learner's lab has one). Default 200.</summary>
    [Range(0, 5000, ErrorMessage = "Libraries:DatabaseLatencyMs must be between 0 and 5000.")]
    public int DatabaseLatencyMs { get; set; } = 200;

    /// <summary>
    /// Libraries labs one learner may hold open at once (one per open tab of the page). Each holds a Redis connection of
    /// its own with two nodes' caches and backplane subscriptions, so a learner opening tab after tab must not pile them
    /// up. Default 3.
    /// </summary>
    [Range(1, 100, ErrorMessage = "Libraries:MaxLabsPerLearner must be between 1 and 100.")]
    public int MaxLabsPerLearner { get; set; } = 3;

    /// <summary>How long the API's nodes keep a product in memory (the <c>?via=</c> reads over the shared catalog). Default 30.</summary>
    [Range(1, 3600, ErrorMessage = "Libraries:ApiMemorySeconds must be between 1 and 3600.")]
    public int ApiMemorySeconds { get; set; } = 30;
}
