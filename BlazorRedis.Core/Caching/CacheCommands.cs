using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching;

/// <summary>The traced invalidation commands shared by the product cache and its pending-invalidation retry.</summary>
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
}
