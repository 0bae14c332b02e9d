using System.Diagnostics;
using System.Globalization;
using System.Net;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.ClusterLab;

/// <summary>Where a key lives: its hash slot, the hash tag that chose it (if any), the master that serves it and its replicas.</summary>
public sealed record KeyLocation(string Key, int Slot, string? HashTag, string Master, IReadOnlyList<string> Replicas);

/// <summary>A multi-key write without and with a shared hash tag.</summary>
public sealed record CrossSlotResult(KeyLocation First, KeyLocation Second, string UntaggedReply, bool UntaggedRefused, KeyLocation TaggedFirst, KeyLocation TaggedSecond, string TaggedReply);

/// <summary>
/// A read sent to a node that does not serve the key's slot, and what the client does with the redirect. When no other
/// primary is connected (a cluster of one primary) nothing is sent with NoRedirect: <see cref="AskedNode"/> is null and
/// <see cref="RedirectReply"/> says why.
/// </summary>
public sealed record MovedResult(KeyLocation Location, string? AskedNode, string RedirectReply, string ClientReply, string SentTo)
{
    /// <summary>
    /// True when the key's own master is unreachable (stopped, its replica not yet promoted): another master still
    /// answers MOVED, but the client's read is not sent, and <see cref="ClientReply"/> says why.
    /// </summary>
    public bool OwnerUnreachable { get; init; }
}

/// <summary>One read during a failover: when (since the master stopped), whether it worked, and which node the client sent it to.</summary>
public sealed record FailoverRead(TimeSpan At, bool Ok, string Detail, string? Node);

/// <summary>A master stopped under reads: how long reads failed, and which node serves the slot after.</summary>
public sealed record FailoverResult(KeyLocation Before, string? NewMaster, TimeSpan? Unavailable, IReadOnlyList<FailoverRead> Reads);

/// <summary>
/// The cluster lesson's experiments, on the lab's own sandbox cluster (<see cref="ClusterSandbox"/>): a key's slot and
/// node, CROSSSLOT without a hash tag and success with one, MOVED and what the client did, and a master failover under
/// reads. Every command is traced as the other labs are.
/// </summary>
public sealed class ClusterLab(ClusterSandbox sandbox) : IDisposable
{
    /// <summary>The longest key the lab takes.</summary>
    public const int MaxKeyLength = 200;

    private readonly SemaphoreSlim _failover = new(1, 1);

    /// <summary>The sandbox (started on first use).</summary>
    public ClusterSandbox Sandbox => sandbox;

    /// <summary>The hash tag Redis hashes for <paramref name="key"/>: the text between the first '{' and the next '}', if not empty.</summary>
    public static string? HashTag(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var open = key.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
        {
            return null;
        }

        var close = key.IndexOf('}', open + 1);
        return close > open + 1 ? key[(open + 1)..close] : null;
    }

