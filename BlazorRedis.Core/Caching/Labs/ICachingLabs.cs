using BlazorRedis.Core.Keys;

namespace BlazorRedis.Core.Caching.Labs;

/// <summary>Where the caching pages get their lab: the teacher's is the shared catalog, each learner's their own.</summary>
public interface ICachingLabs
{
    /// <summary>The shared catalog: the REST API's, and what the teacher shows on the projector.</summary>
    CachingLab Shared { get; }

    /// <summary>Holds the lab of <paramref name="learner"/> (the shared one for the teacher), making it on first use.</summary>
    CachingLabLease Open(LearnerId learner, bool teacher);
}
