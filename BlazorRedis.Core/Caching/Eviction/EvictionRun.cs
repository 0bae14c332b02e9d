using System.Diagnostics;
using System.Globalization;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching.Eviction;

/// <summary>
/// One eviction experiment on a sandbox: empty it, set the policy, write the workload's keys in rounds while the hot
/// keys are read, then SCAN for the survivors and read INFO. It knows nothing of the sandbox's process.
/// </summary>
internal sealed class EvictionRun(EvictionWorkload workload, IServer server, IConnectionMultiplexer mux, RedisTracer tracer, RedisKeyspace keyspace, int roundPauseMilliseconds)
{
    /// <summary>How many keys one SCAN step asks for.</summary>
    public const int ScanBatch = EvictionLab.ScanBatch;

    public async Task<Traced<EvictionRunResult>> RunAsync(CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var recorder = tracer.Start($"Eviction lab: {workload.Policy}");
        var db = mux.GetDatabase();
        var policy = workload.Policy;

        // A clean sandbox for every run: this is the lab's own server, so emptying it hurts nobody.
        await recorder.RunAsync("FLUSHDB", "await server.FlushDatabaseAsync(); // server = the lab's own sandbox, never the app's Redis", () => server.FlushDatabaseAsync()).ConfigureAwait(false);
        await SetPolicyAsync(recorder, policy, null).ConfigureAwait(false);
        await recorder.RunAsync("CONFIG RESETSTAT", () => server.ConfigResetStatisticsAsync()).ConfigureAwait(false);

        var value = new byte[workload.ValueBytes];
        Array.Fill(value, (byte)'x');
        var keys = Enumerable.Range(0, workload.Keys).Select(i => NameOf(workload, i)).ToArray();
        var rejected = new bool[workload.Keys];
        string? oomError = null;
        long hotReads = 0, hotMisses = 0;
        var perRound = (workload.Keys + workload.Rounds - 1) / workload.Rounds;

        for (var round = 0; round < workload.Rounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (round > 0 && roundPauseMilliseconds > 0)
            {
                // Redis's LRU clock has a resolution of one second: without a pause every key would look equally recent.
                await Task.Delay(roundPauseMilliseconds, cancellationToken).ConfigureAwait(false);
            }

            // Hot keys are read at the start of each round, so when this round's writes force evictions they are
            // the most recently (and most often) used keys; in round 0 they are read right after being written.
            if (round > 0)
            {
                (hotReads, hotMisses) = Add((hotReads, hotMisses), await ReadHotTracedAsync(recorder, db, workload, keys).ConfigureAwait(false));
            }

            var from = round * perRound;
            var to = Math.Min(workload.Keys, from + perRound);
            if (from < to)
            {
                var (ok, failed, error) = await recorder.RunAsync(
                    WriteText(workload, keys, from, to),
                    WriteCSharp(workload, from),
                    () => WriteRangeAsync(db, workload, keys, value, from, to, rejected),
                    r => r.Failed == 0 ? $"OK × {r.Ok}" : $"OK × {r.Ok}, (error) × {r.Failed}: {r.Error}").ConfigureAwait(false);
                oomError ??= error;
            }

            if (round == 0)
            {
                (hotReads, hotMisses) = Add((hotReads, hotMisses), await ReadHotTracedAsync(recorder, db, workload, keys).ConfigureAwait(false));
            }
        }

        // Redis makes room before it runs any command while memory is over maxmemory, a read such as SCAN or INFO too: a
        // walk under the run's policy evicted keys it had already listed as survivors (written 600, survived 206,
        // evicted 403). Under noeviction no command evicts, so the walk and INFO see one keyspace, and
        // written = survived + evicted_keys + expired_keys. The sandbox stays so until the next run sets its policy:
        // memory is still over the limit, so putting the policy back would evict again on the next command.
        if (policy != EvictionPolicies.NoEviction)
        {
            await SetPolicyAsync(recorder, EvictionPolicies.NoEviction, "so reading the survivors evicts nothing more").ConfigureAwait(false);
        }

        var survivors = await ScanAsync(recorder, server).ConfigureAwait(false);
        var memory = await recorder.RunAsync("INFO memory", "await server.InfoAsync(\"memory\");", () => InfoAsync(server, "memory"),
            i => $"used_memory:{i.GetValueOrDefault("used_memory")} maxmemory:{i.GetValueOrDefault("maxmemory")}").ConfigureAwait(false);
        var stats = await recorder.RunAsync("INFO stats", "await server.InfoAsync(\"stats\");", () => InfoAsync(server, "stats"),
            i => $"evicted_keys:{i.GetValueOrDefault("evicted_keys")} expired_keys:{i.GetValueOrDefault("expired_keys")}").ConfigureAwait(false);

        var found = survivors.ToHashSet(StringComparer.Ordinal);
        var outcomes = keys.Select((k, i) => new EvictionKey(
            k,
            i < workload.HotKeys,
            workload.HasTtl(i),
            rejected[i] ? KeyOutcome.Rejected : found.Contains(k) ? KeyOutcome.Survived : KeyOutcome.Evicted)).ToList();
        var result = new EvictionRunResult(
            policy,
            Long(memory, "maxmemory"),
            Long(memory, "used_memory"),
            Long(stats, "evicted_keys"),
            Long(stats, "expired_keys"),
            rejected.Count(r => !r),
            rejected.Count(r => r),
            oomError,
            hotReads,
            hotMisses,
            outcomes,
            survivors,
            total.Elapsed);
        return new Traced<EvictionRunResult>(result, recorder.Finish());
    }

