using BlazorRedis.Core.Metrics;
using Microsoft.AspNetCore.SignalR;

namespace BlazorRedis.App.Hubs;

/// <summary>
/// Forwards each snapshot of the one aggregator to every hub client: one push per second in total, however many
/// clients listen. A slow client never delays the aggregator (the send is not awaited on its thread). With the Redis
/// backplane the snapshot goes to this instance's own clients only: each instance's numbers are its own, and
/// <c>Clients.All</c> would hand every client every instance's seconds, mixed.
/// </summary>
public sealed class MetricsHubBroadcaster(
    ICacheMetricsFeed feed,
    IHubContext<MetricsHub, IMetricsClient> hub,
    MetricsHubConnections connections,
    HubLifetimeManager<MetricsHub> lifetime,
    ILogger<MetricsHubBroadcaster> logger) : IHostedService
{
    private readonly bool _backplane = lifetime is not DefaultHubLifetimeManager<MetricsHub>;

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
            if (!_backplane)
            {
                await hub.Clients.All.ReceiveSnapshot(snapshot);
            }
            else if (connections.Ids is { Count: > 0 } local)
            {
                await hub.Clients.Clients(local).ReceiveSnapshot(snapshot);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Could not push a metrics snapshot to the hub's clients");
        }
    }
}
