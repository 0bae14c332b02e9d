namespace BlazorRedis.Core.Tracing;

/// <summary>
/// A measured step of an operation that is not a Redis command — the database load of a cache miss, the database write
/// of write-through — so a diagram can draw the whole request path with real times, not only the Redis hops.
/// </summary>
/// <param name="Where">The part of the system it went to, e.g. <c>Database</c>.</param>
/// <param name="What">What it did, e.g. <c>read product 3</c>.</param>
/// <param name="Elapsed">How long it took, measured around the call.</param>
/// <param name="AfterCommands">How many of the operation's Redis commands had finished when it started (its place in the order).</param>
public sealed record TraceStep(string Where, string What, TimeSpan Elapsed, int AfterCommands);
