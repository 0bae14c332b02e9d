using System.Text;
using BlazorRedis.Core.Keys;

namespace BlazorRedis.Core.Workbench;

/// <summary>
/// Moves the keys of a learner's command into their own space: <c>GET user:1</c> runs as
/// <c>GET br:learner:{id}:wb:user:1</c>. Key positions come from the server's key specs (<see cref="CommandSpec.KeyPositions"/>),
/// so this is one mechanism for every command. An unknown command, a wrong arity or keys that cannot be located are
/// answered as Redis would answer, and nothing is sent.
/// </summary>
/// <remarks>
/// This is only the key half of the workbench's isolation: commands that reach keys without naming them (KEYS, SCAN,
/// FLUSHDB, RANDOMKEY, SORT … BY/GET) must be refused or emulated by the allow-list before a line is sent.
/// </remarks>
public static class WorkbenchKeyRewriter
{
    /// <summary>The area of a learner's keyspace the workbench owns.</summary>
    public const string Area = "wb";

    /// <summary>The prefix of <paramref name="keys"/>'s workbench keys: <c>br:learner:{id}:wb:</c>.</summary>
    public static string PrefixOf(LearnerKeyspace keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return keys.AreaPrefix(Area);
    }

    /// <summary>Finds the command of <paramref name="args"/>, checks its arity and prefixes its keys.</summary>
    /// <exception cref="LearnerInputException">Unknown command, wrong arity, or keys that cannot be located; the message is Redis's.</exception>
    public static WorkbenchCommand Rewrite(CommandTable table, LearnerKeyspace keys, IReadOnlyList<byte[]> args)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0)
        {
            throw new LearnerInputException("ERR empty command");
        }

        var name = Encoding.UTF8.GetString(args[0]);
        var spec = table.Find(args);
        if (spec is null)
        {
            if (args.Count > 1 && table.Commands.TryGetValue(name, out var container))
            {
                throw new LearnerInputException($"ERR unknown subcommand '{Shorten(args[1])}'. Try {container.Name.ToUpperInvariant()} HELP.");
            }

            var start = string.Concat(args.Skip(1).Select(a => $"'{Shorten(a)}' "));
            throw new LearnerInputException($"ERR unknown command '{Shorten(args[0])}', with args beginning with: {start}");
        }

        if (!spec.AcceptsArgumentCount(args.Count))
        {
            throw new LearnerInputException($"ERR wrong number of arguments for '{spec.Name}' command");
        }

        if (spec.RepeatedKeyword(args) is { } repeated)
        {
            throw new LearnerInputException($"ERR the workbench does not send '{spec.Name}' with {repeated.ToUpperInvariant()} more than once: Redis would use a key the workbench cannot move into your space. Give {repeated.ToUpperInvariant()} once.");
        }

        // SORT's key specs are "unknown" (BY, GET and STORE may name keys); without them its one key is the first.
        var positions = spec.KeyPositions(args)
            ?? (spec.Name is "sort" or "sort_ro" && WorkbenchPolicy.SortOptions(args) == (false, false) ? new[] { 1 } : null)
            ?? throw new LearnerInputException($"ERR the workbench cannot tell which arguments of '{spec.Name}' are keys, so it does not send it.");
        var prefix = Encoding.UTF8.GetBytes(PrefixOf(keys));
        var sent = args.ToArray();
        foreach (var i in positions)
        {
            sent[i] = [.. prefix, .. args[i]];
        }

        return new WorkbenchCommand(spec, sent, positions);
    }

    /// <summary>The learner's name of <paramref name="key"/>, or null when it is not one of theirs (it must then not be shown).</summary>
    public static byte[]? Unprefix(LearnerKeyspace keys, ReadOnlySpan<byte> key)
    {
        var prefix = Encoding.UTF8.GetBytes(PrefixOf(keys));
        return key.StartsWith(prefix) ? key[prefix.Length..].ToArray() : null;
    }

    // Redis quotes at most 128 bytes of an argument in an error.
    private static string Shorten(byte[] arg) => Encoding.UTF8.GetString(arg.AsSpan(0, Math.Min(arg.Length, 128)));
}
