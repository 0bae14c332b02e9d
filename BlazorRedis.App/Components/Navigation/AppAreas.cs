using BlazorRedis.Core.DataStructures;
using MudBlazor;

namespace BlazorRedis.App.Components.Navigation;

/// <summary>The dashboard's areas, in menu order. Data-structure demos come from the Core demo catalog.</summary>
public static class AppAreas
{
    /// <summary>The live metrics page: the menu keeps it next to Home, above the groups, so it never drops below the fold.</summary>
    public const string MetricsHref = "/metrics";

    public static IReadOnlyList<NavArea> Build(DemoCatalog demos)
    {
        ArgumentNullException.ThrowIfNull(demos);
        return
        [
            new("Course", "/course", Icons.Material.Filled.School, "Lessons from zero to production: commands that run on your keys, graded checks and quizzes."),
            new("Caching", "/caching", Icons.Material.Filled.Bolt, "Cache-aside, TTLs, invalidation, write strategies, stampedes and eviction on a slow product database.",
            [
                new("Cache-aside race", "/caching", Icons.Material.Filled.Speed, "The same product read with and without the cache."),
                new("Write strategies", "/caching/strategies", Icons.Material.Filled.EditNote, "Write-through versus write-behind, with the queue and its lag."),
                new("Invalidation", "/caching/invalidation", Icons.Material.Filled.CleaningServices, "By key, by tag, by pattern with SCAN."),
                new("Stampede race", "/caching/stampede", Icons.Material.Filled.Groups, "A thousand readers on one cold key, four defences."),
                new("Eviction lab", "/caching/eviction", Icons.Material.Filled.DeleteSweep, "Fill a small sandbox Redis under each eviction policy."),
                new("Load generator", "/caching/load", Icons.Material.Filled.Insights, "Requests at a chosen concurrency, cached or not."),
                new("HybridCache and FusionCache", "/caching/libraries", Icons.Material.Filled.Layers, "Our cache-aside beside the libraries: L1, backplane, fail-safe, tags."),
            ]),
            new("Sessions", "/sessions", Icons.Material.Filled.Badge, "Server-side sessions with sliding and absolute expiry, rotation and logout everywhere."),
            new("Rate limiting", "/rate-limiting", Icons.Material.Filled.Traffic, "Fixed window, sliding log, sliding counter and token bucket, each one atomic Lua script."),
            new("Pub/Sub", "/pubsub", Icons.Material.Filled.Campaign, "Channels and patterns, fire-and-forget, and streams that remember."),
            new("Redis Cluster", "/cluster", Icons.Material.Filled.Hub, "Hash slots, hash tags, MOVED and a master failover on a cluster of the app's own."),
            new("Data structures", "/data-structures", Icons.Material.Filled.DataObject, "Redis's data structures, each with a scenario and a picture of its state.",
                demos.All.Select(d => new NavArea(d.Title, d.Href, DemoIcon(d.Icon), d.Scenario)).ToList()),
            new("Workbench", "/workbench", Icons.Material.Filled.Terminal, "A redis-cli of your own: type commands on keys nobody else can see."),
            new("Live metrics", MetricsHref, Icons.Material.Filled.ShowChart, "Hit rate and latency, measured each second and pushed over SignalR."),
        ];
    }

    /// <summary>Maps a Core demo's icon name to a Material icon (Core knows no UI library).</summary>
    public static string DemoIcon(string name) => name switch
    {
        "text_fields" => Icons.Material.Filled.TextFields,
        "format_list_numbered" => Icons.Material.Filled.FormatListNumbered,
        "table_rows" => Icons.Material.Filled.TableRows,
        "join_inner" => Icons.Material.Filled.JoinInner,
        "leaderboard" => Icons.Material.Filled.Leaderboard,
        "grid_on" => Icons.Material.Filled.GridOn,
        "functions" => Icons.Material.Filled.Functions,
        "place" => Icons.Material.Filled.Place,
        "stream" => Icons.Material.Filled.Stream,
        _ => Icons.Material.Filled.DataObject,
    };

    /// <summary>Finds the area or sub-area whose link is <paramref name="path"/>.</summary>
    public static NavArea? Find(IEnumerable<NavArea> areas, string path) =>
        areas.SelectMany(a => a.Children.Prepend(a))
            .FirstOrDefault(a => string.Equals(a.Href.TrimEnd('/'), "/" + path.Trim('/'), StringComparison.OrdinalIgnoreCase));
}
