using BlazorRedis.Core.Budgets;
using BlazorRedis.Core.Caching;
using BlazorRedis.Core.Caching.CacheAside;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.Invalidation;
using BlazorRedis.Core.Caching.Labs;
using BlazorRedis.Core.Caching.LoadGeneration;
using BlazorRedis.Core.Caching.Stampede;
using BlazorRedis.Core.Caching.WriteStrategies;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace BlazorRedis.App.Components.Pages.Caching;

/// <summary>
/// Base of the caching pages: they run on the browser's own caching lab (a learner's copy of the catalog, cache keys and
/// write-behind queue; the shared catalog in the teacher's browser), held while the page is open. The lab is opened before
/// the page initializes; when this app instance already holds as many learners' labs as it may, the page shows that
/// message in place of its lab and none of its own code runs.
/// </summary>
public abstract class CachingLabPageBase : CachingLabGateBase, IDisposable
{
    private CachingLabLease? _lease;

    [Inject]
    private ICachingLabs Labs { get; set; } = default!;

    /// <summary>This browser's lab.</summary>
    protected CachingLab Lab => (_lease ?? throw new BudgetExceededException(LabRefusal ?? "This page has no caching lab.")).Lab;

    protected IProductReader Reader => Lab.Reader;

    protected IProductWriter Writer => Lab.Writer;

    protected IProductInvalidation Invalidator => Lab.Invalidation;

    protected ICacheInspector Inspector => Lab.Inspector;

    protected CacheKeys Keys => Lab.Keys;

    protected IProductDatabase Database => Lab.Database;

    protected WriteBehindService WriteBehind => Lab.WriteBehind;

    protected StampedeRace Race => Lab.Race;

    protected LoadGenerator Generator => Lab.Load;

    /// <summary>The database's latency as last read (when the page opened, and after the page's actions), for its text.</summary>
    protected TimeSpan DatabaseLatency { get; private set; }

    /// <summary>Reads the latency as the page opens; a page that overrides this calls it first.</summary>
    protected override Task OnInitializedAsync() => RefreshDatabaseLatencyAsync();

    /// <summary>Reads <see cref="DatabaseLatency"/> again (see <see cref="ReadDatabaseAsync{T}"/>).</summary>
    protected async Task RefreshDatabaseLatencyAsync() =>
        DatabaseLatency = await ReadDatabaseAsync(db => db.GetLatencyAsync(), DatabaseLatency);

    /// <summary>
    /// Reads what the page shows of its database without blocking the circuit: the shared database
    /// (<c>ScaleOut:SharedDatabase</c>) is in Redis. When Redis cannot answer, the page says so
    /// (<see cref="TracedComponentBase.ErrorMessage"/>) and keeps <paramref name="fallback"/>; anything else is a bug and
    /// reaches the error boundary.
    /// </summary>
    protected async Task<T> ReadDatabaseAsync<T>(Func<IProductDatabase, Task<T>> read, T fallback)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return await read(Database);
        }
        catch (Exception ex) when (Describe(ex) is { } message)
        {
            ErrorMessage = message;
            return fallback;
        }
    }

    /// <summary>
    /// The product id in a page's field, checked before anything is read or sent. An id is a whole number of 1 or more,
    /// with no smaller ceiling than an int's: ids keep growing as products are added and deleted.
    /// </summary>
    protected static int RequireProductId(MudNumericField<int?>? field, int? value) => RequireNumber(field, value, "product id", 1, int.MaxValue);

    public override Task SetParametersAsync(ParameterView parameters)
    {
        // The cascaded learner first: whose lab to open depends on it.
        parameters.SetParameterProperties(this);
        if (_lease is null && LabRefusal is null)
        {
            try
            {
                _lease = Labs.Open(LearnerId, IsTeacher);
            }
            catch (BudgetExceededException full)
            {
                LabRefusal = full.Message;
            }
        }

        if (LabRefusal is not null)
        {
            // Draw the refusal; the page's own initialization would read the lab it did not get.
            StateHasChanged();
            return Task.CompletedTask;
        }

        return base.SetParametersAsync(ParameterView.Empty);
    }

    protected sealed override void BuildPageRenderTree(RenderTreeBuilder builder) => BuildRenderTree(builder);

    /// <summary>The page's markup: a <c>.razor</c> page that inherits this class overrides it (it hides the gate's own, see <see cref="CachingLabGateBase"/>).</summary>
    protected new virtual void BuildRenderTree(RenderTreeBuilder builder)
    {
    }

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
