using BlazorRedis.Core.Metrics;
using Microsoft.AspNetCore.SignalR;

namespace BlazorRedis.App.Hubs;

/// <summary>
/// Forwards each snapshot of the one aggregator to every hub client: one push per second in total, however many
/// clients listen. A slow client never delays the aggregator (the send is not awaited on its thread).
/// </summary>
public sealed class MetricsHubBroadcaster(ICacheMetricsFeed feed, IHubContext<MetricsHub, IMetricsClient> hub, ILogger<MetricsHubBroadcaster> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        feed.SnapshotPublished += OnSnapshot;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        feed.SnapshotPublished -= OnSnapshot;
        return Task.CompletedTask;
    }

    private void OnSnapshot(MetricsSnapshot snapshot) => _ = SendAsync(snapshot);

    private async Task SendAsync(MetricsSnapshot snapshot)
    {
        try
        {
            await hub.Clients.All.ReceiveSnapshot(snapshot);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Could not push a metrics snapshot to the hub's clients");
        }
    }
}
