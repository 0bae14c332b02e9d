using System.Globalization;
using BlazorRedis.App.Components.Shared;
using BlazorRedis.App.Hosting;
using BlazorRedis.Core;
using BlazorRedis.Core.RateLimiting;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BlazorRedis.App.Components.Pages.RateLimiting;

/// <summary>
/// The rate-limiting lesson: a live burst at the four Redis limiters, the fixed-window boundary burst and the
/// read-then-write race. Everything runs in this learner's own partition, so two browsers never share counters.
/// </summary>
public partial class RateLimitingPage : TracedComponentBase, IDisposable
{
    // The number fields, named as the lab's validation names its parameters (LearnerInputException.ParamName).
    private const string SizeField = "size";
    private const string SpacingField = "spacingMilliseconds";
    private const string ConcurrencyField = "concurrency";

    private readonly CancellationTokenSource _stop = new();
    private Dictionary<RateLimitAlgorithm, List<BurstHit>> _hits = NewHits();
    private RateLimiterHealth _health = null!;
    private int _size = 30;
    // Nullable: 0 ms is a good spacing, so an emptied field must read as empty, not as 0 (which fired at once).
    private int? _spacing = 100;
    private int _concurrency = 50;
    private int _burstSize;
    private TimeSpan? _burstElapsed;
    private BoundaryProgress? _boundaryProgress;
    private BoundaryResult? _boundary;
    private RaceResult? _race;
    private string? _token;
    private MudNumericField<int>? _sizeField;
    private MudNumericField<int?>? _spacingField;
    private MudNumericField<int>? _concurrencyField;
    private string? _invalidField;

    [Inject]
    private RateLimitLab Lab { get; set; } = null!;

    [Inject]
    private IRateLimitService Limiter { get; set; } = null!;

    [Inject]
    private NavigationManager Nav { get; set; } = null!;

    [Inject]
    private LearnerTokens Tokens { get; set; } = null!;

    private RateLimitRule Rule => Limiter.DefaultRule;

    private string Partition => RateLimitLab.PartitionFor(LearnerId);

    private string WindowText => Rule.Window.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    /// <inheritdoc/>
    public void Dispose()
    {
        Limiter.HealthChanged -= OnHealthChanged;
        _stop.Cancel();
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    protected override void OnInitialized()
    {
        _health = Limiter.Health;
        Limiter.HealthChanged += OnHealthChanged;
    }

    /// <summary>Shown only on request: the token spends this learner's budget, so it stays off a projected screen by default.</summary>
    private void ShowToken() => _token = Tokens.ForRateLimit(LearnerId);

    private static Dictionary<RateLimitAlgorithm, List<BurstHit>> NewHits() => RateLimitAlgorithms.All.ToDictionary(a => a, _ => new List<BurstHit>());

    private async Task FireBurstAsync()
    {
        // Checked here, not only in the lab, so a bad number never clears the last timeline.
        var spacing = 0;
        if (Refuses(SizeField, () => RequireNumber(_sizeField, "number of requests"))
            || Refuses(SpacingField, () => spacing = RequireNumber(_spacingField, _spacing, "spacing"))
            || Refuses(SizeField, () => RateLimitLab.ValidateBurst(_size, spacing)))
        {
            return;
        }

        _hits = NewHits();
        _burstSize = _size;
        _burstElapsed = null;
        var result = await RunAsync(async () =>
        {
            var burst = await Lab.BurstAsync(Partition, _size, spacing, OnHit, _stop.Token);
            return new BlazorRedis.Core.Tracing.Traced<BurstResult>(burst.Value, await WithLabResultAsync(burst.Trace, BlazorRedis.Core.Lessons.LabResults.Of(burst.Value)));
        });
        if (result is not null)
        {
            // The finished result is the record; the live list only fed the animation.
            _hits = NewHits();
            foreach (var hit in result.Hits)
            {
                _hits[hit.Decision.Algorithm].Add(hit);
            }

            _burstElapsed = result.Elapsed;
        }

        _health = Limiter.Health;
    }

    private void OnHit(BurstHit hit) => _ = InvokeAsync(() =>
    {
        _hits[hit.Decision.Algorithm].Add(hit);
        StateHasChanged();
    });

    private async Task RunBoundaryAsync()
    {
        _invalidField = null;
        _boundary = null;
        _boundaryProgress = null;
        _boundary = await RunAsync(() => Lab.BoundaryBurstAsync(Partition, OnBoundaryProgress, _stop.Token));
        _health = Limiter.Health;
    }

    private void OnBoundaryProgress(BoundaryProgress progress) => _ = InvokeAsync(() =>
    {
        _boundaryProgress = progress;
        StateHasChanged();
    });

    private async Task RunRaceAsync()
    {
        if (Refuses(ConcurrencyField, () => RequireNumber(_concurrencyField, "number of requests at once"))
            || Refuses(ConcurrencyField, () => RateLimitLab.ValidateConcurrency(_concurrency)))
        {
            return;
        }

        _race = await RunAsync(() => Lab.RaceAsync(Partition, _concurrency, _stop.Token)) ?? _race;
        _health = Limiter.Health;
    }

    private async Task ResetAsync()
    {
        _invalidField = null;
        if (await RunAsync(async () => (await Lab.ResetAsync(Partition)).Trace))
        {
            _hits = NewHits();
            _burstSize = 0;
            _burstElapsed = null;
            _boundary = null;
            _boundaryProgress = null;
            _race = null;
        }
    }

    /// <summary>
    /// Runs one check of the learner's input; on a refusal, puts its message on the field it is about (the one the lab
    /// names, else <paramref name="field"/>) and above the buttons, and answers true: the caller sends nothing.
    /// </summary>
    private bool Refuses(string field, Action check)
    {
        _invalidField = null;
        try
        {
            check();
            return false;
        }
        catch (LearnerInputException ex)
        {
            _invalidField = ex.ParamName is SizeField or SpacingField or ConcurrencyField ? ex.ParamName : field;
            ErrorMessage = Describe(ex);
            return true;
        }
    }

    /// <summary>A field's message goes as soon as the learner changes its value.</summary>
    private void ClearFieldError() => _invalidField = null;

    private void OnHealthChanged(RateLimiterHealth health) => _ = InvokeAsync(() =>
    {
        _health = health;
        StateHasChanged();
    });

    private static string ProgressText(BoundaryProgress progress) => progress.Phase switch
    {
        BoundaryPhase.Waiting => $"Redis's clock says {progress.ServerTime.ToLocalTime():HH:mm:ss.fff}; waiting for the boundary at {progress.Boundary.ToLocalTime():HH:mm:ss.fff}…",
        BoundaryPhase.BeforeBoundary => "Just before the boundary: sending the limit to every algorithm…",
        BoundaryPhase.AfterBoundary => "Just after the boundary: sending the limit again…",
        _ => "Done.",
    };
}
