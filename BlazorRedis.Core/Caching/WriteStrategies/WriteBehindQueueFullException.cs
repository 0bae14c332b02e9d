namespace BlazorRedis.Core.Caching.WriteStrategies;

/// <summary>
/// A write-behind write refused because the queue holds <c>Caching:WriteBehindMaxQueue</c> writes already. Nothing
/// was changed (neither the cache nor the queue); the learner reads the message, an API client gets 503 + Retry-After.
/// </summary>
public sealed class WriteBehindQueueFullException : LearnerInputException
{
    public WriteBehindQueueFullException()
    {
    }

    public WriteBehindQueueFullException(string message)
        : base(message)
    {
    }

    public WriteBehindQueueFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>A refusal that says how full the queue is and when to try again.</summary>
    public WriteBehindQueueFullException(int maxQueue, TimeSpan retryAfter, bool paused)
        : base($"The write-behind queue is full: {maxQueue:N0} writes are waiting for the database. This write was not accepted and nothing changed; " +
               (paused ? "the worker is paused, resume it or " : "") + $"try again in {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} s.")
    {
        MaxQueue = maxQueue;
        RetryAfter = retryAfter;
    }

    /// <summary>The configured bound.</summary>
    public int MaxQueue { get; }

    /// <summary>A fair guess at when the queue has room again.</summary>
    public TimeSpan RetryAfter { get; }
}
