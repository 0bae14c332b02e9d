using BlazorRedis.Core;
using BlazorRedis.Core.Budgets;
using BlazorRedis.Core.Caching.Eviction;
using BlazorRedis.Core.Caching.Libraries;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;
using Microsoft.AspNetCore.Components;
using StackExchange.Redis;

namespace BlazorRedis.App.Components.Shared;

/// <summary>
/// Base for pages whose buttons run Redis commands: runs an action, keeps its trace for the
/// <c>CommandTracePanel</c>, and turns every expected failure into a message on the page instead of a dead
/// circuit. Learner input errors (<see cref="LearnerInputException"/>) show as form errors; anything unexpected is
/// rethrown to the error boundary.
/// </summary>
public abstract partial class TracedComponentBase : ComponentBase
{
    /// <summary>The learner (cascaded by Routes).</summary>
    [CascadingParameter]
    public LearnerContext? Learner { get; set; }

    /// <summary>True in the teacher's browser: class-wide controls work only there.</summary>
    protected bool IsTeacher => Learner?.IsTeacher == true;

    /// <summary>
    /// Refuses a class-wide action in a learner's browser (the button is disabled there, but a crafted circuit event
    /// could still arrive): shows the note, changes nothing, logs nothing.
    /// </summary>
    protected bool RefuseUnlessTeacher()
    {
        if (IsTeacher)
        {
            return false;
        }

        ErrorMessage = TeacherOnlyNote.Text;
        return true;
    }

    [Inject]
    private IServiceProvider? Services { get; set; }

    /// <summary>The trace of the last action.</summary>
    protected OperationTrace? LastTrace { get; set; }

    /// <summary>The message of the last failure, shown above the controls.</summary>
    protected string? ErrorMessage { get; set; }

    /// <summary>
    /// True when the last action's lab run worked but its result could not be saved to the learner's course progress
    /// (<see cref="WithLabResultAsync"/>); the page shows <c>LabResultNotSavedNote</c> for it.
    /// </summary>
    protected bool LabResultNotSaved { get; private set; }

    /// <summary>True while an action runs (buttons disable themselves).</summary>
    protected bool Busy { get; private set; }

    /// <summary>This learner's id (a fresh one outside the router, e.g. in isolated component tests).</summary>
    protected LearnerId LearnerId => (Learner ?? LearnerContext.Anonymous).Id;

    /// <summary>Runs <paramref name="action"/>, keeps its trace, and reports a failure instead of throwing.</summary>
    protected Task<bool> RunAsync(Func<Task<OperationTrace>> action) => RunAsync(action, learnerAction: true);

    /// <summary>
    /// Like <see cref="RunAsync(Func{Task{OperationTrace}})"/>; with <paramref name="learnerAction"/> false (a read the page
    /// makes as it opens) the class roster and leaderboard are not told: the learner did nothing, and whether the class
    /// would have counted it depended on which finished first, that read or the layout's look-up of the membership.
    /// </summary>
    protected async Task<bool> RunAsync(Func<Task<OperationTrace>> action, bool learnerAction)
    {
        ArgumentNullException.ThrowIfNull(action);
        Busy = true;
        ErrorMessage = null;
        LabResultNotSaved = false;
        using var capture = TraceCapture.Begin();
        try
        {
            LastTrace = await action();
            // The teacher's roster shows each learner's last action (when this browser is in a class).
            if (learnerAction)
            {
                Services?.GetService<BlazorRedis.App.Classroom.ClassPresenceState>()?.ReportAction(LastTrace.Operation);
            }

            // A lesson's diagram replays the path of the learner's last action, wherever on the page it ran.
            Services?.GetService<LearnerActivity>()?.Publish(LastTrace);
            return true;
        }
        catch (Exception ex) when (Describe(ex) is { } message)
        {
            ShowFailure(message, capture);
            return false;
        }
        finally
        {
            Busy = false;
        }
    }

    /// <summary>
    /// Keeps what a lab run measured in the learner's course progress (one HSET and an EXPIRE, added to the run's trace),
    /// so a lesson's <c>LAB</c> check can grade the result the learner got. Best effort: when Redis does not take it,
    /// the run's result and trace stay, the failed HSET joins the trace, and <see cref="LabResultNotSaved"/> is set.
    /// Without the course (a component test), the run's trace as it was.
    /// </summary>
    protected async Task<OperationTrace> WithLabResultAsync(OperationTrace run, IReadOnlyList<(string Name, long Value)> results)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (Services?.GetService<BlazorRedis.Core.Lessons.LessonProgressStore>() is not { } progress)
        {
            return run;
        }

