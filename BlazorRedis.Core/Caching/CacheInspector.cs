using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Text;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching;

/// <summary>PTTL of one key, and SCAN of the cache's keys (skipping the write-behind queue and the stampede races' keys).</summary>
public sealed class CacheInspector(IConnectionMultiplexer mux, RedisGate redis, RedisTracer tracer, CacheKeys keys) : ICacheInspector
{
    /// <summary>Keys one SCAN step asks for.</summary>
    public const int ScanBatch = 250;

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

    public async Task<Traced<IReadOnlyList<CachedKey>>> ListCachedKeysAsync(int max = 200, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var recorder = tracer.Start("List cached keys");
        var found = new List<RedisKey>();
        var skip = new[] { keys.Root + "writebehind:", keys.Root + "stampede:" };
        redis.EnsureConnected();
        await KeyScanner.ScanAsync(recorder, KeyScanner.Primaries(mux), RedisKeyspace.PrefixPattern(keys.Root), ScanBatch, keys.Root, batch =>
        {
            found.AddRange(batch.Where(k => !skip.Any(s => ((string)k!).StartsWith(s, StringComparison.Ordinal))));
            return Task.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        var shown = found.Select(k => (string)k!).Order(StringComparer.Ordinal).Take(max).Select(k => (RedisKey)k).ToArray();
        if (shown.Length == 0)
        {
            return new([], recorder.Finish());
        }

        var ttls = await redis.RunAsync(
            recorder,
            $"PTTL <key> ×{shown.Length} (pipelined)",
            $"var ttls = await Task.WhenAll({RedisCommandText.CSharpArray("RedisKey", shown.Select(k => (string?)k))}.Select(k => db.KeyTimeToLiveAsync(k))); // pipelined",
            db => Task.WhenAll(shown.Select(k => db.KeyTimeToLiveAsync(k))),
            t => Wording.Count(t.Length, "reply", "replies")).ConfigureAwait(false);
        IReadOnlyList<CachedKey> result = shown.Select((k, i) => new CachedKey(k!, ttls[i])).ToList();
        return new(result, recorder.Finish());
    }
}
