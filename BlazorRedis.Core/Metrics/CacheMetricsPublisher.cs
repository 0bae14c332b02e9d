using Microsoft.Extensions.Hosting;

namespace BlazorRedis.Core.Metrics;

/// <summary>Closes one metrics second every second, for the whole app (one timer, however many dashboards are open).</summary>
public sealed class CacheMetricsPublisher(CacheMetricsAggregator aggregator, TimeProvider time) : BackgroundService
{
    /// <summary>How often a snapshot is published.</summary>
    public static TimeSpan Interval { get; } = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                aggregator.Flush();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
