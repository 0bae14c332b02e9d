namespace BlazorRedis.Core.Lessons;

/// <summary>The course's areas, in the order the course page shows them.</summary>
public static class LessonAreas
{
    /// <summary>Every area a lesson may name.</summary>
    public static IReadOnlyList<string> All { get; } = ["Start here", "Data structures", "Caching", "Beyond caching", "Production"];
}
