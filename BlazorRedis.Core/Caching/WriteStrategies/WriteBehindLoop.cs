using BlazorRedis.Core.Connection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching.WriteStrategies;

/// <summary>
/// The write-behind worker's loop for one queue: reads a batch, hands it to one of
/// <c>Caching:WriteBehindParallelism</c> slots (each batch is one database round trip), and reads the next. On start,
/// after a failure, or after Redis lost the stream, it first replays this consumer's pending entries (id 0 onwards).
/// The app's <see cref="WriteBehindWorker"/> runs one for the shared catalog; each learner's caching lab runs its own.
/// </summary>
/// <param name="queue">The queue it drains.</param>
/// <param name="settings">Batch size, parallelism, poll and claim intervals.</param>
/// <param name="consumer">Its consumer name in the group (unique per instance start).</param>
/// <param name="logger">Where it says what it replayed, claimed or could not do.</param>
/// <param name="stopWhenIdleFor">
/// A lab's worker returns after this long with nothing read, nothing in flight and no write of this app waiting (the
/// lab starts it again on the next use), so idle labs do not poll Redis; null (the app's worker) runs until stopped.
/// </param>
public sealed class WriteBehindLoop(WriteBehindService queue, CachingOptions settings, string consumer, ILogger logger, TimeSpan? stopWhenIdleFor = null)
{
    private volatile bool _replayNeeded = true;

    // An outage (Redis unreachable) and a refusal (Redis up but refusing the worker's reads) are each an episode: logged
    // when it starts and when it ends, with how many retries it took and how long, not on every retry (about once a
    // second for as long as it lasts).
    private readonly Episode _unreachable = new();
    private readonly Episode _refused = new();

    // Batches whose acknowledgement failed since the last one that worked (updated by the batches' slots in parallel):
    // a batch that cannot be acknowledged is replayed at every poll, so this is logged once per episode too.
    private int _unacknowledged;
    private long _unacknowledgedSince;

    /// <summary>Runs until <paramref name="stoppingToken"/> is cancelled; batches in flight finish (or stay pending) before it returns.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var idle = TimeSpan.FromMilliseconds(settings.WriteBehindPollMs);
        using var slots = new SemaphoreSlim(settings.WriteBehindParallelism, settings.WriteBehindParallelism);
        var inFlight = new List<Task>();
        RedisValue? replayFrom = null;
        var generation = queue.Generation;
        var sinceClaim = System.Diagnostics.Stopwatch.StartNew();
        var claimEvery = TimeSpan.FromMilliseconds(settings.WriteBehindClaimIdleMs / 2.0);
        var sinceWork = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (queue.Paused)
                    {
                        await Task.Delay(idle, stoppingToken).ConfigureAwait(false);
                        continue;
                    }

                    if (_replayNeeded || queue.Generation != generation)
                    {
                        _replayNeeded = false;
                        generation = queue.Generation;
                        replayFrom = "0";
                    }

                    // The next batch is read before a slot is free, so reading overlaps applying (and a batch read
                    // but not yet applied stays pending in the group: a stop now leaves it to be replayed).
                    var replayed = replayFrom is not null;
                    StreamEntry[] entries;
                    if (replayFrom is { } from)
                    {
                        // Own pending entries page by page (the ones after the last we replayed), then idle ones of dead consumers.
                        entries = await queue.ReadAsync(consumer, from).ConfigureAwait(false);
                        replayFrom = entries.Length == 0 ? (RedisValue?)null : entries[^1].Id;
                        if (entries.Length == 0)
                        {
                            entries = await queue.ClaimIdleAsync(consumer).ConfigureAwait(false);
                        }
                    }
                    else
                    {
                        entries = await queue.ReadAsync(consumer, ">").ConfigureAwait(false);
                        if (entries.Length == 0 && sinceClaim.Elapsed > claimEvery)
                        {
                            // Nothing new: a good moment to take over what a dead consumer left behind.
                            sinceClaim.Restart();
                            entries = await queue.ClaimIdleAsync(consumer).ConfigureAwait(false);
                        }
                    }

                    if (_unreachable.End() is { } outage)
                    {
                        logger.LogInformation(
                            "Write-behind worker reaches Redis again after {Retries} failed attempts ({Seconds:0.0} s); replaying its pending entries",
                            outage.Retries,
                            outage.Duration.TotalSeconds);
                    }

                    if (_refused.End() is { } refusal)
                    {
                        logger.LogInformation(
                            "Redis accepts the write-behind worker's commands again after {Retries} refused attempts ({Seconds:0.0} s)",
                            refusal.Retries,
                            refusal.Duration.TotalSeconds);
                    }

                    var handedOver = false;
                    if (entries.Length > 0)
                    {
                        await slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                        inFlight.RemoveAll(t => t.IsCompleted);
                        inFlight.Add(ApplyAsync(entries, replayed, slots, stoppingToken));
                        handedOver = true;
                    }

