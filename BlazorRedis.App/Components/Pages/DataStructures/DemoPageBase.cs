using BlazorRedis.App.Components.Shared;
using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Tracing;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BlazorRedis.App.Components.Pages.DataStructures;

/// <summary>
/// The base of every data-structure demo page, so each behaviour is written once: a guided scenario that runs its
/// steps one by one with "Step n of m" narration, busy state, cancellation when the page closes (every step and every
/// pause stops there, so a learner who leaves stops writing to Redis), the picture re-read after each action, and
/// "Reset my keys" through the demo's own Core service.
/// </summary>
public abstract class DemoPageBase : TracedComponentBase, IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private readonly CancellationToken _closed;

    protected DemoPageBase() => _closed = _disposed.Token;

    [Inject]
    private DemoCatalog Catalog { get; set; } = null!;

    /// <summary>The pause between scenario steps, so each one can be read (zero in component tests).</summary>
    [Parameter]
    public TimeSpan StepDelay { get; set; } = TimeSpan.FromMilliseconds(900);

    /// <summary>The demo's Core service: its slug names the demo, and it resets the learner's keys.</summary>
    protected abstract IDataStructureDemo Service { get; }

    /// <summary>The demo's menu entry (title, story), from the registered descriptors.</summary>
    protected DemoDescriptor Demo => Catalog.Get(Service.Slug);

    /// <summary>What the current scenario step does, in a sentence.</summary>
    protected string? Narration { get; set; }

    /// <summary>True while the scenario runs (the buttons wait).</summary>
    protected bool ScenarioRunning { get; private set; }

    /// <summary>True while anything runs.</summary>
    protected bool Working => Busy || ScenarioRunning;

    /// <summary>Cancelled when the page goes away: every step, pause and timer of the page listens to it.</summary>
    protected CancellationToken PageClosed => _closed;

    /// <summary>One step of a scenario: its narration and the action that returns its trace.</summary>
    protected sealed record ScenarioStep(string Narration, Func<Task<OperationTrace>> Run);

    /// <summary>Reads what the picture shows, or null for a page whose actions update the picture themselves.</summary>
    protected virtual Task<OperationTrace>? ReadPictureAsync() => null;

    /// <summary>Forgets what the page shows after "Reset my keys" (the keys are gone).</summary>
    protected virtual void ClearPicture()
    {
    }

    /// <summary>Stops a page's own loops (timers, loads) before a reset or a scenario.</summary>
    protected virtual Task StopLiveWorkAsync() => Task.CompletedTask;

    /// <summary>Reads the picture when the page opens.</summary>
    protected override async Task OnInitializedAsync()
    {
        if (ReadPictureAsync() is { } first)
        {
            await RunAsync(() => first, learnerAction: false); // opening the page is not an action of the learner's
        }
    }

    /// <summary>
    /// Runs the steps in order, showing each step's narration and trace as it happens; stops at the first failure
    /// (its message stays on the page) and when the page closes. At the end the trace panel shows every command.
    /// </summary>
    protected Task RunScenarioAsync(string title, string closing, params ScenarioStep[] steps) => RunScenarioAsync(title, () => closing, steps);

    /// <inheritdoc cref="RunScenarioAsync(string, string, ScenarioStep[])"/>
    protected async Task RunScenarioAsync(string title, Func<string> closing, params ScenarioStep[] steps)
    {
        ArgumentNullException.ThrowIfNull(closing);
        ArgumentNullException.ThrowIfNull(steps);
        ScenarioRunning = true;
        var traces = new List<OperationTrace>();
        try
        {
            await StopLiveWorkAsync();

            // The story starts from nothing, so it tells the same thing every time it runs: run again (or after the
            // learner's own commands), additions would add nothing and counts would double. Its DELs lead the trace.
            Narration = "Starting from nothing: your keys of this demo are deleted first.";
            StateHasChanged();
            OperationTrace? resetTrace = null;
            var clean = await RunAsync(async () => resetTrace = await DeleteMyKeysAsync());
            if (!clean || PageClosed.IsCancellationRequested)
            {
                Narration = "The scenario could not start: deleting your keys of this demo failed. Run it again to retry.";
                return;
            }

            traces.Add(resetTrace!);
            for (var i = 0; i < steps.Length; i++)
            {
                PageClosed.ThrowIfCancellationRequested();
                Narration = $"Step {i + 1} of {steps.Length}: {steps[i].Narration}";
                StateHasChanged();
                OperationTrace? stepTrace = null;
                var before = LastTrace;
                var ok = await ActAsync(async () => stepTrace = await steps[i].Run(), clearNarration: false);
                if (PageClosed.IsCancellationRequested)
                {
                    return;
                }

                if (!ok)
                {
                    // The error line above says why; the narration must not read as if the story were still running.
                    Narration = $"Stopped at step {i + 1} of {steps.Length} ({steps[i].Narration.TrimEnd('.')}). Run the scenario again to start over.";
                    // The panel shows the story so far and the failed step's own commands (when it ran any), and the
                    // message says which steps had already changed Redis: the failed step's "nothing was changed" is about it alone.
                    LastTrace = OperationTrace.Combine(
                        $"Scenario: {title} (stopped at step {i + 1} of {steps.Length})",
                        ReferenceEquals(LastTrace, before) || LastTrace is null ? traces : [.. traces, LastTrace]);
                    ErrorMessage = StoppedAtStep(ErrorMessage, i + 1);
                    return;
                }

                // The story's trace keeps each step's own commands; the picture's re-reads were shown step by step.
                traces.Add(stepTrace!);
                StateHasChanged();
                if (StepDelay > TimeSpan.Zero)
                {
                    await Task.Delay(StepDelay, PageClosed);
                }
            }

            Narration = closing();
            LastTrace = OperationTrace.Combine($"Scenario: {title}", traces);
        }
        catch (OperationCanceledException) when (PageClosed.IsCancellationRequested)
        {
            // The learner left the page mid-story: nothing more is sent.
        }
        finally
        {
            ScenarioRunning = false;
        }
    }

    /// <summary>Runs a learner's action, then re-reads the picture; the trace shows both.</summary>
    protected Task ActAsync(Func<Task<OperationTrace>> action) => ActAsync(action, clearNarration: true);

    private Task<bool> ActAsync(Func<Task<OperationTrace>> action, bool clearNarration)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (clearNarration)
        {
            Narration = null;
        }

        return RunAsync(async () =>
        {
            PageClosed.ThrowIfCancellationRequested();
            var trace = await action();
            return ReadPictureAsync() is { } read ? OperationTrace.Combine(trace.Operation, trace, await read) : trace;
        });
    }

    /// <summary>What to read after a reset (by default the picture); e.g. a shared board that the reset leaves alone.</summary>
    protected virtual Task<OperationTrace>? ReadAfterResetAsync() => ReadPictureAsync();

    /// <summary>"Reset my keys": deletes this learner's keys of this demo through its Core service, then clears the picture.</summary>
    protected async Task ResetMyKeysAsync()
    {
        await StopLiveWorkAsync();
        Narration = null;
        await RunAsync(async () =>
        {
            var reset = await DeleteMyKeysAsync();
            return ReadAfterResetAsync() is { } read ? OperationTrace.Combine(reset.Operation, reset, await read) : reset;
        });
    }

    /// <summary>Deletes this learner's keys of this demo through its Core service and clears the picture (the reset and a scenario's start).</summary>
    private async Task<OperationTrace> DeleteMyKeysAsync()
    {
        var reset = await Service.ResetAsync(LearnerId, PageClosed);
        ClearPicture();
        return reset.Trace;
    }

    /// <summary>Stops the scenario, the timers and every pause.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Override to stop a page's own timers; call the base.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing && !_disposed.IsCancellationRequested)
        {
            _disposed.Cancel();
            _disposed.Dispose();
        }
    }
}
