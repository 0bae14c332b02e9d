using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Text;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching;

/// <summary>
/// PTTL of one key, and SCAN of the cache's keys (skipping the write-behind queue and the stampede races' keys), cut
/// at <see cref="MaxScanSteps"/> steps. The caller takes the keyspace-scan budget (<see cref="Budgets.BudgetKind.PatternScan"/>) around a listing.
/// </summary>
public sealed class CacheInspector(IConnectionMultiplexer mux, RedisGate redis, RedisTracer tracer, CacheKeys keys, int maxScanSteps = CacheInspector.MaxScanSteps) : ICacheInspector
{
    /// <summary>Keys one SCAN step asks for.</summary>
    public const int ScanBatch = 250;

    /// <summary>
    /// SCAN steps one listing may take (with <see cref="ScanBatch"/>, about 50,000 keys of the keyspace looked at):
    /// past it the list is cut, so a refresh on a shared Redis with millions of keys stays quick.
    /// </summary>
    public const int MaxScanSteps = 200;

    public async Task<Traced<TimeSpan?>> GetTimeToLiveAsync(int id)
    {
        var recorder = tracer.Start($"Time to live of product {id}");
        var key = keys.Product(id);
        var ttl = await redis.RunAsync(
            recorder,
            RedisCommandText.Format("PTTL", key),
            $"TimeSpan? ttl = await db.KeyTimeToLiveAsync({RedisCommandText.CSharpString(key)});",
            db => db.KeyTimeToLiveAsync(key),
            t => t is null ? "(integer) -2" : RedisCommandText.IntegerReply((long)t.Value.TotalMilliseconds)).ConfigureAwait(false);
        return new(ttl, recorder.Finish());
    }

    public async Task<Traced<CachedKeyList>> ListCachedKeysAsync(int max = 200, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxScanSteps);
        var recorder = tracer.Start("List cached keys");
        var found = new List<RedisKey>();
        var skip = new[] { keys.Root + "writebehind:", keys.Root + "stampede:" };
        redis.EnsureConnected();

        // A listing only looks, so a Redis Cluster primary that is away does not stop it: the list shows what the
        // primaries that answer hold, and names the ones that did not (it is not complete). Deleting paths still
        // refuse to walk without every primary (KeyScanner.Primaries).
        var primaries = KeyScanner.FindPrimaries(mux);
        var servers = primaries.Reachable.Count == 0 ? KeyScanner.Primaries(mux) : primaries.Reachable;
        string[] unreachable = [.. primaries.Unreachable.Select(EndPointCollection.ToString)];
        var unreachableMessage = unreachable.Length == 0
            ? null
            : $"Node unreachable: {KeyScanner.DescribeUnreachable(primaries.Unreachable)}, so this list is incomplete: it shows only the keys of the primaries that answered.";

        // Bounded twice: by SCAN steps (a big shared keyspace) and by keys (stop once there are more than the list shows).
        var (batches, walked) = await KeyScanner.ScanBoundedAsync(recorder, servers, RedisKeyspace.PrefixPattern(keys.Root), ScanBatch, keys.Root, maxScanSteps, batch =>
        {
            found.AddRange(batch.Where(k => !skip.Any(s => ((string)k!).StartsWith(s, StringComparison.Ordinal))));
            return found.Count <= max;
        }, cancellationToken).ConfigureAwait(false);
        var complete = walked && found.Count <= max && unreachable.Length == 0;
        var shown = found.Select(k => (string)k!).Order(StringComparer.Ordinal).Take(max).Select(k => (RedisKey)k).ToArray();
        if (shown.Length == 0)
        {
            return new(new CachedKeyList([], complete, batches) { Unreachable = unreachable, UnreachableMessage = unreachableMessage }, recorder.Finish());
        }

        var ttls = await redis.RunAsync(
            recorder,
            $"PTTL <key> ×{shown.Length} (pipelined)",
            $"var ttls = await Task.WhenAll({RedisCommandText.CSharpArray("RedisKey", shown.Select(k => (string?)k))}.Select(k => db.KeyTimeToLiveAsync(k))); // pipelined",
            db => Task.WhenAll(shown.Select(k => db.KeyTimeToLiveAsync(k))),
            t => Wording.Count(t.Length, "reply", "replies")).ConfigureAwait(false);
        IReadOnlyList<CachedKey> result = shown.Select((k, i) => new CachedKey(k!, ttls[i])).ToList();
        return new(new CachedKeyList(result, complete, batches) { Unreachable = unreachable, UnreachableMessage = unreachableMessage }, recorder.Finish());
    }
}
