using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.RateLimiting;

/// <summary>
/// The read-then-write counter many tutorials show: GET the count, and if it is under the limit, INCR and
/// EXPIRE in a second round trip. Kept ONLY to demonstrate its flaw: between one request's GET and its INCR,
/// other requests read the same old count, so under concurrency it admits more than the limit. The Lua
/// scripts do the read and the write in one atomic step and cannot be interleaved.
/// </summary>
public sealed class NaiveFixedWindowLimiter(IConnectionMultiplexer mux)
{
    /// <summary>Step 1: read the current count (0 when the key does not exist).</summary>
    public async Task<long> ReadCountAsync(RedisKey key, TraceRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        var db = mux.GetDatabase();
        var value = await recorder.RunAsync(
            RedisCommandText.Format("GET", key),
            "var count = (long?)await db.StringGetAsync(key) ?? 0;",
            () => db.StringGetAsync(key),
            RedisCommandText.Reply).ConfigureAwait(false);
        return value.IsNull ? 0 : (long)value;
    }

    /// <summary>Step 2: count the request and (re)set the window, INCR and EXPIRE pipelined in one batch.</summary>
    public async Task<long> CountRequestAsync(RedisKey key, TimeSpan window, TraceRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        var db = mux.GetDatabase();
        var seconds = (long)Math.Ceiling(window.TotalSeconds);
        return await recorder.RunAsync(
            $"{RedisCommandText.Format("INCR", key)} + {RedisCommandText.Format("EXPIRE", key, seconds)}",
            $"var batch = db.CreateBatch(); var incr = batch.StringIncrementAsync(key); _ = batch.KeyExpireAsync(key, TimeSpan.FromSeconds({seconds})); batch.Execute();",
            async () =>
            {
                var batch = db.CreateBatch();
                var incr = batch.StringIncrementAsync(key);
                var expire = batch.KeyExpireAsync(key, TimeSpan.FromSeconds(seconds));
                batch.Execute();
                await Task.WhenAll(incr, expire).ConfigureAwait(false);
                return await incr.ConfigureAwait(false);
            },
            RedisCommandText.IntegerReply).ConfigureAwait(false);
    }

    /// <summary>Both steps: admitted when the count read in step 1 was under <paramref name="limit"/>.</summary>
    public async Task<bool> TryAcquireAsync(RedisKey key, int limit, TimeSpan window, TraceRecorder recorder)
    {
        var count = await ReadCountAsync(key, recorder).ConfigureAwait(false);
        if (count >= limit)
        {
            return false;
        }

        // Another request may have counted itself since our GET: we cannot know, so we may go over the limit.
        await CountRequestAsync(key, window, recorder).ConfigureAwait(false);
        return true;
    }
}
