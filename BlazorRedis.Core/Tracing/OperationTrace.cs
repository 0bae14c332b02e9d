namespace BlazorRedis.Core.Tracing;

/// <summary>All commands one user action ran, in order.</summary>
public sealed record OperationTrace(string Operation, IReadOnlyList<TracedCommand> Commands, TimeSpan Total, DateTimeOffset StartedAt)
{
    /// <summary>Measured steps that were not Redis commands (a database load or write), in order.</summary>
    public IReadOnlyList<TraceStep> Steps { get; init; } = [];

    /// <summary>An action that ran nothing.</summary>
    public static OperationTrace Empty(string operation) => new(operation, [], TimeSpan.Zero, DateTimeOffset.UtcNow);

    /// <summary>The C# of every command, one per line, ready to copy.</summary>
    public string CSharp => string.Join(Environment.NewLine, Commands.Select(c => c.CSharp).Distinct());

    /// <summary>Every command's wire names, in order (handy for tests).</summary>
    public IEnumerable<string> WireNames => Commands.SelectMany(c => c.Wire).Select(w => w.Name);

    /// <summary>Joins traces of sub-steps into one, keeping their order.</summary>
    public static OperationTrace Combine(string operation, params IEnumerable<OperationTrace> traces)
    {
        var list = traces.ToList();
        var steps = new List<TraceStep>();
        var before = 0;
        foreach (var trace in list)
        {
            steps.AddRange(trace.Steps.Select(s => s with { AfterCommands = s.AfterCommands + before }));
            before += trace.Commands.Count;
        }

        return new OperationTrace(
            operation,
            list.SelectMany(t => t.Commands).ToList(),
            TimeSpan.FromTicks(list.Sum(t => t.Total.Ticks)),
            list.Count == 0 ? DateTimeOffset.UtcNow : list.Min(t => t.StartedAt))
        {
            Steps = steps,
        };
    }
}
