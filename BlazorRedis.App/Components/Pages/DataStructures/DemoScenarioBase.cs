using BlazorRedis.App.Components.Shared;
using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Tracing;
using Microsoft.AspNetCore.Components;

namespace BlazorRedis.App.Components.Pages.DataStructureDemos;

/// <summary>
/// A data-structure demo page: the demo it shows, and a guided scenario that runs its steps one by one with a
/// sentence of narration each, so a learner can follow the story as the picture and the trace change.
/// </summary>
public abstract class DemoScenarioBase : TracedComponentBase, IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private readonly CancellationToken _closed;

    protected DemoScenarioBase() => _closed = _disposed.Token;

    /// <summary>The demo (from the Core catalog).</summary>
    [Parameter]
    public DemoDescriptor Demo { get; set; } = null!;

    /// <summary>The pause between scenario steps, so each one can be read (zero in component tests).</summary>
    [Parameter]
    public TimeSpan StepDelay { get; set; } = TimeSpan.FromMilliseconds(900);

    /// <summary>What the current scenario step does, in a sentence.</summary>
    protected string? Narration { get; set; }

    /// <summary>True while the scenario runs (the buttons wait).</summary>
    protected bool ScenarioRunning { get; private set; }

    /// <summary>True while anything runs.</summary>
    protected bool Working => Busy || ScenarioRunning;

    /// <summary>Cancelled when the page goes away.</summary>
    protected CancellationToken PageClosed => _closed;

    /// <summary>One step of a scenario: its narration and the action that returns its trace.</summary>
    protected sealed record ScenarioStep(string Narration, Func<Task<OperationTrace>> Run);

    /// <summary>
    /// Runs the steps in order, showing each step's narration and trace as it happens; stops at the first
    /// failure (its message stays on the page). At the end the trace panel shows every command of the story.
    /// </summary>
    protected async Task RunScenarioAsync(string title, string closing, params ScenarioStep[] steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ScenarioRunning = true;
        var traces = new List<OperationTrace>();
        try
        {
            for (var i = 0; i < steps.Length; i++)
            {
                Narration = $"Step {i + 1} of {steps.Length}: {steps[i].Narration}";
                var ok = await RunAsync(steps[i].Run);
                if (!ok)
                {
                    return;
                }

                traces.Add(LastTrace!);
                StateHasChanged();
                if (StepDelay > TimeSpan.Zero)
                {
                    await Task.Delay(StepDelay, PageClosed);
                }
            }

            Narration = closing;
            LastTrace = OperationTrace.Combine($"Scenario: {title}", traces);
        }
        catch (OperationCanceledException)
        {
            // The learner left the page mid-story.
        }
        finally
        {
            ScenarioRunning = false;
        }
    }

    /// <summary>Clears the narration before a free-form action.</summary>
    protected async Task ActAsync(Func<Task<OperationTrace>> action)
    {
        Narration = null;
        await RunAsync(action);
    }

    /// <summary>Stops timers and the scenario.</summary>
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
