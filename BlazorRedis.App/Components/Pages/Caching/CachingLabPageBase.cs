using BlazorRedis.App.Components.Shared;
using BlazorRedis.Core.Caching;
using BlazorRedis.Core.Caching.CacheAside;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.Invalidation;
using BlazorRedis.Core.Caching.Labs;
using BlazorRedis.Core.Caching.LoadGeneration;
using BlazorRedis.Core.Caching.Stampede;
using BlazorRedis.Core.Caching.WriteStrategies;
using Microsoft.AspNetCore.Components;

namespace BlazorRedis.App.Components.Pages.Caching;

/// <summary>
/// Base of the caching pages: they run on the browser's own caching lab (a learner's copy of the catalog, cache keys and
/// write-behind queue; the shared catalog in the teacher's browser), held while the page is open.
/// </summary>
public abstract class CachingLabPageBase : TracedComponentBase, IDisposable
{
    private CachingLabLease? _lease;

    [Inject]
    private ICachingLabs Labs { get; set; } = default!;

    /// <summary>This browser's lab.</summary>
    protected CachingLab Lab => (_lease ??= Labs.Open(LearnerId, IsTeacher)).Lab;

    protected IProductReader Reader => Lab.Reader;

    protected IProductWriter Writer => Lab.Writer;

    protected IProductInvalidation Invalidator => Lab.Invalidation;

    protected ICacheInspector Inspector => Lab.Inspector;

    protected CacheKeys Keys => Lab.Keys;

    protected IProductDatabase Database => Lab.Database;

    protected WriteBehindService WriteBehind => Lab.WriteBehind;

    protected StampedeRace Race => Lab.Race;

    protected LoadGenerator Generator => Lab.Load;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Lets the lab go (it stays while another page of this browser holds it).</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _lease?.Dispose();
            _lease = null;
        }
    }
}
