using BlazorRedis.Core.DataStructures;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Core.SortedSets;

/// <summary>Registers the sorted sets demo.</summary>
public sealed class SortedSetsDemoModule : DemoModule
{
    /// <inheritdoc/>
    public override DemoDescriptor Descriptor { get; } = new(
        "sorted-sets",
        "Sorted sets",
        "A game leaderboard",
        "Unique members ordered by a score: rankings and priority queues.",
        5,
        "leaderboard");

    /// <inheritdoc/>
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddOptions<LeaderboardOptions>().BindConfiguration(LeaderboardOptions.Section).ValidateOnStart();
        AddDemoService<ISortedSetsDemo, SortedSetsDemoService>(services);
    }
}
