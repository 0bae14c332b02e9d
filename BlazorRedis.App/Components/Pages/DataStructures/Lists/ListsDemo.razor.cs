using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Lists;
using BlazorRedis.Core.Tracing;
using MudBlazor;

namespace BlazorRedis.App.Components.Pages.DataStructures.Lists;

/// <summary>The lists demo: a FIFO task queue with workers (one that waits), and a capped activity feed.</summary>
public partial class ListsDemo
{
    private static readonly string[] SampleJobs = ["email_signup", "send_notification", "resize_avatar"];

    private string _job = "email_signup";
    private string _activity = "alice logged in";
    private int? _keep = 5;
    private MudNumericField<int?>? _keepField;
    private int? _feedCap;
    private ListState _queue = ListState.Empty;
    private ListState _feed = ListState.Empty;
    private readonly List<WorkResult> _taken = [];
    private CancellationTokenSource? _waiting;

    protected override async Task OnInitializedAsync()
    {
        // Show what this learner's keys already hold (a reload keeps the queue).
        await RunAsync(async () =>
        {
            var queue = await Lists.ReadQueueAsync(LearnerId);
            var feed = await Lists.ReadActivityAsync(LearnerId);
            _queue = queue.Value;
            _feed = feed.Value;
            return OperationTrace.Combine("Read the lists", [queue.Trace, feed.Trace]);
        }, learnerAction: false);
    }

    private Task PushAsync() => ActAsync(() => PushJobsAsync(_job));

    private async Task<OperationTrace> PushJobsAsync(params string[] jobs)
    {
        var pushed = await Lists.EnqueueAsync(LearnerId, jobs);
        _queue = pushed.Value;
        return pushed.Trace;
    }

    private Task WorkAsync(string worker) => ActAsync(() => TakeAsync(worker));

    private async Task<OperationTrace> TakeAsync(string worker)
    {
        var result = await Lists.WorkOnceAsync(LearnerId, worker);
        Took(result.Value);
        return result.Trace;
    }

    private void Took(WorkResult result)
    {
        _queue = result.Queue;
        _taken.Insert(0, result);
        if (_taken.Count > 12)
        {
            _taken.RemoveAt(_taken.Count - 1);
        }
    }

    /// <summary>Starts a worker that polls in the background; the learner keeps using the page meanwhile.</summary>
    private Task StartWaitingAsync()
    {
        Narration = null;
        ErrorMessage = null;
        _waiting = CancellationTokenSource.CreateLinkedTokenSource(PageClosed);
        _ = WaitInBackgroundAsync(_waiting);
        return Task.CompletedTask;
    }

    private void StopWaiting() => _waiting?.Cancel();

    private async Task WaitInBackgroundAsync(CancellationTokenSource waiting)
    {
        using var capture = TraceCapture.Begin(); // a poll that fails shows the polls that ran and the failed one
        try
        {
            var result = await Lists.WaitForJobAsync(LearnerId, "worker-W", TimeSpan.FromSeconds(30), waiting.Token);
            await InvokeAsync(() =>
            {
                Took(result.Value);
                LastTrace = result.Trace;
                Narration = result.Value.Job is null
                    ? $"worker-W gave up after {result.Value.Polls} polls: no job arrived in 30 seconds."
                    : $"worker-W picked up \"{result.Value.Job}\" after {result.Value.Polls} RPOP polls.";
            });
        }
        catch (OperationCanceledException)
        {
            await InvokeAsync(() => Narration = "The waiting worker was stopped.");
        }
        catch (Exception ex) when (Describe(ex) is { } message)
        {
            await InvokeAsync(() => ShowFailure(message, capture));
        }
        finally
        {
            if (!PageClosed.IsCancellationRequested)
            {
                await InvokeAsync(() =>
                {
                    _waiting = null;
                    StateHasChanged();
                });
            }

            waiting.Dispose();
        }
    }

    private Task RecordAsync() => ActAsync(() =>
        RecordEntryAsync(_activity, RequireNumber(_keepField, _keep, "number of entries to keep", 1, IListsDemo.MaxShown)));

    private async Task<OperationTrace> RecordEntryAsync(string entry, int keep)
    {
        var recorded = await Lists.RecordActivityAsync(LearnerId, entry, keep);
        _feed = recorded.Value;
        _feedCap = keep;
        return recorded.Trace;
    }

    /// <inheritdoc/>
    protected override IDataStructureDemo Service => Lists;

    /// <inheritdoc/>
    protected override Task StopLiveWorkAsync()
    {
        _waiting?.Cancel();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    protected override void ClearPicture()
    {
        _queue = ListState.Empty;
        _feed = ListState.Empty;
        _feedCap = null;
        _taken.Clear();
    }

    private Task RunStoryAsync() => RunScenarioAsync(
        "a task queue",
        "Done: jobs left in the order they arrived (FIFO), the waiting worker needed no blocking command, and the feed never grows past 5.",
        new ScenarioStep("The producer LPUSHes three jobs, one after another, onto the left end.", async () =>
            OperationTrace.Combine("Producer pushes three jobs", [await PushJobsAsync(SampleJobs[0]), await PushJobsAsync(SampleJobs[1]), await PushJobsAsync(SampleJobs[2])])),
        new ScenarioStep("worker-A RPOPs from the right end and gets the oldest job, email_signup.", () => TakeAsync("worker-A")),
        new ScenarioStep("worker-B RPOPs next and gets send_notification: first in, first out.", () => TakeAsync("worker-B")),
        new ScenarioStep("worker-A empties the queue.", () => TakeAsync("worker-A")),
        new ScenarioStep("A waiting worker polls the empty queue with back-off; a second later the producer pushes generate_report.", async () =>
        {
            var waiting = Lists.WaitForJobAsync(LearnerId, "worker-W", TimeSpan.FromSeconds(10), PageClosed);
            await Task.Delay(TimeSpan.FromSeconds(1), PageClosed);
            var push = await PushJobsAsync("generate_report");
            var result = await waiting;
            Took(result.Value);
            return OperationTrace.Combine("A waiting worker gets a late job", [push, result.Trace]);
        }),
        new ScenarioStep("Seven events go into the activity feed with LPUSH + LTRIM 0 4: only the newest five stay.", async () =>
        {
            var traces = new List<OperationTrace>();
            for (var i = 1; i <= 7; i++)
            {
                traces.Add(await RecordEntryAsync($"event {i}", 5));
            }

            return OperationTrace.Combine("Seven events, capped at five", traces);
        }));

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _waiting?.Cancel();
        }

        base.Dispose(disposing);
    }
}
