using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.Keys;

/// <summary>
/// Deletes a learner's keys without touching anybody else's: SCAN with a MATCH on the learner's own
/// prefix, in batches, then UNLINK. Never KEYS (it blocks the server while it walks every key), never FLUSHDB.
/// </summary>
public sealed class KeyspaceJanitor(IConnectionMultiplexer mux, RedisTracer tracer)
{
    /// <summary>How many keys one SCAN step asks for.</summary>
    public const int ScanBatch = 500;

    /// <summary>
    /// Deletes every key whose name starts with <paramref name="prefix"/>, except those <paramref name="keep"/> is true
    /// for; returns the count and the trace.
    /// </summary>
    public async Task<Traced<long>> DeleteByPrefixAsync(string prefix, string operation = "Reset", Func<string, bool>? keep = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var pattern = RedisKeyspace.PrefixPattern(prefix);
        var recorder = tracer.Start(operation);
        long deleted = 0;
        var db = mux.GetDatabase();
        await KeyScanner.ScanAsync(recorder, KeyScanner.Primaries(mux), pattern, ScanBatch, prefix, async keys =>
        {
            var doomed = keep is null ? keys : keys.Where(k => !keep((string)k!)).ToArray();
            if (doomed.Length > 0)
            {
                deleted += await KeyScanner.UnlinkAsync(recorder, db, doomed).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);

        return new Traced<long>(deleted, recorder.Finish());
    }

    /// <summary>Deletes one learner's keys of one demo area (or all of the learner's keys when <paramref name="area"/> is null).</summary>
    public Task<Traced<long>> ResetAsync(LearnerKeyspace learner, string? area = null)
    {
        ArgumentNullException.ThrowIfNull(learner);
        return DeleteByPrefixAsync(area is null ? learner.Prefix : learner.AreaPrefix(area), area is null ? "Reset all my keys" : $"Reset {area}");
    }
}
