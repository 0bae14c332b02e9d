using System.Collections.Concurrent;

namespace BlazorRedis.App.Hubs;

/// <summary>
/// The metrics hub's connections on this instance. With the Redis backplane <c>Clients.All</c> means every instance's
/// clients; each instance's per-second snapshot goes to its own clients only (the fleet is in the stats API).
/// </summary>
public sealed class MetricsHubConnections
{
    private readonly ConcurrentDictionary<string, byte> _ids = new(StringComparer.Ordinal);

    /// <summary>The ids of the connections this instance holds now.</summary>
    public IReadOnlyList<string> Ids => [.. _ids.Keys];

    internal void Add(string connectionId) => _ids.TryAdd(connectionId, 0);

    internal void Remove(string connectionId) => _ids.TryRemove(connectionId, out _);
}
