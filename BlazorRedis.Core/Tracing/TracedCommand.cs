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
    /// How many calls, one after another, this row stands for: 1, or more for the steps of a SCAN walk folded into one
    /// row (<see cref="Text"/> and <see cref="CSharp"/> are then the first call's; <see cref="Elapsed"/> and
    /// <see cref="Wire"/> are every call's, added up and in order).
    /// </summary>
    public int Calls { get; init; } = 1;

    /// <summary>
    /// The profiled round trip of a single wire command; for calls folded into one row, their profiled round trips
    /// added (they ran one after another); for a step that sent several at once (pipelined, so their round trips
    /// overlap) or none, the wall time of the whole step. Adding overlapping round trips would overstate it.
    /// </summary>
    public TimeSpan RoundTrip => Calls > 1 && Wire.Count == Calls
        ? TimeSpan.FromTicks(Wire.Sum(w => w.RoundTrip.Ticks))
        : Wire.Count == 1 ? Wire[0].RoundTrip : Elapsed;
}
