using BlazorRedis.Core.DataStructures;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Core.Geo;

/// <summary>Registers the geospatial demo.</summary>
public sealed class GeoDemoModule : DemoModule
{
    /// <summary>The demo's slug: its route segment and its key area.</summary>
    public const string Slug = "geo";

    /// <inheritdoc/>
    public override DemoDescriptor Descriptor { get; } = new(
        Slug,
        "Geospatial",
        "Cafés near you in Bengaluru",
        "Longitude/latitude points with distance and radius search.",
        8,
        "place");

    /// <inheritdoc/>
    public override void ConfigureServices(IServiceCollection services) =>
        AddDemoService<IGeoDemo, GeoDemoService>(services);
}
