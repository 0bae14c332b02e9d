namespace BlazorRedis.Core.Caching.WriteStrategies;

/// <summary>A batch the write-behind worker applied: which queued writes, and the measured database and acknowledgement times.</summary>
/// <param name="EntryIds">The stream entries of the batch.</param>
/// <param name="Applied">Writes the database applied (a write seen before is applied once).</param>
/// <param name="DatabaseTime">The one database round trip that applied the batch.</param>
/// <param name="AcknowledgeTime">The script that acknowledged and deleted the entries (XACK + XDEL).</param>
/// <param name="At">When the batch was acknowledged (the app's clock).</param>
public sealed record WriteBehindBatchApplied(IReadOnlyList<string> EntryIds, int Applied, TimeSpan DatabaseTime, TimeSpan AcknowledgeTime, DateTimeOffset At);
