using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Lists;

/// <summary>A list as LRANGE returned it: index 0 is the left end (where LPUSH adds), the last item the right end (where RPOP takes).</summary>
/// <param name="Items">The items read (at most <see cref="IListsDemo.MaxShown"/>).</param>
/// <param name="Length">LLEN: how many items the list holds in total.</param>
public sealed record ListState(IReadOnlyList<string> Items, long Length)
{
    /// <summary>An empty list.</summary>
    public static ListState Empty { get; } = new([], 0);
}

/// <summary>What a worker did: the job it took (null when the queue was empty) and the queue afterwards.</summary>
/// <param name="Worker">The worker's name.</param>
/// <param name="Job">The job popped from the right end, or null.</param>
/// <param name="Polls">How many RPOPs it sent to get it.</param>
/// <param name="Queue">The queue after the pop.</param>
public sealed record WorkResult(string Worker, string? Job, int Polls, ListState Queue);

/// <summary>The lists demo: a FIFO task queue (LPUSH + RPOP), a waiting worker, and a capped recent-activity list.</summary>
public interface IListsDemo : IDataStructureDemo
{
    /// <summary>The most items the picture reads with LRANGE.</summary>
    const int MaxShown = 50;

    /// <summary>The most jobs one push may add.</summary>
    const int MaxJobsPerPush = 20;

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
