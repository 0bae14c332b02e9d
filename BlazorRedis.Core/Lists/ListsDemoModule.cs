using BlazorRedis.Core.DataStructures;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Core.Lists;

/// <summary>Registers the lists demo.</summary>
public sealed class ListsDemoModule : DemoModule
{
    /// <inheritdoc/>
    public override DemoDescriptor Descriptor { get; } = new(
        "lists",
        "Lists",
        "A task queue and a recent-activity feed",
        "Ordered sequences you push and pop at either end: queues, stacks, capped logs.",
        2,
        "format_list_numbered");

    /// <inheritdoc/>
    public override void ConfigureServices(IServiceCollection services) =>
        AddDemoService<IListsDemo, ListsDemoService>(services);
}
