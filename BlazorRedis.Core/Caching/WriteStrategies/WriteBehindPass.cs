namespace BlazorRedis.Core.Caching.WriteStrategies;

/// <summary>What one worker pass did.</summary>
/// <param name="Read">Entries taken from the stream.</param>
/// <param name="Applied">Entries that changed the database.</param>
/// <param name="Skipped">Entries already applied before (a replay) or for a product that no longer exists.</param>
/// <param name="Replayed">True when the pass read this consumer's pending entries (after a restart).</param>
public sealed record WriteBehindPass(int Read, int Applied, int Skipped, bool Replayed);
