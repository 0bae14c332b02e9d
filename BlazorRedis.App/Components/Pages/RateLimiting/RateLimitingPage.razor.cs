using System.Globalization;
using BlazorRedis.App.Components.Shared;
using BlazorRedis.App.Hosting;
using BlazorRedis.Core;
using BlazorRedis.Core.Connection;
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
    private int? _size = 30;
    // Nullable: 0 ms is a good spacing, so an emptied field must read as empty, not as 0 (which fired at once).
    private int? _spacing = 100;
    // Nullable like the spacing: an emptied field must say so, not run a race of 0.
    private int? _concurrency = 50;
    private int _burstSize;
    private TimeSpan? _burstElapsed;
    private BoundaryProgress? _boundaryProgress;
    private BoundaryResult? _boundary;
    private RaceResult? _race;
    private string? _token;
    private MudNumericField<int?>? _sizeField;
    private MudNumericField<int?>? _spacingField;
    private MudNumericField<int?>? _concurrencyField;
    private string? _invalidField;
    private RedisStatus _status = RedisStatus.Unknown;

    [Inject]
    private RateLimitLab Lab { get; set; } = null!;

    [Inject]
    private IRateLimitService Limiter { get; set; } = null!;

    [Inject]
    private NavigationManager Nav { get; set; } = null!;

    [Inject]
    private IRedisStatusSource Status { get; set; } = null!;

    [Inject]
    private LearnerTokens Tokens { get; set; } = null!;

    private RateLimitRule Rule => Limiter.DefaultRule;

    private string Partition => RateLimitLab.PartitionFor(LearnerId);

    private string WindowText => Rule.Window.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    /// <inheritdoc/>
    public void Dispose()
    {
        Limiter.HealthChanged -= OnHealthChanged;
        Status.Changed -= OnStatusChanged;
        _stop.Cancel();
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    protected override void OnInitialized()
    {
        _health = Limiter.Health;
        _status = Status.Current;
        Limiter.HealthChanged += OnHealthChanged;
        Status.Changed += OnStatusChanged;
    }

    /// <summary>Shown only on request: the token spends this learner's budget, so it stays off a projected screen by default.</summary>
    private void ShowToken() => _token = Tokens.ForRateLimit(LearnerId);

    private static Dictionary<RateLimitAlgorithm, List<BurstHit>> NewHits() => RateLimitAlgorithms.All.ToDictionary(a => a, _ => new List<BurstHit>());

    private async Task FireBurstAsync()
    {
        // Checked here, not only in the lab, so a bad number never clears the last timeline.
        var (size, spacing) = (0, 0);
        if (Refuses(SizeField, () => size = RequireNumber(_sizeField, _size, "number of requests"))
            || Refuses(SpacingField, () => spacing = RequireNumber(_spacingField, _spacing, "spacing"))
            || Refuses(SizeField, () => RateLimitLab.ValidateBurst(size, spacing)))
        {
            return;
        }

        _hits = NewHits();
        _burstSize = size;
        _burstElapsed = null;
        var result = await RunAsync(async () =>
        {
            var burst = await Lab.BurstAsync(Partition, size, spacing, OnHit, _stop.Token);
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
        var concurrency = 0;
        if (Refuses(ConcurrencyField, () => concurrency = RequireNumber(_concurrencyField, _concurrency, "number of requests at once"))
            || Refuses(ConcurrencyField, () => RateLimitLab.ValidateConcurrency(concurrency)))
        {
            return;
        }

        _race = await RunAsync(() => Lab.RaceAsync(Partition, concurrency, _stop.Token)) ?? _race;
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

    /// <summary>
    /// The limiter still reports an outage (it learns of Redis only from its next request), but a status probe made after
    /// the outage began found Redis answering: say Redis is back, not "cannot reach Redis" beside a Connected chip.
    /// </summary>
    private bool RedisBack => !_health.RedisReachable && _status.Connected && _health.OutageSince is { } since && _status.CheckedAt > since;

    private void OnStatusChanged(RedisStatus status) => _ = InvokeAsync(() =>
    {
        var wasBack = RedisBack;
        _status = status;
        if (RedisBack != wasBack)
        {
            StateHasChanged();
        }
    });

    private static string ProgressText(BoundaryProgress progress) => progress.Phase switch
    {
        BoundaryPhase.Waiting => $"Redis's clock says {progress.ServerTime.ToLocalTime():HH:mm:ss.fff}; waiting for the boundary at {progress.Boundary.ToLocalTime():HH:mm:ss.fff}…",
        BoundaryPhase.BeforeBoundary => "Just before the boundary: sending the limit to every algorithm…",
        BoundaryPhase.AfterBoundary => "Just after the boundary: sending the limit again…",
        _ => "Done.",
    };
}
