namespace BlazorRedis.Core.Tracing;

/// <summary>One command as a learner should read it, with what the client actually sent and how long it took.</summary>
/// <param name="Text">The command as redis-cli would show it, e.g. <c>SET br:x "hello" EX 60</c>.</param>
/// <param name="CSharp">The StackExchange.Redis call that issued it.</param>
/// <param name="Elapsed">Wall time of the call as the app saw it.</param>
/// <param name="Wire">The commands the client put on the wire (from StackExchange.Redis profiling), with their round trips.</param>
/// <param name="Result">A short summary of the reply, e.g. <c>OK</c>, <c>(nil)</c>, <c>(integer) 3</c>.</param>
/// <param name="Failed">True when Redis (or the connection) returned an error.</param>
public sealed record TracedCommand(string Text, string CSharp, TimeSpan Elapsed, IReadOnlyList<WireCommand> Wire, string Result, bool Failed = false)
{
    /// <summary>
    /// The profiled round trip of a single wire command; for a step that sent several (pipelined, so their round
    /// trips overlap) or none, the wall time of the whole step. Adding overlapping round trips would overstate it.
    /// </summary>
    public TimeSpan RoundTrip => Wire.Count == 1 ? Wire[0].RoundTrip : Elapsed;
}

/// <summary>A command as StackExchange.Redis profiled it.</summary>
/// <param name="Name">The Redis command name, e.g. <c>SET</c> or <c>EVALSHA</c>.</param>
/// <param name="RoundTrip">From creation to completion of the command in the client.</param>
public sealed record WireCommand(string Name, TimeSpan RoundTrip);

/// <summary>All commands one user action ran, in order.</summary>
public sealed record OperationTrace(string Operation, IReadOnlyList<TracedCommand> Commands, TimeSpan Total, DateTimeOffset StartedAt)
{
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
        return new OperationTrace(
            operation,
            list.SelectMany(t => t.Commands).ToList(),
            TimeSpan.FromTicks(list.Sum(t => t.Total.Ticks)),
            list.Count == 0 ? DateTimeOffset.UtcNow : list.Min(t => t.StartedAt));
    }
}

/// <summary>A result together with the commands that produced it.</summary>
public sealed record Traced<T>(T Value, OperationTrace Trace);