        var recorded = await progress.RecordLabAsync(LearnerId, results);
        LabResultNotSaved = !recorded.Value;
        return OperationTrace.Combine(run.Operation, run, recorded.Trace);
    }

    /// <summary>Runs an action that returns a traced value; returns the value, or default on failure.</summary>
    protected async Task<T?> RunAsync<T>(Func<Task<Traced<T>>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        T? value = default;
        await RunAsync(async () =>
        {
            var traced = await action();
            value = traced.Value;
            return traced.Trace;
        });
        return value;
    }

    /// <summary>
    /// Refuses to act on a number field that holds text it could not convert: MudBlazor shows "Not a valid number" but
    /// keeps a stale value, which would otherwise be sent as if the learner had typed it. Call it inside the action.
    /// </summary>
    public static void RequireNumber<T>(MudBlazor.MudFormComponent<T, string>? field, string what)
    {
        if (field is { ConversionError: true })
        {
            throw new LearnerInputException($"The {what} is not a valid number, so nothing was done.");
        }
    }

    /// <summary>
    /// <see cref="RequireNumber{T}(MudBlazor.MudFormComponent{T, string}?, string)"/> for a field whose 0 is a good value
    /// (a spacing of 0 ms): an <c>int</c> field reads an emptied box as 0 and would run at once, so such a field is
    /// nullable, and empty is refused with its own message. Returns the number. A whole number beyond the type that a
    /// <see cref="WholeNumberConverter"/> field was given (99999999999) comes back as the type's largest or smallest
    /// value: every caller checks its range next, so the learner reads that range ("must be between 1 and 200"), not
    /// "not a valid number".
    /// </summary>
    public static T RequireNumber<T>(MudBlazor.MudFormComponent<T?, string>? field, T? value, string what)
        where T : struct, System.Numerics.IMinMaxValue<T>
    {
        switch (field)
        {
            case { ConversionError: true, ConversionErrorMessage: WholeNumberConverter.TooLarge }:
                return T.MaxValue;
            case { ConversionError: true, ConversionErrorMessage: WholeNumberConverter.TooSmall }:
                return T.MinValue;
        }

        RequireNumber(field, what);
        return value ?? throw new LearnerInputException($"The {what} is empty: type a number. Nothing was done.");
    }

    /// <summary>
    /// <see cref="RequireNumber{T}(MudBlazor.MudFormComponent{T?, string}?, T?, string)"/> with the field's range, for a
    /// nullable field (a whole-number one with <see cref="WholeNumberConverter"/>): whatever is wrong with it (empty,
    /// text, 1.5 in a whole-number field, 99999999999, NaN or infinity, a number just outside) the message names the
    /// range, e.g. "The number of keys must be a whole number between 50 and 3,000." Returns the number when it is in
    /// [<paramref name="min"/>, <paramref name="max"/>]; <paramref name="unit"/> follows the range (" KB").
    /// </summary>
    public static T RequireNumber<T>(MudBlazor.MudFormComponent<T?, string>? field, T? value, string what, T min, T max, string unit = "")
        where T : struct, System.Numerics.INumber<T>
    {
        var kind = typeof(T) == typeof(double) || typeof(T) == typeof(decimal) || typeof(T) == typeof(float) ? "a number" : "a whole number";
        var range = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{kind} between {min:#,0.##} and {max:#,0.##}{unit}");
        switch (field)
        {
            case { ConversionError: true, ConversionErrorMessage: WholeNumberConverter.TooLarge or WholeNumberConverter.TooSmall }:
                throw new LearnerInputException($"The {what} must be {range}. Nothing was done.");
            case { ConversionError: true, ConversionErrorMessage: DecimalNumberConverter.Comma }:
                throw new LearnerInputException($"The {what} has a comma: write decimals with a point (24.50) and type {range}. Nothing was done.");
            case { ConversionError: true }:
                throw new LearnerInputException($"The {what} is not a valid number: type {range}. Nothing was done.");
        }

        var number = value ?? throw new LearnerInputException($"The {what} is empty: type {range}. Nothing was done.");

        // NaN and the infinities fail both comparisons, so they are refused here too.
        return number >= min && number <= max ? number : throw new LearnerInputException($"The {what} must be {range}. Nothing was done.");
    }

    /// <summary>
    /// The learner-facing message for an exception, or null for one that is a bug: that one reaches the error
    /// boundary and the log instead of hiding behind a friendly sentence. Only learner input, the eviction sandbox's
    /// two expected states, Redis being unavailable (<see cref="RedisFailures.IsUnavailable"/>) and Redis refusing a
    /// command are expected.
    /// </summary>
    public static string? Describe(Exception ex) => ex switch
    {
        LearnerInputException input => StripParameterName(input.Message),
        EvictionLabBusyException or EvictionSandboxUnavailableException or BlazorRedis.Core.ClusterLab.ClusterSandboxUnavailableException or BudgetExceededException or LabDatabaseDownException => ex.Message,
        RedisTimeoutException => "Redis did not answer in time, so the command may or may not have run. Is it overloaded or unreachable? Try again in a moment.",
        RedisConnectionException => "Redis is unavailable right now, so nothing was changed. The dashboard reconnects by itself.",
        RedisServerException when RedisFailures.IsUnavailable(ex) => "Redis is not ready yet (it is still loading its data after a restart), so nothing was changed. Try again in a moment.",
        RedisServerException server => "Redis refused the command: " + server.Message,
        TimeoutException => "The operation timed out: what was already sent may or may not have run, and nothing more was sent.",
        OperationCanceledException => "Stopped.",
        _ => null,
    };

    private static string StripParameterName(string message)
    {
        var at = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return at < 0 ? message : message[..at];
    }
}
