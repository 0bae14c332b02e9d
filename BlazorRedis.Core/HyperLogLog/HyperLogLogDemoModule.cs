using BlazorRedis.Core.DataStructures;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Core.HyperLogLog;

/// <summary>Registers the hyperloglog demo.</summary>
public sealed class HyperLogLogDemoModule : DemoModule
{
    /// <summary>The demo's slug: its route segment and its key area.</summary>
    public const string Slug = "hyperloglog";

    /// <inheritdoc/>
    public override DemoDescriptor Descriptor { get; } = new(
        Slug,
        "HyperLogLog",
        "Counting unique search terms",
        "Approximate distinct counts in about 12 KB, whatever the number of items.",
        7,
        "functions");

    /// <inheritdoc/>
    public override void ConfigureServices(IServiceCollection services) =>
        AddDemoService<IHyperLogLogDemo, HyperLogLogDemoService>(services);
}
