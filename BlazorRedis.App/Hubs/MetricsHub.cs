using BlazorRedis.Core.Metrics;
using Microsoft.AspNetCore.SignalR;

namespace BlazorRedis.App.Hubs;

/// <summary>
/// <c>/hubs/metrics</c>: every connected client receives each per-second snapshot (<c>ReceiveSnapshot</c>); a client that
/// just connected asks for <see cref="GetRecent"/> to draw the last minute at once.
/// </summary>
public sealed class MetricsHub(ICacheMetricsFeed feed, MetricsHubConnections connections) : Hub<IMetricsClient>
{
    /// <summary>The hub's path.</summary>
    public const string Path = "/hubs/metrics";

    /// <summary>The sliding window of recent snapshots, oldest first.</summary>
    public IReadOnlyList<MetricsSnapshot> GetRecent() => feed.Recent;

    /// <summary>The cumulative totals right now.</summary>
    public CacheTotals GetTotals() => feed.Totals;

    public override Task OnConnectedAsync()
    {
        connections.Add(Context.ConnectionId);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
