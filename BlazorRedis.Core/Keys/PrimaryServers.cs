using System.Net;
using StackExchange.Redis;

namespace BlazorRedis.Core.Keys;

/// <summary>
/// The primaries of a connection as <see cref="KeyScanner.FindPrimaries"/> found them: the ones the client reaches,
/// each once, and the slot owners of a Redis Cluster's map it does not reach (stopped, or not yet replaced by their
/// replica). <see cref="Reachable"/> is empty when no primary is connected at all.
/// </summary>
/// <param name="Reachable">Connected primaries: where a SCAN of the keyspace goes.</param>
/// <param name="Unreachable">Slot owners in the cluster's map that the client has no connected server for.</param>
public sealed record PrimaryServers(IReadOnlyList<IServer> Reachable, IReadOnlyList<EndPoint> Unreachable)
{
    /// <summary>True when every primary is reachable: a walk of <see cref="Reachable"/> sees every key.</summary>
    public bool Complete => Reachable.Count > 0 && Unreachable.Count == 0;
}
