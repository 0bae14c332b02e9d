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

    private static readonly HashSet<string> Watches = new(StringComparer.OrdinalIgnoreCase) { "WATCH", "UNWATCH" };

    /// <summary>
    /// The script for <paramref name="trace"/>. A row of several lines (a capped demo write: WATCH, the count, MULTI, the
    /// write, EXEC) gives a line each; its WATCH stays as a comment, since the workbench shares one connection and does
    /// not run WATCH, while MULTI … EXEC still replays the write as one transaction.
    /// </summary>
    public static string FromTrace(OperationTrace trace, string appPrefix, string learnerPrefix)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var body = new List<string>();
        foreach (var command in trace.Commands)
        {
            foreach (var line in command.Text.Replace("\r", "", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var text = line.Replace(learnerPrefix, "", StringComparison.Ordinal).Replace(appPrefix, "", StringComparison.Ordinal);
                var verb = text.Split(' ', 2)[0];
                body.Add(Scripts.Contains(verb) ? $"# a Lua script, which the workbench does not run: {Shorten(text)}"
                    : Watches.Contains(verb) ? $"# {text}: the workbench does not run WATCH (its connection is shared); MULTI … EXEC below still runs as one transaction"
                    : text.Contains('…', StringComparison.Ordinal) ? $"# shortened in the trace; edit it to run it: {text}"
                    : text);
            }
        }

        var lines = new List<string> { $"# From \"{OneLine(trace.Operation)}\", on copies in your workbench" };
        lines.AddRange(body.Take(MaxCommands));
        if (body.Count > MaxCommands)
        {
            lines.Add($"# … and {body.Count - MaxCommands} more commands");
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
