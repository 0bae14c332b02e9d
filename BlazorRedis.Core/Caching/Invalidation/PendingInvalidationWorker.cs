using Microsoft.Extensions.Hosting;

namespace BlazorRedis.Core.Caching.Invalidation;

/// <summary>Retries <see cref="PendingInvalidations"/> once a second while any are waiting.</summary>
public sealed class PendingInvalidationWorker(PendingInvalidations pending, RedisGate redis) : BackgroundService
{
    /// <summary>How often the worker looks.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (pending.Count > 0 && redis.IsConnected)
                {
                    await pending.RetryAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
