using System.Globalization;
using BlazorRedis.App.Components.Shared;
using BlazorRedis.Core.Budgets;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.Libraries;
using BlazorRedis.Core.Text;
using BlazorRedis.Core.Tracing;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace BlazorRedis.App.Components.Pages.Caching;

/// <summary>
/// The caching libraries lab: the learner's own <see cref="LibrariesLab"/> (made on the first click, on a connection of
/// its own, and closed when the page closes) reads, races, invalidates and measures the stale window.
/// </summary>
public partial class CachingLibraries
{
    private readonly List<LibraryRead> _reads = [];
    private readonly Dictionary<CacheLibrary, string> _failed = [];
    private readonly List<(string Slug, string Name, long Loads, TimeSpan Elapsed)> _races = [];
    private readonly List<StaleWindow> _stale = [];
    private readonly CancellationTokenSource _closing = new();
    private LibrariesLab? _lab;
    private Task<LibrariesLab>? _opening;
    private bool _closed;
    private MudNumericField<int?>? _idField;
    private MudNumericField<int?>? _readersField;
    private MudNumericField<int?>? _wordsField;
    private int? _id = 1;
    private string _node = "A";
    // Nullable: an emptied field says it needs a number instead of reading as 0.
    private int? _readers = 1000;
    private string _category = "books";
    private string? _invalidated;
    private string _text = "Cache-aside keeps hot data in Redis: read the cache first, and on a miss load the database and store the answer with a TTL.";
    private int? _words = 8;
    private CachedSummary? _summary;
    private string? _staleProgress;
    private bool _databaseStopped;
    private int _memorySeconds;

    [Inject]
    private IOptions<LibrariesOptions> Options { get; set; } = default!;

    /// <summary>The three ways, in the order the page shows them.</summary>
    protected static IReadOnlyList<CacheLibrary> Ways { get; } = [CacheLibrary.HandWritten, CacheLibrary.Hybrid, CacheLibrary.Fusion];

    /// <summary>The lab database's categories (it is seeded as the shared catalog is, and never gets new ones).</summary>
    protected static IReadOnlyList<string> Categories => InMemoryProductDatabase.SeedCategories;

    /// <summary>The name of a library on the page.</summary>
    public static string Name(CacheLibrary library) => library switch
    {
        CacheLibrary.Hybrid => "HybridCache",
        CacheLibrary.Fusion => "FusionCache",
        _ => "Our cache-aside",
    };

    /// <summary>The library's slug in test ids and the API (<c>ours</c>, <c>hybrid</c>, <c>fusion</c>).</summary>
    public static string Slug(CacheLibrary library) => library switch
    {
        CacheLibrary.Hybrid => "hybrid",
        CacheLibrary.Fusion => "fusion",
        _ => "ours",
    };

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _closed = true;
        if (_opening is { } opening)
        {
            // A lab still being made when the page closed is closed too (it would hold a connection and the learner's slot).
            try
            {
                await (await opening).DisposeAsync();
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or BudgetExceededException)
            {
                // It never opened.
            }
        }

        _closing.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override void OnInitialized() => _memorySeconds = Options.Value.MemorySeconds;

    private static string LayerName(CacheLayer layer) => layer switch
    {
        CacheLayer.Memory => "Memory (L1)",
        CacheLayer.Redis => "Redis (L2)",
        CacheLayer.Database => "Database",
        _ => "Fail-safe",
    };

    private static Color LayerColor(CacheLayer layer) => layer switch
    {
        CacheLayer.Memory => Color.Success,
        CacheLayer.Redis => Color.Info,
        CacheLayer.Database => Color.Warning,
        _ => Color.Secondary,
    };

    private static string StaleSlug(StaleWindow w) => w.Library == CacheLibrary.Hybrid ? "hybrid" : w.Backplane ? "fusion-backplane" : "fusion-alone";

    private static string StaleName(StaleWindow w) => w.Library == CacheLibrary.Hybrid ? "HybridCache (no backplane)" : w.Backplane ? "FusionCache with its backplane" : "FusionCache without a backplane";

