using System.Globalization;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.DataStructures;

/// <summary>Traced steps several demos share.</summary>
public static class DemoSteps
{
    /// <summary>
    /// EXPIRE a demo key after a write, so a learner's abandoned data disappears by itself. Commands such as
    /// LPUSH, HSET or ZADD have no expiry option, hence a second command (shown in the trace like any other).
    /// </summary>
    public static Task ExpireAsync(TraceRecorder recorder, IDatabase db, RedisKey key, TimeSpan ttl)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(db);
        var seconds = (long)ttl.TotalSeconds;
        return recorder.RunAsync(
            RedisCommandText.Format("EXPIRE", key, seconds),
            string.Create(CultureInfo.InvariantCulture, $"await db.KeyExpireAsync(key, TimeSpan.FromSeconds({seconds})); // abandoned demo data expires"),
            () => db.KeyExpireAsync(key, TimeSpan.FromSeconds(seconds)),
            RedisCommandText.Flag);
    }
}
