namespace BlazorRedis.App.Components.Pages.Course;

/// <summary>Where each <c>```demo</c> block's lab lives in the app, and what to call it.</summary>
public static class LessonLinks
{
    private static readonly Dictionary<string, (string Title, string Href)> Demos = new(StringComparer.Ordinal)
    {
        ["cache-aside-race"] = ("The cache-aside race", "/caching"),
        ["stampede"] = ("The stampede race", "/caching/stampede"),
        ["rate-limit-burst"] = ("A burst against the rate limiters", "/rate-limiting"),
        ["write-strategies"] = ("Write-through and write-behind", "/caching/strategies"),
        ["invalidation"] = ("Invalidation by key, tag and pattern", "/caching/invalidation"),
        ["eviction"] = ("The eviction lab", "/caching/eviction"),
        ["pubsub"] = ("Pub/Sub and streams", "/pubsub"),
        ["sessions"] = ("Server-side sessions", "/sessions"),
        ["libraries"] = ("HybridCache and FusionCache", "/caching/libraries"),
    };

    /// <summary>Every demo id a lesson may name (the same as <see cref="Core.Lessons.LessonBlocks.Demos"/>).</summary>
    public static IEnumerable<string> DemoIds => Demos.Keys;

    /// <summary>The lab's page.</summary>
    public static string DemoHref(string demo) => Demos.TryGetValue(demo, out var d) ? d.Href : "/";

    /// <summary>The lab's name.</summary>
    public static string DemoTitle(string demo) => Demos.TryGetValue(demo, out var d) ? d.Title : demo;
}
