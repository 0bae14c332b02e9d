using BlazorRedis.Core.DataStructures;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Core.Strings;

/// <summary>Registers the strings demo.</summary>
public sealed class StringsDemoModule : DemoModule
{
    /// <inheritdoc/>
    public override DemoDescriptor Descriptor { get; } = new(
        "strings",
        "Strings",
        "Session tokens and view counters",
        "The simplest value: text, numbers and counters, each with an optional expiry.",
        1,
        "text_fields");

    /// <inheritdoc/>
    public override void ConfigureServices(IServiceCollection services) =>
        AddDemoService<IStringsDemo, StringsDemoService>(services);
}
