namespace BlazorRedis.Core.Workbench;

/// <summary>A learner's line made ready to send: every key moved under the learner's workbench prefix.</summary>
/// <param name="Spec">The command (or subcommand) the server will run.</param>
/// <param name="Arguments">The arguments as sent, the name first, keys prefixed.</param>
/// <param name="KeyPositions">Which of <paramref name="Arguments"/> are keys.</param>
public sealed record WorkbenchCommand(CommandSpec Spec, IReadOnlyList<byte[]> Arguments, IReadOnlyList<int> KeyPositions);
