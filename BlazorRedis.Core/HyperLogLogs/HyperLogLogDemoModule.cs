using BlazorRedis.Core.DataStructures;

namespace BlazorRedis.Core.HyperLogLogs;

/// <summary>Registers the hyperloglog demo.</summary>
public sealed class HyperLogLogDemoModule : DemoModule
{
    /// <inheritdoc/>
    public override DemoDescriptor Descriptor { get; } = new(
        "hyperloglog",
        "HyperLogLog",
        "Counting unique search terms",
        "Approximate distinct counts in about 12 KB, whatever the number of items.",
        7,
        "functions");
}
