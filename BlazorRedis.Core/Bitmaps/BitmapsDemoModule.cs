using BlazorRedis.Core.DataStructures;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Core.Bitmaps;

/// <summary>Registers the bitmaps demo.</summary>
public sealed class BitmapsDemoModule : DemoModule
{
    /// <summary>The demo's slug: its route segment and its key area.</summary>
    public const string Slug = "bitmaps";

    /// <inheritdoc/>
    public override DemoDescriptor Descriptor { get; } = new(
        Slug,
        "Bitmaps",
        "Daily logins for a million users",
        "One bit per user on a string: tiny, fast yes/no analytics.",
        6,
        "grid_on");

    /// <inheritdoc/>
    public override void ConfigureServices(IServiceCollection services) =>
        AddDemoService<IBitmapsDemo, BitmapsDemoService>(services);
}
