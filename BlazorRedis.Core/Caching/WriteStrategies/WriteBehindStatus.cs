namespace BlazorRedis.Core.Caching.WriteStrategies;

/// <summary>The write-behind queue as the UI shows it.</summary>
/// <param name="StreamLength">Entries in the stream (XLEN), applied or not.</param>
/// <param name="Pending">Delivered to a worker, not yet acknowledged (being applied or waiting for a replay).</param>
/// <param name="Undelivered">Not yet read by any worker (the group's lag).</param>
/// <param name="OldestWaiting">Age of the oldest write not yet applied (the lag in time); null when the queue is empty.</param>
/// <param name="AppliedWrites">Writes the database has applied so far.</param>
/// <param name="WorkerPaused">True while the learner has paused the worker.</param>
public sealed record WriteBehindStatus(long StreamLength, long Pending, long Undelivered, TimeSpan? OldestWaiting, int AppliedWrites, bool WorkerPaused)
{
    /// <summary>Writes not yet in the database.</summary>
    public long QueueLength => Pending + Undelivered;
}