    private Task SetPolicyAsync(TraceRecorder recorder, string policy, string? why) => recorder.RunAsync(
        RedisCommandText.Format("CONFIG", "SET", "maxmemory-policy", policy),
        $"await server.ConfigSetAsync(\"maxmemory-policy\", \"{policy}\");" + (why is null ? "" : " // " + why),
        () => server.ConfigSetAsync("maxmemory-policy", policy));

    private static (long Reads, long Misses) Add((long Reads, long Misses) a, (long Reads, long Misses) b) => (a.Reads + b.Reads, a.Misses + b.Misses);

    private async Task<(long Reads, long Misses)> ReadHotTracedAsync(TraceRecorder recorder, IDatabase db, EvictionWorkload workload, string[] keys)
    {
        if (workload.HotKeys == 0 || workload.ReadsPerRound == 0)
        {
            return (0, 0);
        }

        var hot = keys.Take(workload.HotKeys).ToArray();
        var misses = await recorder.RunAsync(
            $"GET {FullName(hot[0])} … {hot[^1]} (each hot key {workload.ReadsPerRound}×, 3 at a time)",
            "await db.StringGetAsync(key); // a hot key being read by the app",
            () => ReadHotAsync(db, hot, workload.ReadsPerRound),
            m => m == 0 ? "all found" : $"(nil) × {m}").ConfigureAwait(false);
        return ((long)hot.Length * workload.ReadsPerRound, misses);
    }

    private static string NameOf(EvictionWorkload workload, int index) => index < workload.HotKeys
        ? $"hot:{index.ToString("D3", CultureInfo.InvariantCulture)}"
        : $"cold:{index.ToString("D4", CultureInfo.InvariantCulture)}";

    private string FullName(string name) => (string)keyspace.Key("eviction", name)!;

    private string WriteText(EvictionWorkload workload, string[] keys, int from, int to)
    {
        var withTtl = Enumerable.Range(from, to - from).Count(workload.HasTtl);
        return $"SET/SETEX {FullName(keys[from])} … {keys[to - 1]} <{workload.ValueBytes} bytes> ({to - from} writes, pipelined: {withTtl} SETEX with a TTL, {to - from - withTtl} SET)";
    }

    // The round's first write as it is sent: with the TTL that key gets, or none when it is one of the keys without.
    private static string WriteCSharp(EvictionWorkload workload, int first)
    {
        var call = workload.HasTtl(first)
            ? string.Create(CultureInfo.InvariantCulture, $"await db.StringSetAsync(key, new string('x', {workload.ValueBytes}), TimeSpan.FromSeconds({EvictionWorkload.TtlOf(first).TotalSeconds})); // key {first}'s TTL")
            : string.Create(CultureInfo.InvariantCulture, $"await db.StringSetAsync(key, new string('x', {workload.ValueBytes})); // key {first} has no TTL");
        return call + "; one write per key, pipelined: SETEX with its own TTL for a key with one, SET for a key without. TTLs run from 60 to 600 s (EvictionWorkload.TtlOf), so volatile-ttl has an order to follow";
    }

    private async Task<(int Ok, int Failed, string? Error)> WriteRangeAsync(IDatabase db, EvictionWorkload workload, string[] keys, byte[] value, int from, int to, bool[] rejected)
    {
        var writes = new Task<bool>[to - from];
        for (var i = from; i < to; i++)
        {
            RedisKey key = FullName(keys[i]);
            writes[i - from] = workload.HasTtl(i)
                ? db.StringSetAsync(key, value, EvictionWorkload.TtlOf(i))
                : db.StringSetAsync(key, value);
        }

        int ok = 0, failed = 0;
        string? error = null;
        for (var i = 0; i < writes.Length; i++)
        {
            try
            {
                await writes[i].ConfigureAwait(false);
                ok++;
            }
            catch (RedisServerException ex)
            {
                // Under noeviction (or a volatile policy with nothing volatile left) Redis refuses the write with OOM.
                failed++;
                rejected[from + i] = true;
                error ??= ex.Message;
            }
        }

        return (ok, failed, error);
    }

    private async Task<long> ReadHotAsync(IDatabase db, string[] hot, int times)
    {
        // Reads go in small batches: a pipeline of hundreds of 4 KB replies would sit in the client's output buffer,
        // which counts as used memory, and Redis would evict keys just to hold the replies.
        const int batch = 3;
        long misses = 0;
        for (var t = 0; t < times; t++)
        {
            foreach (var chunk in hot.Chunk(batch))
            {
                var values = await Task.WhenAll(chunk.Select(k => db.StringGetAsync(FullName(k)))).ConfigureAwait(false);
                misses += values.LongCount(v => v.IsNull);
            }
        }

        return misses;
    }

    private static async Task<Dictionary<string, string>> InfoAsync(IServer server, string section)
    {
        var groups = await server.InfoAsync(section).ConfigureAwait(false);
        return groups.SelectMany(g => g).GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
    }

    private static long Long(Dictionary<string, string> info, string field) =>
        info.TryGetValue(field, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private async Task<List<string>> ScanAsync(TraceRecorder recorder, IServer server)
    {
        var prefix = (string)keyspace.Key("eviction")! + ":";
        var pattern = RedisKeyspace.PrefixPattern(prefix);
        var names = new List<string>();
        await KeyScanner.ScanAsync(recorder, [server], pattern, ScanBatch, prefix, keys =>
        {
            names.AddRange(keys.Select(k => ((string)k!)[prefix.Length..]));
            return Task.CompletedTask;
        }).ConfigureAwait(false);

        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
