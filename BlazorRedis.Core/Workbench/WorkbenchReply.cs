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

    /// <summary>A message Redis pushed to a subscription (no line was typed for it).</summary>
    public bool IsPush { get; init; }
}

/// <summary>Help while a learner types: the command's docs, names that complete the first word, and why it would be refused.</summary>
/// <param name="Doc">The help of the command typed (null while the first word matches none).</param>
/// <param name="Completions">Commands the workbench runs whose names start with the first word, while it is being typed.</param>
/// <param name="Refusal">Why the workbench would refuse the command, before it is sent.</param>
/// <param name="Note">How the workbench runs it, where that differs from redis-cli (a blocking command's cap).</param>
public sealed record WorkbenchHint(CommandDoc? Doc, IReadOnlyList<string> Completions, string? Refusal, string? Note = null);
