using BlazorRedis.Core.Metrics;

namespace BlazorRedis.App.Hubs;

/// <summary>What the server calls on every connected metrics client.</summary>
public interface IMetricsClient
{
    /// <summary>One second of cache metrics, pushed to everyone once a second.</summary>
    Task ReceiveSnapshot(MetricsSnapshot snapshot);
}
