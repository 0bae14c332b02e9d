using BlazorRedis.Core.Caching.Labs;
using BlazorRedis.Core.Keys;

namespace BlazorRedis.Tests.Core.Caching;

/// <summary>A component test's collaborator: every browser, teacher or learner, gets the one shared lab, so a test can look at the database and queue the page used.</summary>
public sealed class SharedLabOnly(CachingLab shared) : ICachingLabs
{
    public CachingLab Shared => shared;

    public CachingLabLease Open(LearnerId learner, bool teacher) => shared.Hold();
}
