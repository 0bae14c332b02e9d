namespace BlazorRedis.Core.Tracing;

/// <summary>
/// Keeps every <see cref="TraceRecorder"/> started (by <see cref="RedisTracer.Start"/>) in the async flow that opened it,
/// so an action that fails part-way can still show what it ran: its traced result never comes back, but the commands
/// that ran before the failure, and the failed one's "(error)" row, are in its recorders.
/// </summary>
public sealed class TraceCapture : IDisposable
{
    private static readonly AsyncLocal<TraceCapture?> Current = new();
    private readonly TraceCapture? _outer;
    private readonly List<TraceRecorder> _recorders = [];
    private readonly Lock _lock = new();

    private TraceCapture(TraceCapture? outer) => _outer = outer;

    /// <summary>Starts capturing the recorders started from here on, in this async flow (and the tasks it starts).</summary>
    public static TraceCapture Begin() => Current.Value = new TraceCapture(Current.Value);

    /// <summary>
    /// What the captured recorders recorded so far, as one trace named after the first one, or null when they recorded
    /// nothing (the action failed before it sent a command, e.g. on bad input).
    /// </summary>
    public OperationTrace? Trace()
    {
        List<OperationTrace> traces;
        lock (_lock)
        {
            traces = _recorders.Select(r => r.Finish()).ToList();
        }

        return traces.Any(t => t.Commands.Count > 0 || t.Steps.Count > 0) ? OperationTrace.Combine(traces[0].Operation, traces) : null;
    }

    /// <summary>Stops capturing: recorders started afterwards belong to the capture that was open before this one.</summary>
    public void Dispose()
    {
        if (ReferenceEquals(Current.Value, this))
        {
            Current.Value = _outer;
        }
    }

    /// <summary>Adds <paramref name="recorder"/> to every capture open in this async flow.</summary>
    internal static void Add(TraceRecorder recorder)
    {
        for (var capture = Current.Value; capture is not null; capture = capture._outer)
        {
            lock (capture._lock)
            {
                capture._recorders.Add(recorder);
            }
        }
    }
}
