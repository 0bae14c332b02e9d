namespace BlazorRedis.Core.Lessons;

/// <summary>The fenced blocks that mean something in a lesson, and the names their one-line blocks may take.</summary>
public static class LessonBlocks
{
    public const string Redis = "redis";
    public const string Check = "check";
    public const string Quiz = "quiz";
    public const string Demo = "demo";
    public const string Diagram = "diagram";

    /// <summary>Info strings of ordinary code, shown as code (not run).</summary>
    public static IReadOnlySet<string> PlainCode { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "", "text", "csharp", "cs", "c#", "bash", "sh", "shell", "console", "json", "yaml", "yml", "python", "py", "lua", "http", "ini", "conf", "dockerfile", "xml", "sql",
    };

    /// <summary>The live labs a <c>```demo</c> block can embed.</summary>
    public static IReadOnlySet<string> Demos { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "cache-aside-race", "stampede", "rate-limit-burst", "write-strategies", "invalidation", "eviction", "pubsub", "sessions", "libraries", "cluster",
    };

    /// <summary>The diagrams a <c>```diagram</c> block can draw.</summary>
    public static IReadOnlySet<string> Diagrams { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "cache-aside", "write-through", "write-behind", "rate-limit", "pubsub", "sessions",
    };
}
