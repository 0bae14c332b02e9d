using BlazorRedis.Core.DataStructures;

namespace BlazorRedis.Core.Streams;

/// <summary>Registers the streams demo.</summary>
public sealed class StreamsDemoModule : DemoModule
{
    /// <inheritdoc/>
    public override DemoDescriptor Descriptor { get; } = new(
        "streams",
        "Streams",
        "A sensor log with consumer groups",
        "An append-only log with ids, range reads and consumer groups.",
        9,
        "stream");
}
