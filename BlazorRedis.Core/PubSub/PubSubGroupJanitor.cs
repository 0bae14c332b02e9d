using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace BlazorRedis.Core.PubSub;

/// <summary>
/// Every <see cref="Interval"/>, removes the consumer groups on the shared journal whose learner's keys are gone
/// (<see cref="IPubSubService.RemoveAbandonedGroupsAsync"/>): every learner who opens Pub/Sub joins a group of their
/// own, and the journal outlives them all while anyone publishes.
/// </summary>
public sealed partial class PubSubGroupJanitor(IPubSubService bus, TimeProvider time, ILogger<PubSubGroupJanitor> logger) : BackgroundService
{
    /// <summary>How often abandoned groups are looked for.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var removed = await bus.RemoveAbandonedGroupsAsync(stoppingToken).ConfigureAwait(false);
                    if (removed > 0)
                    {
                        LogRemoved(removed);
                    }
                }
                catch (RedisException ex)
                {
                    // Redis is away: the groups wait for the next round.
                    LogSkipped(ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} abandoned learner consumer group(s) from the pub/sub journal.")]
    private partial void LogRemoved(int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pub/sub group sweep skipped: {Reason}")]
    private partial void LogSkipped(string reason);
}
