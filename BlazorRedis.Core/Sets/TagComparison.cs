namespace BlazorRedis.Core.Sets;

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
