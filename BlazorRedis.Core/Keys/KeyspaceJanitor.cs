using System.Globalization;
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

    /// <summary>Deletes every key whose name starts with <paramref name="prefix"/>; returns the count and the trace.</summary>
    public async Task<Traced<long>> DeleteByPrefixAsync(string prefix, string operation = "Reset")
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var pattern = RedisKeyspace.PrefixPattern(prefix);
        var recorder = tracer.Start(operation);
        long deleted = 0;
        foreach (var server in mux.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            long cursor = 0;
            do
            {
                var current = cursor;
                var reply = await recorder.RunAsync(
                    RedisCommandText.Format("SCAN", current, "MATCH", pattern, "COUNT", ScanBatch),
                    $"await server.ExecuteAsync(\"SCAN\", {current}, \"MATCH\", {RedisCommandText.CSharpString(pattern)}, \"COUNT\", {ScanBatch});",
                    () => server.ExecuteAsync("SCAN", current, "MATCH", pattern, "COUNT", ScanBatch),
                    r => ((RedisResult[])r!)[1].Length.ToString(CultureInfo.InvariantCulture) + " keys in this batch").ConfigureAwait(false);
                var parts = (RedisResult[])reply!;
                cursor = long.Parse((string)parts[0]!, CultureInfo.InvariantCulture);
                var keys = ((RedisKey[])parts[1]!).Where(k => ((string?)k ?? "").StartsWith(prefix, StringComparison.Ordinal)).ToArray();
                if (keys.Length > 0)
                {
                    var db = mux.GetDatabase();
                    deleted += await recorder.RunAsync(
                        RedisCommandText.Format("UNLINK", keys.Cast<object?>()),
                        "await db.ExecuteAsync(\"UNLINK\", keys); // like DEL, but frees memory in the background",
                        async () => (long)await db.ExecuteAsync("UNLINK", keys.Cast<object>().ToArray()).ConfigureAwait(false),
                        RedisCommandText.IntegerReply).ConfigureAwait(false);
                }
            }
            while (cursor != 0);
        }

        return new Traced<long>(deleted, recorder.Finish());
    }

    /// <summary>Deletes one learner's keys of one demo area (or all of the learner's keys when <paramref name="area"/> is null).</summary>
    public Task<Traced<long>> ResetAsync(LearnerKeyspace learner, string? area = null)
    {
        ArgumentNullException.ThrowIfNull(learner);
        return DeleteByPrefixAsync(area is null ? learner.Prefix : learner.AreaPrefix(area), area is null ? "Reset all my keys" : $"Reset {area}");
    }
}
