using BlazorRedis.Core.Text;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.App.Components.Shared;

/// <summary>What a failed action shows: its own trace and a message that is true about what it changed.</summary>
public abstract partial class TracedComponentBase
{
    private const string NothingChanged = "so nothing was changed";

    /// <summary>
    /// Shows a failed action's own trace (the commands that ran and the failed one's "(error)" row) instead of the
    /// previous action's, when it ran any; an action refused before it sent anything (bad input) keeps the last trace.
    /// The message says "nothing was changed" only when no command had run before the failure.
    /// </summary>
    protected void ShowFailure(string message, TraceCapture capture)
    {
        ArgumentNullException.ThrowIfNull(capture);
        var failed = capture.Trace();
        if (failed is not null)
        {
            LastTrace = failed;
        }

        ErrorMessage = PartWay(message, failed);
    }

    /// <summary><paramref name="message"/>, with "nothing was changed" replaced by what ran when commands before the failure did.</summary>
    internal static string PartWay(string message, OperationTrace? failed)
    {
        ArgumentNullException.ThrowIfNull(message);
        var ran = failed?.Commands.Count(c => !c.Failed) ?? 0;
        return ran == 0 || !message.Contains(NothingChanged, StringComparison.Ordinal)
            ? message
            : message.Replace(NothingChanged, $"so the action stopped part-way: the {Wording.Count(ran, "command")} before the failure ran (the trace shows them) and what they wrote stays; nothing after the failure was sent", StringComparison.Ordinal);
    }

    /// <summary>
    /// The message for a multi-step story stopped at step <paramref name="failedStep"/> (1-based): the step's own message
    /// ("nothing was changed" then means that step), and which steps had already been applied.
    /// </summary>
    internal static string StoppedAtStep(string? message, int failedStep)
    {
        var own = (message ?? "").Replace(NothingChanged, $"so step {failedStep} changed nothing", StringComparison.Ordinal);
        var applied = failedStep switch
        {
            1 => "No step had been applied yet (only your keys of this demo had been deleted, as every run starts).",
            2 => "Step 1 had already been applied: what it wrote stays in Redis (the trace shows its commands).",
            _ => $"Steps 1–{failedStep - 1} had already been applied: what they wrote stays in Redis (the trace shows their commands).",
        };
        return $"{own} {applied}".Trim();
    }
}
