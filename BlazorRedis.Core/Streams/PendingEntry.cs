namespace BlazorRedis.Core.Streams;

/// <summary>A message delivered to a consumer and not yet acknowledged.</summary>
/// <param name="Id">The entry id.</param>
/// <param name="Consumer">Who holds it.</param>
/// <param name="IdleMilliseconds">Time since it was last delivered.</param>
/// <param name="Deliveries">How many times it was delivered.</param>
public sealed record PendingEntry(string Id, string Consumer, long IdleMilliseconds, int Deliveries);
