using BlazorRedis.Core.DataStructures;

namespace BlazorRedis.Core.Bitmaps;

/// <summary>Registers the bitmaps demo.</summary>
public sealed class BitmapsDemoModule : DemoModule
{
    /// <inheritdoc/>
    public override DemoDescriptor Descriptor { get; } = new(
        "bitmaps",
        "Bitmaps",
        "Daily logins for a million users",
        "One bit per user on a string: tiny, fast yes/no analytics.",
        6,
        "grid_on");
}
