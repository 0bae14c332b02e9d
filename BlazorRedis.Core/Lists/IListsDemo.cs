using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Lists;

/// <summary>The lists demo: a FIFO task queue (LPUSH + RPOP), a waiting worker, and a capped recent-activity list.</summary>
public interface IListsDemo : IDataStructureDemo
{
    /// <summary>The most items the picture reads with LRANGE.</summary>
    const int MaxShown = 50;

    /// <summary>The most jobs one push may add.</summary>
    const int MaxJobsPerPush = 20;

    /// <summary>The most jobs the demo queue holds: a push past it is refused until a worker takes some.</summary>
    const int MaxQueueLength = 100;

    /// <summary>The longest a waiting worker may wait.</summary>
    static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    /// <summary>The producer: LPUSH jobs onto the left end of the queue.</summary>
    Task<Traced<ListState>> EnqueueAsync(LearnerId learner, IReadOnlyList<string> jobs);

    /// <summary>A worker: RPOP the oldest job from the right end (nil when empty).</summary>
    Task<Traced<WorkResult>> WorkOnceAsync(LearnerId learner, string worker);

    /// <summary>
    /// A waiting worker: polls RPOP with a growing back-off (50 ms doubling to 800 ms) until a job arrives or
    /// <paramref name="timeout"/> passes. Used instead of BRPOP, which would stall the shared connection.
    /// </summary>
    Task<Traced<WorkResult>> WaitForJobAsync(LearnerId learner, string worker, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>LRANGE and LLEN of the queue.</summary>
    Task<Traced<ListState>> ReadQueueAsync(LearnerId learner);

    /// <summary>LPUSH an entry onto the activity list and LTRIM it to the newest <paramref name="keep"/>.</summary>
    Task<Traced<ListState>> RecordActivityAsync(LearnerId learner, string entry, int keep);

    /// <summary>LRANGE and LLEN of the activity list.</summary>
    Task<Traced<ListState>> ReadActivityAsync(LearnerId learner);
}
