using BlazorRedis.Core.Tracing;

namespace BlazorRedis.App.Components.Shared;

/// <summary>
/// One circuit's last traced action, whichever component ran it (a lesson's Run button, a lab embedded in the lesson),
/// so a lesson's diagram can replay the path of what the learner just did. Scoped: one per browser tab.
/// </summary>
public sealed class LearnerActivity
{
    /// <summary>The last action's trace, or null before the first.</summary>
    public OperationTrace? Last { get; private set; }

    /// <summary>Raised after each action (on the circuit's thread of the component that ran it).</summary>
    public event Action<OperationTrace>? Traced;

    /// <summary>Records an action and tells the listeners.</summary>
    public void Publish(OperationTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        Last = trace;
        Traced?.Invoke(trace);
    }
}
