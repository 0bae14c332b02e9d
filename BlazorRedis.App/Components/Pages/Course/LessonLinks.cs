namespace BlazorRedis.App.Components.Pages.Course;

/// <summary>Where each <c>```demo</c> block's lab lives in the app, and what to call it.</summary>
public static class LessonLinks
{
    private static readonly Dictionary<string, (string Title, string Href, Type Lab)> Demos = new(StringComparer.Ordinal)
    {
        ["cache-aside-race"] = ("The cache-aside race", "/caching", typeof(Caching.CacheAsideRace)),
        ["stampede"] = ("The stampede race", "/caching/stampede", typeof(Caching.Stampede)),
        ["rate-limit-burst"] = ("A burst against the rate limiters", "/rate-limiting", typeof(RateLimiting.RateLimitingPage)),
        ["write-strategies"] = ("Write-through and write-behind", "/caching/strategies", typeof(Caching.WriteStrategies)),
        ["invalidation"] = ("Invalidation by key, tag and pattern", "/caching/invalidation", typeof(Caching.Invalidation)),
        ["eviction"] = ("The eviction lab", "/caching/eviction", typeof(Caching.EvictionLabPage)),
        ["pubsub"] = ("Pub/Sub and streams", "/pubsub", typeof(PubSub.PubSub)),
        ["sessions"] = ("Server-side sessions", "/sessions", typeof(Sessions.Sessions)),
        ["libraries"] = ("HybridCache and FusionCache", "/caching/libraries", typeof(Caching.CachingLibraries)),
        ["cluster"] = ("Slots, tags, MOVED and a failover", "/cluster", typeof(Cluster.ClusterPage)),
    };

    /// <summary>Every demo id a lesson may name (the same as <see cref="Core.Lessons.LessonBlocks.Demos"/>).</summary>
    public static IEnumerable<string> DemoIds => Demos.Keys;

    /// <summary>The lab's page.</summary>
    public static string DemoHref(string demo) => Demos.TryGetValue(demo, out var d) ? d.Href : "/";

    /// <summary>The lab's page component, embedded in the lesson when the learner asks for it.</summary>
    public static Type? DemoLab(string demo) => Demos.TryGetValue(demo, out var d) ? d.Lab : null;

    /// <summary>The lab's name.</summary>
    public static string DemoTitle(string demo) => Demos.TryGetValue(demo, out var d) ? d.Title : demo;
}
