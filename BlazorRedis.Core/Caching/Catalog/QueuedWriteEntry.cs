namespace BlazorRedis.Core.Caching.Catalog;

/// <summary>A queued write with its ids, as a batch hands it to the database.</summary>
/// <param name="WriteId">
/// The write's own id (the entry's <c>wid</c>), which the database remembers so a replay is recognised: the same write
/// delivered again, even under another stream entry id, is applied once; another write is never taken for it.
/// </param>
/// <param name="Write">The write itself.</param>
/// <param name="EntryId">
/// The stream entry id: the order in which Redis accepted the writes, so an older write of a product never overwrites a
/// newer one. Null when <paramref name="WriteId"/> is the entry id itself (an entry queued without a <c>wid</c>).
/// </param>
public sealed record QueuedWriteEntry(string WriteId, QueuedProductWrite Write, string? EntryId = null)
{
    /// <summary>Where the write stands in the queue (<see cref="EntryId"/>, else <see cref="WriteId"/>).</summary>
    internal string Position => EntryId ?? WriteId;
}