    /// <summary>Checks a key typed by the learner.</summary>
    /// <exception cref="LearnerInputException">Empty, too long, or with control characters.</exception>
    public static string ValidateKey(string? key, string name = "key")
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new LearnerInputException("Type a key name.", name);
        }

        if (key.Length > MaxKeyLength)
        {
            throw new LearnerInputException($"A key here is at most {MaxKeyLength} characters.", name);
        }

        if (key.Any(char.IsControl))
        {
            throw new LearnerInputException("A key here cannot hold control characters.", name);
        }

        return key;
    }

    /// <summary>CLUSTER KEYSLOT, and the node that serves that slot (from the cluster's own map).</summary>
    public async Task<Traced<KeyLocation>> LocateAsync(string key, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        var (mux, tracer) = await sandbox.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        var recorder = tracer.Start($"Where does {Shorten(key)} live?");
        var location = await LocateAsync(mux, recorder, key).ConfigureAwait(false);
        return new(location, recorder.Finish());
    }

    /// <summary>MSET of two keys sent to the first key's master: refused with CROSSSLOT when their slots differ; then the same keys behind one hash tag, accepted.</summary>
    public async Task<Traced<CrossSlotResult>> CrossSlotAsync(string first, string second, CancellationToken cancellationToken = default)
    {
        ValidateKey(first, nameof(first));
        ValidateKey(second, nameof(second));
        if (first == second)
        {
            throw new LearnerInputException("Type two different keys.", nameof(second));
        }

        var (mux, tracer) = await sandbox.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        var recorder = tracer.Start("MSET across slots, then with a hash tag");
        var a = await LocateAsync(mux, recorder, first).ConfigureAwait(false);
        var b = await LocateAsync(mux, recorder, second).ConfigureAwait(false);
        var server = mux.GetServer(a.Master);
        string untagged;
        var refused = false;
        try
        {
            var reply = await recorder.RunAsync(
                RedisCommandText.Format("MSET", first, "1", second, "2"),
                $"await server.ExecuteAsync(\"MSET\", new object[] {{ {RedisCommandText.CSharpString(first)}, \"1\", {RedisCommandText.CSharpString(second)}, \"2\" }}, CommandFlags.NoRedirect);",
                () => server.ExecuteAsync("MSET", [first, "1", second, "2"], CommandFlags.NoRedirect),
                r => r.ToString()).ConfigureAwait(false);
            untagged = reply.ToString();
        }
        catch (RedisServerException ex)
        {
            untagged = "(error) " + ex.Message;
            refused = ex.Message.StartsWith("CROSSSLOT", StringComparison.Ordinal) || ex.Message.StartsWith("MOVED", StringComparison.Ordinal);
        }

        // One tag for both: everything between the braces is hashed, so both keys land in one slot.
        var tag = HashTag(first) ?? "user:42";
        var taggedFirst = HashTag(first) is null ? $"{{{tag}}}:{first}" : first;
        var taggedSecond = HashTag(second) == tag ? second : $"{{{tag}}}:{StripTag(second)}";
        var ta = await LocateAsync(mux, recorder, taggedFirst).ConfigureAwait(false);
        var tb = await LocateAsync(mux, recorder, taggedSecond).ConfigureAwait(false);
        var db = mux.GetDatabase();
        var tagged = await recorder.RunAsync(
            RedisCommandText.Format("MSET", taggedFirst, "1", taggedSecond, "2"),
            $"await db.StringSetAsync([new({RedisCommandText.CSharpString(taggedFirst)}, \"1\"), new({RedisCommandText.CSharpString(taggedSecond)}, \"2\")]);",
            () => db.StringSetAsync([new(taggedFirst, "1"), new(taggedSecond, "2")]),
            ok => ok ? "OK" : "(nil)").ConfigureAwait(false);
        return new(new CrossSlotResult(a, b, untagged, refused, ta, tb, tagged ? "OK" : "(nil)"), recorder.Finish());
    }

    /// <summary>GET sent on purpose to a master that does not serve the key (no redirect followed): MOVED; then as a client sends it, to the right node.</summary>
    public async Task<Traced<MovedResult>> MovedAsync(string key, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        var (mux, tracer) = await sandbox.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        return await MovedAsync(mux, tracer, key).ConfigureAwait(false);
    }

    /// <summary><see cref="MovedAsync(string, CancellationToken)"/> on any cluster client (a test names the nodes as it likes).</summary>
    internal static async Task<Traced<MovedResult>> MovedAsync(ConnectionMultiplexer mux, RedisTracer tracer, string key)
    {
        var recorder = tracer.Start($"MOVED for {Shorten(key)}");
        var (location, master) = await LocateNodeAsync(mux, recorder, key).ConfigureAwait(false);
        // The client's server of each slot owner, once, compared by endpoint and not by text: reached by localhost, the
        // client holds each node twice (localhost:port as given, 127.0.0.1:port as the node announces itself), and a
        // name that differs from the map's may be the key's own master.
        // Only the reachable ones: a stopped master (a failover under way) leaves the others to ask.
        var primaries = KeyScanner.FindPrimaries(mux);
        var ownerAway = master is not null && primaries.Unreachable.Any(e => e.Equals(master));
        var wrong = primaries.Reachable.FirstOrDefault(s => master is null || !s.EndPoint.Equals(master));
        string redirect;
        if (wrong is null)
        {
            redirect = ownerAway
                ? $"No other primary is reachable, and {location.Master}, which serves slot {location.Slot}, is unreachable right now: no node can answer."
                : $"No other primary is connected: {location.Master} serves every slot, so no node would answer MOVED.";
        }
        else
        {
            try
            {
                var reply = await recorder.RunAsync(
                    RedisCommandText.Format("GET", key),
                    $"await server.ExecuteAsync(\"GET\", new object[] {{ {RedisCommandText.CSharpString(key)} }}, CommandFlags.NoRedirect);",
                    () => wrong.ExecuteAsync("GET", [key], CommandFlags.NoRedirect),
                    r => r.ToString()).ConfigureAwait(false);
                redirect = reply.ToString();
            }
            catch (RedisServerException ex)
            {
                redirect = "(error) " + AsRedisSaidIt(ex.Message);
            }
        }

        var asked = wrong is null ? null : Name(wrong.EndPoint);
        if (ownerAway)
        {
            // The client would send the GET to the slot's owner, which is away: it would wait out its timeout for
            // nothing. Said as a state of the cluster instead, until the owner's replica is promoted.
            var reason = $"nothing: {location.Master}, the node that serves slot {location.Slot}, is unreachable right now (stopped; until its replica is promoted, no node serves the key)";
            return new(new MovedResult(location, asked, redirect, reason, location.Master) { OwnerUnreachable = true }, recorder.Finish());
        }

        var db = mux.GetDatabase();
        var value = await recorder.RunAsync(
            RedisCommandText.Format("GET", key),
            $"await db.StringGetAsync({RedisCommandText.CSharpString(key)});",
            () => db.StringGetAsync(key),
            RedisCommandText.Reply).ConfigureAwait(false);
        var sentTo = await db.IdentifyEndpointAsync(key).ConfigureAwait(false);
        return new(new MovedResult(location, asked, redirect, value.IsNull ? "(nil)" : $"\"{value}\"", sentTo is null ? "?" : Name(sentTo)), recorder.Finish());
    }

    /// <summary>
    /// Writes the key, stops the master that serves it (a crash), and reads it every <paramref name="every"/> until the
    /// promoted replica answers three times in a row (or 20 s pass); then starts the old master again, which rejoins as a
    /// replica. One failover at a time.
    /// </summary>
    public async Task<Traced<FailoverResult>> FailoverAsync(string key, TimeSpan every, Action<FailoverRead>? progress = null, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        if (!await _failover.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            throw new LearnerInputException("A failover is already running on the sandbox cluster; wait for it to finish.");
        }

        try
        {
            var (mux, tracer) = await sandbox.EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
            var recorder = tracer.Start($"Fail over the master of {Shorten(key)}");
            var db = mux.GetDatabase();
            await recorder.RunAsync(RedisCommandText.Format("SET", key, "survives"), () => db.StringSetAsync(key, "survives"), RedisCommandText.Flag).ConfigureAwait(false);
            var before = await LocateAsync(mux, recorder, key).ConfigureAwait(false);
            // WAIT, on the key's master, for its replica to have the write, so the failover loses nothing the lab wrote.
            var master = mux.GetServer(before.Master);
            await recorder.RunAsync("WAIT 1 1000", "await server.ExecuteAsync(\"WAIT\", 1, 1000);", () => master.ExecuteAsync("WAIT", 1, 1000), r => r.ToString()).ConfigureAwait(false);
            var port = PortOf(before.Master);
            var reads = new List<FailoverRead>();
            var clock = Stopwatch.StartNew();
            sandbox.Crash(port);
            TimeSpan? firstOk = null;
            var inARow = 0;
            string? newMaster = null;
            while (clock.Elapsed < TimeSpan.FromSeconds(20) && inARow < 3)
            {
                FailoverRead read;
                try
                {
                    var value = await db.StringGetAsync(key).ConfigureAwait(false);
                    var served = await db.IdentifyEndpointAsync(key).ConfigureAwait(false);
                    // Decided on structured answers, not on text: the node that answered is another one than the
                    // stopped master (by port) and says it is a master (ROLE, parsed by the client). A read the client
                    // sent to the replica before its promotion (a read may fall back to a replica) is not the new master.
                    var role = served is null || PortOf(served) == port ? null : await mux.GetServer(served).RoleAsync().ConfigureAwait(false);
                    var promoted = role is Role.Master;
                    var node = served is null ? null : Name(served);
                    read = new FailoverRead(clock.Elapsed, promoted, promoted ? $"\"{value}\"" : $"\"{value}\" ({(role is Role.Replica ? "from the replica, not yet promoted" : "from the old map")})", node);
                    if (promoted)
                    {
                        firstOk ??= clock.Elapsed;
                        newMaster = node;
                        inARow++;
                    }
                    else
                    {
                        inARow = 0;
                    }
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    inARow = 0;
                    read = new FailoverRead(clock.Elapsed, false, "(error) " + Brief(ex.Message), null);
                    // What the client does: reload the cluster map, to find who serves the slot now.
                    await mux.ConfigureAsync().ConfigureAwait(false);
                }

                reads.Add(read);
                progress?.Invoke(read);
                await Task.Delay(every, cancellationToken).ConfigureAwait(false);
            }

            await sandbox.RestartAsync(port, cancellationToken).ConfigureAwait(false);
            return new(new FailoverResult(before, newMaster, firstOk, reads), recorder.Finish());
        }
        finally
        {
            _failover.Release();
        }
    }

    /// <summary>Releases the failover gate.</summary>
    public void Dispose() => _failover.Dispose();

    private static async Task<KeyLocation> LocateAsync(ConnectionMultiplexer mux, TraceRecorder recorder, string key) =>
        (await LocateNodeAsync(mux, recorder, key).ConfigureAwait(false)).Location;

    // The key's location, and the endpoint of its master in the cluster's map (null when no node serves the slot).
    private static async Task<(KeyLocation Location, EndPoint? Master)> LocateNodeAsync(ConnectionMultiplexer mux, TraceRecorder recorder, string key)
    {
        var db = mux.GetDatabase();
        var slot = await recorder.RunAsync(
            RedisCommandText.Format("CLUSTER", "KEYSLOT", key),
            $"await db.ExecuteAsync(\"CLUSTER\", \"KEYSLOT\", {RedisCommandText.CSharpString(key)});",
            () => db.ExecuteAsync("CLUSTER", "KEYSLOT", key),
            r => $"(integer) {r}").ConfigureAwait(false);
        var server = mux.GetServers().First(s => s.IsConnected);
        var map = await recorder.RunAsync(
            "CLUSTER NODES",
            "await server.ClusterNodesAsync();",
            () => server.ClusterNodesAsync(),
            c => $"{c?.Nodes.Count ?? 0} nodes").ConfigureAwait(false);
        var number = (int)slot;
        var master = map?.GetBySlot(number);
        var location = new KeyLocation(
            key,
            number,
            HashTag(key),
            master?.EndPoint is { } ep ? Name(ep) : "?",
            master is null ? [] : [.. master.Children.Where(c => c.EndPoint is not null).Select(c => Name(c.EndPoint!))]);
        return (location, master?.EndPoint);
    }

    // StackExchange.Redis rewords the server's "MOVED <slot> <host:port>" as "Key has MOVED to Endpoint <host:port> and
    // hashslot <slot>"; show the reply as Redis sent it.
    private static string AsRedisSaidIt(string message) =>
        System.Text.RegularExpressions.Regex.Match(message, @"MOVED to Endpoint (\S+) and hashslot (\d+)") is { Success: true } m
            ? $"MOVED {m.Groups[2].Value} {m.Groups[1].Value}"
            : message;

    // The client's timeout messages carry a page of diagnostics after " - ": the first clause says what happened.
    private static string Brief(string message)
    {
        var first = message.Split('\n')[0].Trim();
        var cut = first.IndexOf(" - ", StringComparison.Ordinal);
        return cut > 0 ? first[..cut] : first;
    }

    private static string StripTag(string key) => HashTag(key) is { } tag ? key.Replace("{" + tag + "}", "", StringComparison.Ordinal).TrimStart(':') : key;

    private static int PortOf(string name) => int.Parse(name[(name.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);

    private static int PortOf(EndPoint endPoint) => endPoint switch
    {
        IPEndPoint ip => ip.Port,
        DnsEndPoint dns => dns.Port,
        _ => -1,
    };

    private static string Name(EndPoint endPoint) => EndPointCollection.ToString(endPoint);

    private static string Shorten(string key) => key.Length <= 40 ? key : key[..40] + "…";
}
