using System.Globalization;
using System.Net;
using BlazorRedis.Core.Text;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.Keys;

/// <summary>
/// The one traced SCAN loop: walks the keyspace of each server with <c>SCAN cursor MATCH pattern COUNT n</c> until the
/// cursor is back at 0, recording every round trip, and hands each batch of keys under <c>prefix</c> to the caller.
/// Never KEYS, which walks every key in one blocking command. On a big server the walk takes a call per
/// <c>n</c> keys or so, whoever owns them: the calls that follow one another with nothing in between are folded into
/// one trace row (the first call's command, "× N calls", every call's measured time added), so the commands that
/// matter (the UNLINKs, the story after a reset) are not buried under hundreds of SCAN rows.
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
        ArgumentNullException.ThrowIfNull(onBatch);
        var (batches, _) = await ScanCoreAsync(recorder, servers, match, count, prefix, int.MaxValue, async keys =>
        {
            await onBatch(keys).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return batches;
    }

    /// <summary>
    /// Like <see cref="ScanAsync"/>, but stops after <paramref name="maxSteps"/> SCAN round trips in all, or as soon as
    /// <paramref name="onBatch"/> returns false: for a listing that must stay quick on a Redis with millions of keys
    /// (with MATCH, each step still walks <paramref name="count"/> keys of the whole keyspace, however few match).
    /// Returns the round trips and whether the walk reached the end of every server's keyspace.
    /// </summary>
    public static Task<(int Batches, bool Complete)> ScanBoundedAsync(
        TraceRecorder recorder,
        IEnumerable<IServer> servers,
        string match,
        int count,
        string prefix,
        int maxSteps,
        Func<RedisKey[], bool> onBatch,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSteps);
        ArgumentNullException.ThrowIfNull(onBatch);
        return ScanCoreAsync(recorder, servers, match, count, prefix, maxSteps, keys => Task.FromResult(onBatch(keys)), cancellationToken);
    }

    private static async Task<(int Batches, bool Complete)> ScanCoreAsync(
        TraceRecorder recorder,
        IEnumerable<IServer> servers,
        string match,
        int count,
        string prefix,
        int maxSteps,
        Func<RedisKey[], Task<bool>> onBatch,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(servers);
        var batches = 0;
        foreach (var server in servers)
        {
            // Each call is measured on a recorder of its own; the calls since the last batch handed over are folded
            // into one row of the caller's trace before that batch's own commands (and at the end, or on a failure).
            var scans = recorder.Detached();
            long cursor = 0;
            long matched = 0;
            try
            {
                do
                {
                    if (batches >= maxSteps)
                    {
                        return (batches, false);
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    var current = cursor;
                    var reply = await scans.RunAsync(
                        RedisCommandText.Format("SCAN", current, "MATCH", match, "COUNT", count),
                        string.Create(CultureInfo.InvariantCulture, $"await server.ExecuteAsync(\"SCAN\", {current}, \"MATCH\", {RedisCommandText.CSharpString(match)}, \"COUNT\", {count}); // [next cursor, keys]"),
                        () => server.ExecuteAsync("SCAN", current, "MATCH", match, "COUNT", count),
                        r => Wording.Count(((RedisResult[])r!)[1].Length, "key") + " in this batch").ConfigureAwait(false);
                    batches++;
                    var parts = (RedisResult[])reply!;
                    cursor = long.Parse((string)parts[0]!, CultureInfo.InvariantCulture);
                    var found = (RedisKey[])parts[1]!;
                    matched += found.Length;
                    var keys = found.Where(k => ((string?)k ?? "").StartsWith(prefix, StringComparison.Ordinal)).ToArray();
                    if (keys.Length > 0)
                    {
                        Fold(recorder, scans.Take(), matched, cursor);
                        matched = 0;
                        if (!await onBatch(keys).ConfigureAwait(false))
                        {
                            return (batches, false);
                        }
                    }
                }
                while (cursor != 0);
            }
            finally
            {
                Fold(recorder, scans.Take(), matched, cursor);
            }
        }

        return (batches, true);
    }

    /// <summary>
    /// Records SCAN calls that followed one another as one row: the first call's command and C# (what was really sent
    /// first), "× N calls", their measured times added and every wire command kept. A single call, and a call that
    /// failed, keep their own rows.
    /// </summary>
    private static void Fold(TraceRecorder recorder, IReadOnlyList<TracedCommand> calls, long matched, long cursor)
    {
        var answered = calls.TakeWhile(c => !c.Failed).ToList();
        if (answered.Count > 1)
        {
            var first = answered[0];
            var next = cursor == 0 ? "the cursor is back at 0" : string.Create(CultureInfo.InvariantCulture, $"next cursor {cursor}");
            recorder.Record(new TracedCommand(
                first.Text,
                string.Create(CultureInfo.InvariantCulture, $"{first.CSharp}; the first of {answered.Count} calls, each sending the cursor the one before returned"),
                TimeSpan.FromTicks(answered.Sum(c => c.Elapsed.Ticks)),
                [.. answered.SelectMany(c => c.Wire)],
                $"{Wording.Count(matched, "key")} matched in {answered.Count} calls; {next}")
            {
                Calls = answered.Count,
            });
        }
        else
        {
            answered.ForEach(recorder.Record);
        }

        foreach (var rest in calls.Skip(answered.Count))
        {
            recorder.Record(rest);
        }
    }

    /// <summary>
    /// The primaries of <paramref name="mux"/>: where a SCAN of the keyspace must go, each once. Throws
    /// <see cref="RedisConnectionException"/> when none is connected or, on a Redis Cluster, when a primary that owns
    /// slots is not (the message names it): a walk without it would miss its keys and report them as not there
    /// ("0 keys deleted"). A caller that can show part of the keyspace uses <see cref="FindPrimaries"/> instead.
    /// </summary>
    public static IReadOnlyList<IServer> Primaries(IConnectionMultiplexer mux)
    {
        var found = FindPrimaries(mux);
        if (found.Reachable.Count == 0)
        {
            throw Unreachable("Redis is unreachable right now, so its keys could not be walked.");
        }

        if (found.Unreachable.Count > 0)
        {
            throw Unreachable($"{DescribeUnreachable(found.Unreachable)}, so its keys could not be walked.");
        }

        return found.Reachable;
    }

    /// <summary>
    /// The primaries of <paramref name="mux"/> the client reaches, each once, and (on a Redis Cluster) the slot owners
    /// of the cluster's map it does not reach. Never throws for a node that is away: the caller says which is.
    /// </summary>
    /// <remarks>
    /// On a cluster these are the client's own servers for the slot owners of the cluster's map, matched by endpoint
    /// equality, not by text: the endpoints the app was given (<c>localhost:7000</c>, a <see cref="DnsEndPoint"/>) and
    /// the ones the nodes announce (<c>127.0.0.1:7000</c>, an <see cref="IPEndPoint"/>) are both servers of the
    /// client, so listing every connected primary walked each node twice, and comparing their text could find a
    /// connected primary missing. A slot owner the client holds no server for at all is unreachable too.
    /// </remarks>
    public static PrimaryServers FindPrimaries(IConnectionMultiplexer mux)
    {
        ArgumentNullException.ThrowIfNull(mux);
        var servers = mux.GetServers();
        var primaries = servers.Where(s => s.IsConnected && !s.IsReplica).ToList();
        if (primaries.Count == 0 || primaries[0].ServerType != ServerType.Cluster || primaries[0].ClusterConfiguration is not { } cluster)
        {
            return new PrimaryServers(primaries, []);
        }

        var owners = new List<IServer>();
        var away = new List<EndPoint>();
        foreach (var node in cluster.Nodes.Where(n => !n.IsReplica && n.Slots.Count > 0 && n.EndPoint is not null))
        {
            if (Array.Find(servers, s => s.EndPoint.Equals(node.EndPoint)) is { IsConnected: true } server)
            {
                owners.Add(server);
            }
            else
            {
                away.Add(node.EndPoint!);
            }
        }

        return new PrimaryServers(owners, away);
    }

    /// <summary>"The Redis Cluster's primary 127.0.0.1:7001 is unreachable right now" (or several, by address).</summary>
    public static string DescribeUnreachable(IReadOnlyList<EndPoint> unreachable)
    {
        ArgumentNullException.ThrowIfNull(unreachable);
        var names = string.Join(", ", unreachable.Select(EndPointCollection.ToString));
        return unreachable.Count == 1
            ? $"The Redis Cluster's primary {names} is unreachable right now"
            : $"The Redis Cluster's primaries {names} are unreachable right now";
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
