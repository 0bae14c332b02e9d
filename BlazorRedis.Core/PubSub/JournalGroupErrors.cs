using StackExchange.Redis;

namespace BlazorRedis.Core.PubSub;

/// <summary>
/// Recognises Redis's answers that the journal or a consumer group is not there: the journal expired (and its groups
/// with it), or the sweep destroyed a group whose learner's keys had expired. These are states a learner reaches by
/// waiting, not faults: a caller treats them as already left, or joins again, and says so in plain words.
/// </summary>
public static class JournalGroupErrors
{
    /// <summary>
    /// True for "no such key" (XINFO, XGROUP DESTROY on old servers), "requires the key to exist" (XGROUP on a missing
    /// stream) and NOGROUP (XREADGROUP, XPENDING, XCLAIM without the group or the stream).
    /// </summary>
    public static bool IsGone(Exception ex) =>
        ex is RedisServerException { Message: var message }
        && (message.StartsWith("NOGROUP", StringComparison.Ordinal)
            || message.Contains("no such key", StringComparison.OrdinalIgnoreCase)
            || message.Contains("requires the key to exist", StringComparison.OrdinalIgnoreCase));
}
