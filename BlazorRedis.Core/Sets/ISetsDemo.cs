using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Sets;

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