    /// <summary>
    /// The page's lab, made once: two clicks while it is being made share the one being made (each used to make its own,
    /// and the first was never closed). A failed attempt is forgotten, so the next click tries again.
    /// </summary>
    private async Task<LibrariesLab> LabAsync()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        var opening = _opening ??= Factory.CreateAsync(LearnerId);
        try
        {
            return _lab = await opening;
        }
        catch
        {
            if (ReferenceEquals(_opening, opening))
            {
                _opening = null;
            }

            throw;
        }
    }

    /// <summary>
    /// Reads with each library in turn; one that fails (the database stopped) does not stop the others, so fail-safe can be
    /// compared. The trace shows all three reads, as "Expire this product in all three" does (each read alone would
    /// replace the one before, leaving only FusionCache's).
    /// </summary>
    private async Task ReadAllAsync()
    {
        string? firstError = null;
        var traces = new List<OperationTrace>();
        try
        {
            foreach (var library in Ways)
            {
                var before = LastTrace;
                var ok = await ReadAsync(library);
                if (LastTrace is { } trace && !ReferenceEquals(trace, before))
                {
                    traces.Add(trace); // the read's own trace, or what a failed read ran
                }

                if (!ok)
                {
                    firstError ??= ErrorMessage;
                    if (!_failed.ContainsKey(library))
                    {
                        return; // bad input: the same for every library
                    }
                }
            }

            ErrorMessage = firstError;
        }
        finally
        {
            if (traces.Count > 0)
            {
                LastTrace = OperationTrace.Combine($"Read product {_id} with all three on node {_node}", traces);
            }
        }
    }

    private async Task<bool> ReadAsync(CacheLibrary library)
    {
        var read = await RunAsync(async () =>
        {
            var id = ProductNumber();
            var lab = await LabAsync();
            return await lab.ReadAsync(library, id, _node == "B" ? lab.B : lab.A, cancellationToken: _closing.Token);
        });
        var ran = read is not null || (_lab is not null && _idField is not { ConversionError: true } && _id is >= 1 and <= LibrariesLab.ProductCount);
        if (ran)
        {
            // A read that ran replaces the library's row; bad input changes nothing on the page but the message.
            _reads.RemoveAll(r => r.Library == library);
            _failed.Remove(library);
            if (read is not null)
            {
                _reads.Add(read);
                _reads.Sort((a, b) => a.Library.CompareTo(b.Library));
            }
            else if (ErrorMessage is { } error)
            {
                _failed[library] = error; // the database is stopped, or Redis is away
            }
        }

        return read is not null;
    }

    private async Task SetDatabaseStopped(bool stopped)
    {
        await RunAsync(async () =>
        {
            (await LabAsync()).SetDatabaseStopped(stopped);
            _databaseStopped = stopped;
            return OperationTrace.Empty(stopped ? "Stop the lab's database" : "Start the lab's database");
        });
    }

    private async Task ExpireAllAsync()
    {
        var traces = new List<OperationTrace>();
        await RunAsync(async () =>
        {
            var id = ProductNumber();
            var lab = await LabAsync();
            foreach (var library in Ways)
            {
                traces.Add((await lab.ExpireAsync(library, id, _closing.Token)).Trace);
            }

            return OperationTrace.Combine($"Expire product {id} in all three", traces);
        });
    }

    private async Task InvalidateAsync(CacheLibrary library)
    {
        var done = false;
        var count = await RunAsync(async () =>
        {
            var invalidated = await (await LabAsync()).InvalidateCategoryAsync(library, _category, _closing.Token);
            done = true;
            return invalidated;
        });
        if (done)
        {
            _invalidated = InvalidatedText(library, _category, count, Options.Value.RedisSeconds);
        }
    }

    /// <summary>
    /// What an invalidation by tag did, node by node. HybridCache has no backplane: <c>RemoveByTagAsync</c> on node A
    /// writes the tag's invalidation time to Redis, but node B fetched that time once, the first time it met the tag,
    /// and keeps its answer, so B goes on serving its old copies (from its L1, then from Redis) until they expire.
    /// </summary>
    public static string InvalidatedText(CacheLibrary library, string category, int count, int redisSeconds)
    {
        var what = $"{Name(library)}: the {category} tag ({Wording.Count(count, "product")})";
        return library switch
        {
            CacheLibrary.Hybrid => $"{what} is invalidated on node A only: A's next read of them loads the database. Node B is not told (HybridCache has no backplane). " +
                "B reads a tag's invalidation time from Redis once, the first time it meets the tag, and keeps it: if B has read any of them before, it goes on answering " +
                $"the old entries, from its memory and from Redis, until they expire there ({Wording.Count(redisSeconds, "second")} after they were written); if not, its first read of them loads the database.",
            CacheLibrary.Fusion => $"{what} is invalidated on node A, and the backplane tells node B: the next read of them on either node loads the database.",
            _ => $"{what}: their keys are deleted from Redis, which both nodes read, so the next read of them on either node loads the database.",
        };
    }

    /// <summary>Races the three ways and our lock, one after the other, on the same lab database and product.</summary>
    private async Task StampedeAsync()
    {
        _races.Clear();
        var id = _id is { } typed and >= 1 and <= LibrariesLab.ProductCount ? typed : 1;
        var readers = 0; // read and checked inside each race's action, before the race runs
        var rows = Ways
            .Select(library => (Slug(library), library == CacheLibrary.HandWritten ? "Our cache-aside, no protection" : Name(library), (Func<LibrariesLab, Task<Traced<LibraryStampede>>>)(lab => lab.StampedeAsync(library, id, readers, _closing.Token))))
            .Append(("ours-lock", "Our cache-aside with a Redis lock", lab => lab.StampedeWithLockAsync(id, readers, _closing.Token)));
        foreach (var (slug, name, race) in rows)
        {
            var result = await RunAsync(async () =>
            {
                readers = RequireNumber(_readersField, _readers, "number of readers");
                LibrariesLab.ValidateStampede(id, readers); // a bad count says so before the class's budget is asked
                using var lease = Budget.Start(BudgetKind.StampedeRace, LearnerId.Value, readers);
                return await race(await LabAsync());
            });
            if (result is null)
            {
                return;
            }

            _races.Add((slug, name, result.DatabaseLoads, result.Elapsed));
            StateHasChanged();
        }
    }

    private async Task MeasureStaleAsync()
    {
        _stale.Clear();
        var runs = new (CacheLibrary Library, bool Backplane)[] { (CacheLibrary.Hybrid, false), (CacheLibrary.Fusion, false), (CacheLibrary.Fusion, true) };
        await RunAsync(async () =>
        {
            var id = ProductNumber();
            var lab = await LabAsync();
            foreach (var (library, backplane) in runs)
            {
                var name = StaleName(new StaleWindow(library, backplane, TimeSpan.Zero, 0, TimeSpan.Zero));
                _staleProgress = $"Measuring {name}…";
                StateHasChanged();
                var progress = new Progress<TimeSpan>(t =>
                {
                    _staleProgress = $"Measuring {name}: node B still answers the old price after {CommandTracePanel.Ms(t)}…";
                    _ = InvokeAsync(StateHasChanged);
                });
                _stale.Add(await lab.MeasureStaleWindowAsync(library, backplane, id, progress, _closing.Token));
            }

            return OperationTrace.Empty("Measure the stale window");
        });
        _staleProgress = null;
    }

    /// <summary>The product in the field, checked before the lab is opened or anything is read.</summary>
    private int ProductNumber() => RequireNumber(_idField, _id, "product number", 1, LibrariesLab.ProductCount);

    private async Task SummarizeAsync()
    {
        var summary = await RunAsync(async () =>
        {
            var words = RequireNumber(_wordsField, _words, "number of words", LibrariesLab.MinSummaryWords, LibrariesLab.MaxSummaryWords);
            return await (await LabAsync()).SummarizeAsync(_text, words, _closing.Token);
        });
        if (summary is not null)
        {
            _summary = summary;
        }
    }
}
