namespace BlazorRedis.Core.Caching.Catalog;

/// <summary>A queued write with its id (the stream entry id), as a batch hands it to the database.</summary>
/// <param name="WriteId">The id the database remembers, so a replay is recognised.</param>
/// <param name="Write">The write itself.</param>
public sealed record QueuedWriteEntry(string WriteId, QueuedProductWrite Write);
