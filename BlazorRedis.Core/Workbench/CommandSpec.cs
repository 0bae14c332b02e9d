namespace BlazorRedis.Core.Workbench;

/// <summary>One command (or subcommand, named <c>object|encoding</c>) as the connected server describes it.</summary>
/// <param name="Name">The lower-case name Redis reports.</param>
/// <param name="Arity">Redis's arity: n exactly n arguments (the name counted), -n at least n.</param>
/// <param name="Flags">The command's flags (write, readonly, blocking, admin, noscript, movablekeys, …).</param>
/// <param name="KeySpecs">Where its keys are.</param>
/// <param name="Subcommands">For a container such as OBJECT or XINFO, its subcommands by lower-case name.</param>
public sealed record CommandSpec(
    string Name,
    int Arity,
    IReadOnlySet<string> Flags,
    IReadOnlyList<KeySpec> KeySpecs,
    IReadOnlyDictionary<string, CommandSpec> Subcommands)
{
    /// <summary>The command's ACL categories without the <c>@</c> (string, list, keyspace, dangerous, …).</summary>
    public IReadOnlySet<string> Categories { get; init; } = new HashSet<string>();

    /// <summary>Whether <paramref name="argumentCount"/> arguments (the name counted) suit the arity, as Redis checks it before running.</summary>
    public bool AcceptsArgumentCount(int argumentCount) =>
        Arity >= 0 ? argumentCount == Arity : argumentCount >= -Arity;

    /// <summary>
    /// The positions of the keys in <paramref name="args"/> (the name at 0), found with the key specs the way Redis
    /// finds them (<c>getKeysUsingKeySpecs</c>); null when a spec is unknown, incomplete or does not fit the arguments,
    /// so the caller must refuse rather than guess.
    /// </summary>
    public IReadOnlyList<int>? KeyPositions(IReadOnlyList<byte[]> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var argc = args.Count;
        var positions = new SortedSet<int>();
        foreach (var spec in KeySpecs)
        {
            if (!spec.IsComplete)
            {
                return null;
            }

            int first;
            if (spec.Keyword is null)
            {
                first = spec.Index;
            }
            else
            {
                first = FindKeyword(args, spec.Keyword, spec.StartFrom);
                if (first < 0)
                {
                    // Redis skips a spec whose keyword is absent (XREAD without STREAMS fails on its own syntax).
                    continue;
                }
            }

            int last;
            int step;
            if (spec.IsRange)
            {
                step = spec.Step;
                if (spec.LastKey >= 0)
                {
                    last = first + spec.LastKey;
                }
                else if (spec.Limit <= 1)
                {
                    last = argc + spec.LastKey;
                }
                else
                {
                    last = first + ((argc - first) / spec.Limit) + spec.LastKey;
                }
            }
            else
            {
                var countAt = first + spec.KeyNumIndex;
                if (countAt >= argc || !long.TryParse(System.Text.Encoding.ASCII.GetString(args[countAt]), out var count) || count < 0 || count > argc)
                {
                    return null;
                }

                first += spec.FirstKey;
                step = spec.Step;
                last = first + (((int)count - 1) * step);
            }

            if (step <= 0)
            {
                return null;
            }

            for (var i = first; i <= last; i += step)
            {
                if (i >= argc || i < 1)
                {
                    // Too few arguments for the spec: Redis answers with an arity or syntax error, but only a
                    // variadic command gets that far, so refuse rather than send a line whose keys are unknown.
                    return null;
                }

                positions.Add(i);
            }
        }

        return [.. positions];
    }

    /// <summary>
    /// The keyword of a key spec that <paramref name="args"/> give more than once (<c>GEORADIUS … STORE a STORE b</c>),
    /// or null. The key specs name only the key after the first, while the command itself may use another (GEORADIUS
    /// keeps the last STORE), so such a line must be refused: a key it writes would not be moved into the learner's space.
    /// </summary>
    public string? RepeatedKeyword(IReadOnlyList<byte[]> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        foreach (var spec in KeySpecs)
        {
            if (spec.Keyword is { } keyword && FindKeyword(args, keyword, spec.StartFrom) is var first and > 0
                && FindKeyword(args, keyword, spec.StartFrom, first - 1) > 0)
            {
                return keyword;
            }
        }

        return null;
    }

    // Redis's loop (db.c): from startfrom towards the end (exclusive), or from the right towards position 0; a match
    // at position skip does not count.
    private static int FindKeyword(IReadOnlyList<byte[]> args, string keyword, int startFrom, int skip = -1)
    {
        var argc = args.Count;
        var start = startFrom > 0 ? startFrom : argc + startFrom;
        var end = startFrom > 0 ? argc - 1 : 0;
        for (var i = start; i != end; i += start <= end ? 1 : -1)
        {
            if (i >= argc || i < 1)
            {
                return -1;
            }

            if (i != skip && string.Equals(System.Text.Encoding.UTF8.GetString(args[i]), keyword, StringComparison.OrdinalIgnoreCase))
            {
                return i + 1;
            }
        }

        return -1;
    }
}
