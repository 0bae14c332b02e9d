using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Sets;

/// <summary>One of the demo's two blog posts.</summary>
public enum Post
{
    /// <summary>The first post ("Caching with Redis").</summary>
    First = 1,

    /// <summary>The second post ("Redis data structures").</summary>
    Second = 2,
}

/// <summary>A multi-key set command between the two posts.</summary>
public enum TagComparison
{
    /// <summary>SINTER: tags both posts have.</summary>
    Intersection,

    /// <summary>SDIFF: tags of the first post the second lacks.</summary>
    Difference,

    /// <summary>SUNION: every tag of either post.</summary>
    Union,
}

/// <summary>Both posts' tags as SMEMBERS returned them (sorted for display; a set has no order).</summary>
public sealed record TagsState(IReadOnlyList<string> First, IReadOnlyList<string> Second)
{
    /// <summary>Nothing tagged yet.</summary>
    public static TagsState Empty { get; } = new([], []);
}

/// <summary>The reply of SINTER / SDIFF / SUNION and both posts' tags.</summary>
public sealed record TagComparisonResult(TagComparison Comparison, string Command, IReadOnlyList<string> Tags, TagsState Posts);

/// <summary>The sets demo: post tags with SADD, SREM, SISMEMBER, SMEMBERS and set algebra between two posts.</summary>
public interface ISetsDemo : IDataStructureDemo
{
    /// <summary>The most tags one SADD may add.</summary>
    const int MaxTagsPerAdd = 20;

    /// <summary>The most tags one post may carry.</summary>
    const int MaxTagsPerPost = 40;

    /// <summary>SADD tags to a post (duplicates are ignored by Redis).</summary>
    Task<Traced<TagsState>> AddTagsAsync(LearnerId learner, Post post, IReadOnlyList<string> tags);

    /// <summary>SREM a tag from a post.</summary>
    Task<Traced<TagsState>> RemoveTagAsync(LearnerId learner, Post post, string tag);

    /// <summary>SISMEMBER: does the post carry the tag?</summary>
    Task<Traced<bool>> HasTagAsync(LearnerId learner, Post post, string tag);

    /// <summary>SMEMBERS of both posts.</summary>
    Task<Traced<TagsState>> ReadAsync(LearnerId learner);

    /// <summary>SINTER, SDIFF or SUNION of the two posts (one command, both keys in the learner's hash slot).</summary>
    Task<Traced<TagComparisonResult>> CompareAsync(LearnerId learner, TagComparison comparison);
}