                    if (handedOver)
                    {
                        sinceWork.Restart();
                    }
                    else if (replayFrom is null && stopWhenIdleFor is { } quiet && sinceWork.Elapsed > quiet
                        && queue.UnappliedCount == 0 && !queue.Paused && inFlight.TrueForAll(t => t.IsCompleted))
                    {
                        break;
                    }

                    if (!handedOver && replayFrom is null)
                    {
                        await Task.Delay(idle, stoppingToken).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex) when (RedisFailures.IsUnavailable(ex))
                {
                    if (_unreachable.Fail())
                    {
                        logger.LogWarning("Write-behind worker cannot reach Redis ({Message}); retrying every second, quietly, until it is back", ex.Message);
                    }

                    _replayNeeded = true;
                    await DelayQuietlyAsync(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
                }
                catch (RedisServerException ex)
                {
                    // Redis is up but refused: say what Redis said, once, and try again (NOGROUP is handled by the queue itself).
                    if (_refused.Fail())
                    {
                        logger.LogWarning("Redis refused a write-behind command ({Message}); retrying every second, quietly, until it accepts", ex.Message);
                    }

                    _replayNeeded = true;
                    await DelayQuietlyAsync(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            // Batches still running finish (or are cancelled and stay pending) before the host goes on stopping.
            await Task.WhenAll(inFlight).ConfigureAwait(false);
            await LeaveQuietlyAsync().ConfigureAwait(false);
        }
    }

    private async Task ApplyAsync(StreamEntry[] entries, bool replayed, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            var pass = await queue.ApplyAsync(entries, stoppingToken).ConfigureAwait(false);
            if (Interlocked.Exchange(ref _unacknowledged, 0) is var failures and > 0)
            {
                logger.LogInformation(
                    "Write-behind batches are acknowledged again after {Retries} failed attempts ({Seconds:0.0} s)",
                    failures,
                    System.Diagnostics.Stopwatch.GetElapsedTime(Interlocked.Read(ref _unacknowledgedSince)).TotalSeconds);
            }

            if (replayed)
            {
                logger.LogInformation("Write-behind replayed {Count} pending entries ({Applied} applied, {Skipped} already applied)", pass.Read, pass.Applied, pass.Skipped);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping mid-batch: the entries stay pending and are replayed on the next start.
        }
        catch (Exception ex) when (RedisFailures.IsUnavailable(ex) || ex is RedisServerException)
        {
            // Applied or not, the entries are still pending: replay them (the database skips the ones it has). Said
            // once: the replay fails the same way at every poll until Redis acknowledges again.
            if (Interlocked.Increment(ref _unacknowledged) == 1)
            {
                Interlocked.Exchange(ref _unacknowledgedSince, System.Diagnostics.Stopwatch.GetTimestamp());
                logger.LogWarning("A write-behind batch of {Count} could not be acknowledged ({Message}); it will be replayed, quietly, until an acknowledgement works", entries.Length, ex.Message);
            }

            _replayNeeded = true;
        }
#pragma warning disable CA1031 // a failed batch must not take the worker down; it is replayed
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "A write-behind batch of {Count} failed; it will be replayed", entries.Length);
            _replayNeeded = true;
        }
        finally
        {
            slots.Release();
        }
    }

    // Consumer names are unique per instance start, so a clean stop removes its own consumer when it holds nothing
    // (its pending entries, if any, stay for another worker to claim).
    private async Task LeaveQuietlyAsync()
    {
        try
        {
            if (!await queue.LeaveAsync(consumer).ConfigureAwait(false))
            {
                logger.LogInformation("Write-behind consumer {Consumer} stops with entries pending; another worker claims them", consumer);
            }
        }
        catch (Exception ex) when (RedisFailures.IsUnavailable(ex) || ex is RedisServerException or ObjectDisposedException)
        {
            logger.LogInformation("Write-behind consumer {Consumer} could not leave its group ({Message}); it stays, empty or not", consumer, ex.Message);
        }
    }

    /// <summary>One kind of failure of the loop's reads, from its first retry until a read works again.</summary>
    private sealed class Episode
    {
        private int _retries;
        private long _since;

        /// <summary>Counts a failure; true for the first of an episode (the one to log).</summary>
        public bool Fail()
        {
            if (_retries++ > 0)
            {
                return false;
            }

            _since = System.Diagnostics.Stopwatch.GetTimestamp();
            return true;
        }

        /// <summary>After a read that worked: the episode that ended (its failures and length), or null when there was none.</summary>
        public (int Retries, TimeSpan Duration)? End()
        {
            if (_retries == 0)
            {
                return null;
            }

            var ended = (_retries, System.Diagnostics.Stopwatch.GetElapsedTime(_since));
            _retries = 0;
            return ended;
        }
    }

    private static async Task DelayQuietlyAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
