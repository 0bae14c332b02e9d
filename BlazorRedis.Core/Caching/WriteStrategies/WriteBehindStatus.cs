namespace BlazorRedis.Core.Caching.WriteStrategies;

/// <summary>The write-behind queue as the UI shows it.</summary>
/// <param name="StreamLength">Entries in the stream (XLEN). Applied entries are deleted, so these are the writes not yet applied.</param>
/// <param name="Pending">Delivered to a worker, not yet acknowledged (being applied or waiting for a replay).</param>
/// <param name="Undelivered">Not yet read by any worker.</param>
/// <param name="OldestWaiting">Age of the oldest write not yet applied (the lag in time); null when the queue is empty.</param>
/// <param name="AppliedWrites">Writes the database has applied so far.</param>
/// <param name="WorkerPaused">True while the worker is paused.</param>
public sealed record WriteBehindStatus(long StreamLength, long Pending, long Undelivered, TimeSpan? OldestWaiting, int AppliedWrites, bool WorkerPaused)
{
    /// <summary>Writes not yet in the database.</summary>
    public long QueueLength => Pending + Undelivered;

    /// <summary>The bound on <see cref="QueueLength"/>: a write beyond it is refused (<c>Caching:WriteBehindMaxQueue</c>).</summary>
    public int MaxQueue { get; init; }

    /// <summary>Who paused the worker (a learner's short id, "API"…); null while it runs.</summary>
    public string? PausedBy { get; init; }

    /// <summary>When a pause ends by itself; null while the worker runs.</summary>
    public DateTimeOffset? ResumesAt { get; init; }

    /// <summary>
    /// Writes this app accepted that Redis lost before they were applied (Redis restarted without persistence and
    /// the stream was gone), added up over every loss since the app started. Zero in a healthy setup.
    /// </summary>
    public long LostWrites { get; init; }

    /// <summary>
    /// Queued writes the database skipped because their product had already changed after they were accepted (a
    /// newer write-through, delete-and-invalidate or queued write won), so an older write never overwrites a newer one.
    /// </summary>
    public long SupersededWrites { get; init; }

    /// <summary>
    /// When the app last found the stream gone (at its next read of the queue after Redis lost it: not when Redis lost
    /// it), whether or not writes were lost with it; null if never. <see cref="LostWrites"/> is not the count of this
    /// one loss but of all of them.
    /// </summary>
    public DateTimeOffset? StreamFoundGoneAt { get; init; }
}
