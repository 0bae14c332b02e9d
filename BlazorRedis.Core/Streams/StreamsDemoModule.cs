using BlazorRedis.Core.DataStructures;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Core.Streams;

/// <summary>Registers the streams demo.</summary>
public sealed class StreamsDemoModule : DemoModule
{
    /// <summary>The demo's slug: its route segment and its key area.</summary>
    public const string Slug = "streams";

    /// <inheritdoc/>
    public override DemoDescriptor Descriptor { get; } = new(
        Slug,
        "Streams",
        "A sensor log with consumer groups",
        "An append-only log with ids, range reads and consumer groups.",
        9,
        "stream");

    /// <inheritdoc/>
    public override void ConfigureServices(IServiceCollection services) =>
        AddDemoService<IStreamsDemo, StreamsDemoService>(services);
}
