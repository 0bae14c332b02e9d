using System.ComponentModel.DataAnnotations;

namespace BlazorRedis.Core.Workbench;

/// <summary>The workbench's limits per learner. Bound from <c>Workbench</c> and validated at start.</summary>
public sealed class WorkbenchOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Workbench";

    /// <summary>Keys one learner may hold in the workbench. Default 1,000.</summary>
    [Range(1, 100_000, ErrorMessage = "Workbench:MaxKeys must be between 1 and 100000.")]
    public int MaxKeys { get; set; } = 1_000;

    /// <summary>The longest argument (value, member, field or key) in bytes, and the longest string SETRANGE or APPEND may build. Default 65,536.</summary>
    [Range(16, 16 * 1024 * 1024, ErrorMessage = "Workbench:MaxValueBytes must be between 16 and 16777216.")]
    public int MaxValueBytes { get; set; } = 64 * 1024;

    /// <summary>The highest bit offset SETBIT and BITFIELD may write (a bitmap of 2^20 bits is 128 KiB). Default 1,048,575.</summary>
    [Range(7, int.MaxValue, ErrorMessage = "Workbench:MaxBitOffset must be between 7 and 2147483647.")]
    public long MaxBitOffset { get; set; } = (1 << 20) - 1;

    /// <summary>Elements printed of one reply; the rest are counted as "… and N more". Default 100.</summary>
    [Range(1, 10_000, ErrorMessage = "Workbench:MaxReplyElements must be between 1 and 10000.")]
    public int MaxReplyElements { get; set; } = 100;

    /// <summary>Commands one learner may send per second (the app's Redis token bucket). Default 20.</summary>
    [Range(1, 100_000, ErrorMessage = "Workbench:CommandsPerSecond must be between 1 and 100000.")]
    public int CommandsPerSecond { get; set; } = 20;

    /// <summary>Every workbench key expires this long after it was last used, unless the learner gave it a TTL of their own. Default 3,600.</summary>
    [Range(60, 7 * 24 * 3600, ErrorMessage = "Workbench:KeyTtlSeconds must be between 60 and 604800.")]
    public int KeyTtlSeconds { get; set; } = 3600;

    /// <summary>Commands one MULTI may queue. Default 100.</summary>
    [Range(1, 10_000, ErrorMessage = "Workbench:MaxQueuedCommands must be between 1 and 10000.")]
    public int MaxQueuedCommands { get; set; } = 100;

    /// <summary>The longest a blocking command (BLPOP, XREAD BLOCK…) waits; a timeout of 0 ("forever") or above it becomes this. Default 10,000 ms.</summary>
    [Range(100, 60_000, ErrorMessage = "Workbench:MaxBlockMilliseconds must be between 100 and 60000.")]
    public int MaxBlockMilliseconds { get; set; } = 10_000;

    /// <summary>Connections kept for blocking commands, each serving one at a time (past them a blocking command is refused). Default 16.</summary>
    [Range(1, 256, ErrorMessage = "Workbench:MaxBlockingConnections must be between 1 and 256.")]
    public int MaxBlockingConnections { get; set; } = 16;

    /// <summary>The memory one learner's workbench keys may use in all (MEMORY USAGE, summed). Default 4 MiB.</summary>
    [Range(64 * 1024, 1024 * 1024 * 1024, ErrorMessage = "Workbench:MaxLearnerBytes must be between 65536 and 1073741824.")]
    public long MaxLearnerBytes { get; set; } = 4 * 1024 * 1024;
}
