namespace BlazorRedis.Core.Lists;

/// <summary>What a worker did: the job it took (null when the queue was empty) and the queue afterwards.</summary>
/// <param name="Worker">The worker's name.</param>
/// <param name="Job">The job popped from the right end, or null.</param>
/// <param name="Polls">How many RPOPs it sent to get it.</param>
/// <param name="Queue">The queue after the pop.</param>
public sealed record WorkResult(string Worker, string? Job, int Polls, ListState Queue);
