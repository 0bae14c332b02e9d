using System.ComponentModel.DataAnnotations;

namespace BlazorRedis.Core.PubSub;

/// <summary>Settings of the pub/sub lesson. Bound from <c>PubSub</c> and validated at start.</summary>
public sealed class PubSubOptions
{
    /// <summary>The journal stream keeps about this many of the latest messages (XADD MAXLEN ~).</summary>
    [Range(10, 100_000, ErrorMessage = "PubSub:JournalMaxLength must be between 10 and 100000.")]
    public int JournalMaxLength { get; set; } = 1000;

    /// <summary>
    /// The journal holds at most this many kilobytes of channel names and messages: the oldest entries go first when
    /// a publish would pass it (64 KB messages at the default keep the newest 64). Default 4096 (4 MB).
    /// </summary>
    [Range(64, 1024 * 1024, ErrorMessage = "PubSub:JournalMaxKilobytes must be between 64 and 1048576.")]
    public int JournalMaxKilobytes { get; set; } = 4096;

    /// <summary>The journal (and its consumer groups) vanish this long after the last message.</summary>
    [Range(1, 30 * 24, ErrorMessage = "PubSub:JournalTtlHours must be between 1 and 720.")]
    public int JournalTtlHours { get; set; } = 24;
}
