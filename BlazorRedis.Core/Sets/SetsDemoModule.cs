using BlazorRedis.Core.DataStructures;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Core.Sets;

/// <summary>Registers the sets demo.</summary>
public sealed class SetsDemoModule : DemoModule
{
    /// <inheritdoc/>
    public override DemoDescriptor Descriptor { get; } = new(
        "sets",
        "Sets",
        "Tags on blog posts",
        "Unordered unique members with intersection, difference and union.",
        4,
        "join_inner");

    /// <inheritdoc/>
    public override void ConfigureServices(IServiceCollection services) =>
        AddDemoService<ISetsDemo, SetsDemoService>(services);
}
