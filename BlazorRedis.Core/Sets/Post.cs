namespace BlazorRedis.Core.Sets;

/// <summary>One of the demo's two blog posts.</summary>
public enum Post
{
    /// <summary>The first post ("Caching with Redis").</summary>
    First = 1,

    /// <summary>The second post ("Redis data structures").</summary>
    Second = 2,
}
