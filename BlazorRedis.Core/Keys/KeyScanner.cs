using System.Globalization;
using BlazorRedis.Core.Text;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.Keys;

/// <summary>
/// The one traced SCAN loop: walks the keyspace of each server with <c>SCAN cursor MATCH pattern COUNT n</c> until the
/// cursor is back at 0, recording every round trip, and hands each batch of keys under <c>prefix</c> to the caller.
/// Never KEYS, which walks every key in one blocking command.
/// </summary>
public static class KeyScanner
{
    /// <summary>Keys shown by name in a batch's UNLINK snippet; the rest are counted in a comment.</summary>
    private const int ShownKeys = 3;

    /// <summary>
    /// Scans <paramref name="servers"/> for <paramref name="match"/>; calls <paramref name="onBatch"/> with each
    /// non-empty batch of keys that start with <paramref name="prefix"/>. Returns the number of SCAN round trips,
    /// which is what a learner counts in the trace (an empty batch is still a round trip).
    /// </summary>
    public static async Task<int> ScanAsync(
        TraceRecorder recorder,
        IEnumerable<IServer> servers,
        string match,
        int count,
        string prefix,
        Func<RedisKey[], Task> onBatch,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentNullException.ThrowIfNull(onBatch);
        var batches = 0;
        foreach (var server in servers)
        {
            long cursor = 0;
            do
            {
                cancellationToken.ThrowIfCancellationRequested();
                var current = cursor;
                var reply = await recorder.RunAsync(
                    RedisCommandText.Format("SCAN", current, "MATCH", match, "COUNT", count),
                    string.Create(CultureInfo.InvariantCulture, $"await server.ExecuteAsync(\"SCAN\", {current}, \"MATCH\", {RedisCommandText.CSharpString(match)}, \"COUNT\", {count}); // [next cursor, keys]"),
                    () => server.ExecuteAsync("SCAN", current, "MATCH", match, "COUNT", count),
                    r => Wording.Count(((RedisResult[])r!)[1].Length, "key") + " in this batch").ConfigureAwait(false);
                batches++;
                var parts = (RedisResult[])reply!;
                cursor = long.Parse((string)parts[0]!, CultureInfo.InvariantCulture);
                var keys = ((RedisKey[])parts[1]!).Where(k => ((string?)k ?? "").StartsWith(prefix, StringComparison.Ordinal)).ToArray();
                if (keys.Length > 0)
                {
                    await onBatch(keys).ConfigureAwait(false);
                }
            }
            while (cursor != 0);
        }

        return batches;
    }

    /// <summary>
    /// The primaries of <paramref name="mux"/>: where a SCAN of the keyspace must go. Throws
    /// <see cref="RedisConnectionException"/> when none is connected or, on a Redis Cluster, when a primary that owns
    /// slots is not: a walk without it would miss its keys and report them as not there ("0 keys deleted").
    /// </summary>
    public static IReadOnlyList<IServer> Primaries(IConnectionMultiplexer mux)
    {
        ArgumentNullException.ThrowIfNull(mux);
        var primaries = mux.GetServers().Where(s => s.IsConnected && !s.IsReplica).ToList();
        if (primaries.Count == 0)
        {
            throw Unreachable("Redis is unreachable right now, so its keys could not be walked.");
        }

        if (primaries[0].ServerType == ServerType.Cluster && primaries[0].ClusterConfiguration is { } cluster)
        {
            var connected = primaries.Select(s => s.EndPoint.ToString()).ToHashSet(StringComparer.Ordinal);
            if (cluster.Nodes.Any(n => !n.IsReplica && n.Slots.Count > 0 && !connected.Contains(n.EndPoint?.ToString() ?? "")))
            {
                throw Unreachable("A primary of the Redis Cluster is unreachable right now, so its keys could not be walked.");
            }
        }

        return primaries;
    }

    /// <summary>
    /// The server that owns <paramref name="key"/>'s slot (the one server outside a cluster). Throws
    /// <see cref="RedisConnectionException"/> when it is not connected, where StackExchange.Redis throws an
    /// <see cref="InvalidOperationException"/> ("not possible to resolve a connection") or hands back a server that is away.
    /// </summary>
    public static IServer ServerOwning(IConnectionMultiplexer mux, RedisKey key)
    {
        ArgumentNullException.ThrowIfNull(mux);
        IServer server;
        try
        {
            server = mux.GetServer(key);
        }
        catch (InvalidOperationException)
        {
            throw Unreachable("Redis is unreachable right now: no connected server holds these keys.");
        }

        return server.IsConnected ? server : throw Unreachable("Redis is unreachable right now: the server that holds these keys is away.");
    }

    private static RedisConnectionException Unreachable(string message) =>
        new(ConnectionFailureType.UnableToConnect, CommandFlags.None, message, null, CommandStatus.WaitingToBeSent);

    /// <summary>
    /// UNLINKs one batch of keys (DEL that frees the memory in the background); returns how many existed. On a Redis Cluster
    /// one SCAN batch may hold keys of several hash slots, and a multi-key command must stay in one slot (CROSSSLOT), so the
    /// batch is sent as one UNLINK per slot; on a single server that is one UNLINK.
    /// </summary>
    public static async Task<long> UnlinkAsync(TraceRecorder recorder, IDatabase db, RedisKey[] keys, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(keys);
        long removed = 0;
        foreach (var slot in keys.GroupBy(k => db.Multiplexer.HashSlot(k)))
        {
            removed += await UnlinkOneSlotAsync(recorder, db, [.. slot], timeout).ConfigureAwait(false);
        }

        return removed;
    }

    private static Task<long> UnlinkOneSlotAsync(TraceRecorder recorder, IDatabase db, RedisKey[] keys, TimeSpan? timeout)
    {
        var shown = string.Join(", ", keys.Take(ShownKeys).Select(k => RedisCommandText.CSharpString(k)));
        var more = keys.Length > ShownKeys ? $" /* … {keys.Length - ShownKeys} more keys of this batch */" : "";
        return recorder.RunAsync(
            RedisCommandText.Format("UNLINK", keys.Cast<object?>()),
            $"await db.ExecuteAsync(\"UNLINK\", new object[] {{ {shown}{more} }}); // like DEL, but frees memory in the background",
            async () =>
            {
                var call = db.ExecuteAsync("UNLINK", keys.Cast<object>().ToArray());
                return (long)await (timeout is { } t ? call.WaitAsync(t) : call).ConfigureAwait(false);
            },
            RedisCommandText.IntegerReply);
    }
}
