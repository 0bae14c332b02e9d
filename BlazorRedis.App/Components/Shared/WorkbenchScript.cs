using BlazorRedis.Core.Tracing;

namespace BlazorRedis.App.Components.Shared;

/// <summary>
/// Turns what a demo button ran into a workbench script in the learner's own names: the app's prefix and the learner's
/// prefix are taken off every key, so the commands replay on copies in the learner's workbench space (the demo's own keys
/// are never touched from there). Lua scripts, which the workbench does not run, and arguments the trace shortened stay
/// in the script as comments, so the learner sees them and can edit them.
/// </summary>
public static class WorkbenchScript
{
    /// <summary>The most commands one script carries (the workbench runs at most 100 lines).</summary>
    public const int MaxCommands = 60;

    private static readonly HashSet<string> Scripts = new(StringComparer.OrdinalIgnoreCase) { "EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO" };

    /// <summary>The script for <paramref name="trace"/>.</summary>
    public static string FromTrace(OperationTrace trace, string appPrefix, string learnerPrefix)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var lines = new List<string> { $"# From \"{OneLine(trace.Operation)}\", on copies in your workbench" };
        foreach (var command in trace.Commands.Take(MaxCommands))
        {
            var text = OneLine(command.Text).Replace(learnerPrefix, "", StringComparison.Ordinal).Replace(appPrefix, "", StringComparison.Ordinal);
            var verb = text.Split(' ', 2)[0];
            lines.Add(Scripts.Contains(verb) ? $"# a Lua script, which the workbench does not run: {Shorten(text)}"
                : text.Contains('…', StringComparison.Ordinal) ? $"# shortened in the trace; edit it to run it: {text}"
                : text);
        }

        if (trace.Commands.Count > MaxCommands)
        {
            lines.Add($"# … and {trace.Commands.Count - MaxCommands} more commands");
        }

        return string.Join('\n', lines);
    }

    /// <summary>The workbench link that loads <paramref name="script"/> (one command per line) into the console.</summary>
    public static string Link(string script) => "/workbench?script=" + Uri.EscapeDataString(script);

    /// <summary>The workbench link that loads the script of <paramref name="trace"/>.</summary>
    public static string Link(OperationTrace trace, string appPrefix, string learnerPrefix) => Link(FromTrace(trace, appPrefix, learnerPrefix));

    private static string OneLine(string text) => text.Replace('\r', ' ').Replace('\n', ' ');

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "…";
}
