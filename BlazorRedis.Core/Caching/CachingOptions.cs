using System.ComponentModel.DataAnnotations;

namespace BlazorRedis.Core.Caching;

/// <summary>How the product cache behaves. Bound from <c>Caching</c>.</summary>
public sealed class CachingOptions
{
    /// <summary>Time to live of a cached product or list, in seconds. Default 60.</summary>
    [Range(1, 86_400, ErrorMessage = "Caching:DefaultTtlSeconds must be between 1 and 86400.")]
    public int DefaultTtlSeconds { get; set; } = 60;

    /// <summary>Entries the write-behind worker takes per read of the stream and applies in one database round trip.</summary>
    [Range(1, 1000, ErrorMessage = "Caching:WriteBehindBatchSize must be between 1 and 1000.")]
    public int WriteBehindBatchSize { get; set; } = 100;

    /// <summary>
    /// Batches the worker applies at once. With the defaults (100 × 4) a 2,000 ms database drains 200 writes a second.
    /// </summary>
    [Range(1, 64, ErrorMessage = "Caching:WriteBehindParallelism must be between 1 and 64.")]
    public int WriteBehindParallelism { get; set; } = 4;

    /// <summary>
    /// Writes that may wait for the database at once. A write-behind write beyond it is refused (nothing accepted is
    /// ever trimmed), so the queue's memory in Redis is bounded.
    /// </summary>
    [Range(10, 1_000_000, ErrorMessage = "Caching:WriteBehindMaxQueue must be between 10 and 1000000.")]
    public int WriteBehindMaxQueue { get; set; } = 10_000;

    /// <summary>How long a pause of the worker lasts at most; then it resumes by itself.</summary>
    [Range(1, 3600, ErrorMessage = "Caching:WriteBehindMaxPauseSeconds must be between 1 and 3600.")]
    public int WriteBehindMaxPauseSeconds { get; set; } = 60;

    /// <summary>How often the worker polls the stream when it is empty, in milliseconds.</summary>
    [Range(10, 60_000, ErrorMessage = "Caching:WriteBehindPollMs must be between 10 and 60000.")]
    public int WriteBehindPollMs { get; set; } = 200;

    /// <summary>Entries another consumer has held this long without acknowledging are claimed (XAUTOCLAIM).</summary>
    [Range(1000, 3_600_000, ErrorMessage = "Caching:WriteBehindClaimIdleMs must be between 1000 and 3600000.")]
    public int WriteBehindClaimIdleMs { get; set; } = 30_000;

    /// <summary>
    /// This instance's consumer name in the write-behind group. Default: unique per instance (machine name, process id and
    /// a random suffix), so several instances never share one; the entries a stopped instance held are claimed by a live
    /// one after <see cref="WriteBehindClaimIdleMs"/>. A fixed name (one per instance) lets a restart replay its own at once.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression(@"^[A-Za-z0-9_\-\.]{1,64}$", ErrorMessage = "Caching:WriteBehindConsumer may hold 1-64 letters, digits, _ - or .")]
    public string WriteBehindConsumer { get; set; } = ScaleOut.InstanceName.New();

    /// <summary>False turns the background worker off (the queue still fills).</summary>
    public bool WriteBehindWorkerEnabled { get; set; } = true;

    /// <summary>Minutes a learner's caching lab stays in memory after its last use (when no page holds it and no write waits).</summary>
    [Range(1, 1440, ErrorMessage = "Caching:LabIdleMinutes must be between 1 and 1440.")]
    public int LabIdleMinutes { get; set; } = 30;

    /// <summary>Seconds a learner's lab worker keeps polling its queue with nothing to do before it stops (the next write-behind use starts it again).</summary>
    [Range(1, 3600, ErrorMessage = "Caching:LabWorkerIdleSeconds must be between 1 and 3600.")]
    public int LabWorkerIdleSeconds { get; set; } = 30;

    /// <summary>The most learners' caching labs one app instance holds (bench/labs.sh measured about 26 KiB of the app's memory and 6 KiB of Redis's each, more with a long write-behind queue).</summary>
    [Range(1, 100_000, ErrorMessage = "Caching:MaxLabs must be between 1 and 100000.")]
    public int MaxLabs { get; set; } = 1000;
}
