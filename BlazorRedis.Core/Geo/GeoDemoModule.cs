using BlazorRedis.Core.DataStructures;

namespace BlazorRedis.Core.Geo;

/// <summary>Registers the geospatial demo.</summary>
public sealed class GeoDemoModule : DemoModule
{
    /// <inheritdoc/>
    public override DemoDescriptor Descriptor { get; } = new(
        "geo",
        "Geospatial",
        "Cafés near you in Bengaluru",
        "Longitude/latitude points with distance and radius search.",
        8,
        "place");
}
