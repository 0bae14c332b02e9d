using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Workbench;

/// <summary>What the console prints for one line.</summary>
/// <param name="Line">The line as the learner typed it.</param>
/// <param name="Text">The reply as redis-cli prints it (<c>(integer) 1</c>, <c>(error) …</c>, numbered arrays).</param>
/// <param name="IsError">True for an error reply, a refusal or a line that could not be parsed.</param>
/// <param name="RoundTrip">The round trip of the command(s) sent; null when nothing was sent.</param>
/// <param name="Trace">The commands as they were sent (in the prefixed names) with their C#; empty when nothing was sent.</param>
public sealed record WorkbenchReply(string Line, string Text, bool IsError, TimeSpan? RoundTrip, OperationTrace Trace)
{
    /// <summary>True when at least one command reached Redis for this line.</summary>
    public bool Sent => Trace.Commands.Count > 0;
}
