using System.Diagnostics;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Caching.Stampede;

/// <summary>A Redis lock (SET NX PX with a token): one reader loads, the others poll the cache with back-off and jitter.</summary>
internal sealed class LockProtection : IStampedeProtection
{
    /// <summary>Deletes the lock only if it still holds this reader's token (another reader may own it after a timeout).</summary>
    internal const string ReleaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

    public StampedeProtection Kind => StampedeProtection.Lock;

    public async Task<Product?> ReadAsync(StampedeRun run, TraceRecorder trace, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid().ToString("N");
        var backoff = TimeSpan.FromMilliseconds(10);
        var waited = false;
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var cached = await run.GetAsync(trace).ConfigureAwait(false);
            if (cached is not null)
            {
                return cached;
            }

            var ms = (long)run.LockTtl.TotalMilliseconds;
            var acquired = await run.RunAsync(
                trace,
                RedisCommandText.Format("SET", run.LockKey, token, "NX", "PX", ms),
                $"var token = Guid.NewGuid().ToString(\"N\"); // this reader's proof of ownership\nvar ok = await db.ExecuteAsync(\"SET\", {StampedeRun.Cs(run.LockKey)}, token, \"NX\", \"PX\", {ms}); // OK or (nil)",
                async db => !(await db.ExecuteAsync("SET", run.LockKey, token, "NX", "PX", ms).ConfigureAwait(false)).IsNull,
                ok => ok ? "OK" : "(nil)").ConfigureAwait(false);
            if (acquired)
            {
                try
                {
                    // Double-check: the previous holder may have filled the key between our GET and our SET NX.
                    return await run.ReadThroughAsync(trace, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    await run.RunAsync(
                        trace,
                        RedisCommandText.Format("EVAL", ReleaseScript, 1, run.LockKey, token),
                        $"await db.ScriptEvaluateAsync({RedisCommandText.CSharpLiteral(ReleaseScript)}, [{StampedeRun.Cs(run.LockKey)}], [token]); // delete the lock only if it is still ours",
                        db => db.ScriptEvaluateAsync(ReleaseScript, [run.LockKey], [token]),
                        r => r.ToString()).ConfigureAwait(false);
                }
            }

            if (!waited)
            {
                waited = true;
                run.MarkWaited();
                run.CountWait();
            }

            if (deadline.Elapsed > run.LockTtl * 3 && deadline.Elapsed > StampedeRun.RaceCommandTimeout)
            {
                throw new TimeoutException("Waited too long for another reader's load.");
            }

            // Someone else is loading: wait, with growing back-off and jitter so the waiters do not poll in lockstep.
            await Task.Delay(backoff + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 10)), cancellationToken).ConfigureAwait(false);
            backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 1.5, 200));
        }
    }
}
