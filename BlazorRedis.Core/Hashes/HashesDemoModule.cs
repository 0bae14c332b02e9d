using BlazorRedis.Core.DataStructures;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Core.Hashes;

/// <summary>Registers the hashes demo.</summary>
public sealed class HashesDemoModule : DemoModule
{
    /// <inheritdoc/>
    public override DemoDescriptor Descriptor { get; } = new(
        "hashes",
        "Hashes",
        "A user profile",
        "One key holding many fields, like a small object.",
        3,
        "table_rows");

    /// <inheritdoc/>
    public override void ConfigureServices(IServiceCollection services) =>
        AddDemoService<IHashesDemo, HashesDemoService>(services);
}
