using System.Text.Json;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching;

/// <summary>The traced cache commands the reader, the writers and the pending-invalidation retry share.</summary>
internal static class CacheCommands
{
    /// <summary>
    /// Deletes all <paramref name="keys"/> in one command; returns how many existed. StackExchange.Redis sends
    /// KeyDeleteAsync as UNLINK (DEL that frees the memory in the background), so the trace says UNLINK.
    /// </summary>
    public static Task<long> UnlinkAsync(RedisGate redis, TraceRecorder recorder, RedisKey[] keys) =>
        redis.RunAsync(
            recorder,
            RedisCommandText.Format("UNLINK", keys.Cast<object?>()),
            $"await db.KeyDeleteAsync(new RedisKey[] {{ {string.Join(", ", keys.Select(k => RedisCommandText.CSharpString(k)))} }}); // sent as UNLINK",
            db => db.KeyDeleteAsync(keys),
            RedisCommandText.IntegerReply);

    /// <summary>SREM <paramref name="key"/> from the tag set <paramref name="tag"/>.</summary>
    public static Task<bool> RemoveFromTagAsync(RedisGate redis, TraceRecorder recorder, RedisKey tag, RedisKey key) =>
        redis.RunAsync(
            recorder,
            RedisCommandText.Format("SREM", tag, key),
            $"await db.SetRemoveAsync({RedisCommandText.CSharpString(tag)}, {RedisCommandText.CSharpString(key)});",
            db => db.SetRemoveAsync(tag, (string)key!),
            RedisCommandText.Flag);

    /// <summary>SETEX the product, and add its key to its category's tag set (which lives as long as its newest member).</summary>
    public static async Task FillAsync(RedisGate redis, TraceRecorder recorder, CacheKeys keys, Product product, TimeSpan ttl)
    {
        var key = keys.Product(product.Id);
        var tag = keys.Tag(product.Category);
        var json = JsonSerializer.Serialize(product, CachingJsonContext.Default.Product);
        var seconds = (long)ttl.TotalSeconds;
        await redis.RunAsync(
            recorder,
            RedisCommandText.Format("SETEX", key, seconds, json),
            $"await db.StringSetAsync({RedisCommandText.CSharpString(key)}, {RedisCommandText.CSharpString(json)}, TimeSpan.FromSeconds({seconds})); // the product as JSON",
            db => db.StringSetAsync(key, json, ttl),
            ok => ok ? "OK" : "(nil)").ConfigureAwait(false);
        await redis.RunAsync(
            recorder,
            RedisCommandText.Format("SADD", tag, key),
            $"await db.SetAddAsync({RedisCommandText.CSharpString(tag)}, {RedisCommandText.CSharpString(key)});",
            db => db.SetAddAsync(tag, (string)key!),
            RedisCommandText.Flag).ConfigureAwait(false);
        await redis.RunAsync(
            recorder,
            RedisCommandText.Format("EXPIRE", tag, seconds),
            $"await db.KeyExpireAsync({RedisCommandText.CSharpString(tag)}, TimeSpan.FromSeconds({seconds}));",
            db => db.KeyExpireAsync(tag, ttl),
            RedisCommandText.Flag).ConfigureAwait(false);
    }
}
