using System.Text;

namespace BlazorRedis.Core.Workbench;

/// <summary>What the workbench does with a command.</summary>
public enum WorkbenchRoute
{
    /// <summary>Sent to Redis with its keys moved into the learner's space.</summary>
    Send,

    /// <summary>Answered by the workbench over the learner's keys only (KEYS, DBSIZE, SCAN, RANDOMKEY, FLUSHDB, INFO).</summary>
    Emulate,

    /// <summary>MULTI, EXEC, DISCARD, WATCH, UNWATCH: kept in the learner's session.</summary>
    Transaction,

    /// <summary>Not sent; the reason says why.</summary>
    Refuse,

    /// <summary>A blocking command: sent on a connection of its own (<see cref="BlockingConnections"/>), with its timeout capped.</summary>
    Block,
}

/// <summary>The route of one command and, for a refusal, the error the console prints.</summary>
public sealed record WorkbenchVerdict(WorkbenchRoute Route, string? Reason = null);

/// <summary>
/// The workbench's allow-list, built from the server's own command table: a command of one of the nine data types
/// (by its ACL category) is sent unless it is administrative, dangerous, scripting or blocking; a short list of
/// generic commands is sent too; the commands that reach keys without naming them are emulated over the learner's
/// keys; everything else is refused with a reason, and a refused command never reaches Redis.
/// </summary>
public static class WorkbenchPolicy
{
    /// <summary>The ACL categories of the nine types the lessons teach.</summary>
    public static readonly IReadOnlySet<string> DataTypeCategories = new HashSet<string>(StringComparer.Ordinal)
    {
        "string", "list", "hash", "set", "sortedset", "bitmap", "hyperloglog", "geo", "stream",
    };

    /// <summary>Generic commands sent as they are (their keys are moved like any other).</summary>
    public static readonly IReadOnlySet<string> Generic = new HashSet<string>(StringComparer.Ordinal)
    {
        "del", "unlink", "exists", "expire", "pexpire", "expireat", "pexpireat", "expiretime", "pexpiretime",
        "ttl", "pttl", "persist", "type", "rename", "renamenx", "copy", "touch",
        "object|encoding", "object|freq", "object|idletime", "object|refcount", "object|help",
        "memory|usage", "ping", "echo", "time", "publish",
        "command|docs", "command|info", "command|count",
    };

    /// <summary>
    /// Commands the workbench answers itself, over the learner's keys only (CLUSTER KEYSLOT, a pure function of its
    /// argument, on the name as typed).
    /// </summary>
    public static readonly IReadOnlySet<string> Emulated = new HashSet<string>(StringComparer.Ordinal)
    {
        "keys", "dbsize", "scan", "randomkey", "flushdb", "info", "cluster|keyslot",
        "subscribe", "psubscribe", "unsubscribe", "punsubscribe",
    };

    /// <summary>The transaction commands the session handles.</summary>
    public static readonly IReadOnlySet<string> TransactionCommands = new HashSet<string>(StringComparer.Ordinal)
    {
        "multi", "exec", "discard", "watch", "unwatch",
    };

    private static readonly Dictionary<string, string> Reasons = new(StringComparer.Ordinal)
    {
        ["flushall"] = "it would delete every learner's keys. FLUSHDB deletes only yours",
        ["select"] = "each learner has one database of their own in the workbench",
        ["swapdb"] = "each learner has one database of their own in the workbench",
        ["move"] = "each learner has one database of their own in the workbench",
        ["restore"] = "it writes a serialized value the workbench cannot check",
        ["dump"] = "its serialized values are for RESTORE, which the workbench does not run",
        ["ssubscribe"] = "use SUBSCRIBE; the workbench has no shard channels",
        ["sunsubscribe"] = "use UNSUBSCRIBE; the workbench has no shard channels",
        ["spublish"] = "use PUBLISH; the workbench has no shard channels",
        ["pubsub"] = "it lists every learner's channels",
        ["monitor"] = "it shows every learner's commands",
    };

    // Refused by name, whatever the server's command table says of them.
    private static readonly HashSet<string> AdminCommands = new(StringComparer.Ordinal)
    {
        "config", "debug", "shutdown", "client", "cluster", "acl", "module", "save", "bgsave", "bgrewriteaof", "replicaof",
        "slaveof", "migrate", "failover", "lastsave", "latency", "slowlog",
    };

    private static readonly HashSet<string> ScriptCommands = new(StringComparer.Ordinal)
    {
        "eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro", "function", "script",
    };

    private const string AdminReason = "it administers the server, which every learner shares";

    private const string ScriptReason = "scripts reach keys the workbench cannot see, so it does not run them";

    /// <summary>
    /// Why the workbench refuses the command <paramref name="name"/> (its first word, any case) on any server, or null
    /// when only the server's command table can tell. For checking lessons without a Redis to ask.
    /// </summary>
    public static string? StaticRefusal(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var top = name.ToLowerInvariant();
        return Reasons.TryGetValue(top, out var reason) ? reason
            : AdminCommands.Contains(top) ? AdminReason
            : ScriptCommands.Contains(top) ? ScriptReason
            : null;
    }

    /// <summary>The blocking commands the workbench runs on a connection of their own.</summary>
    public static readonly IReadOnlySet<string> Blockable = new HashSet<string>(StringComparer.Ordinal)
    {
        "blpop", "brpop", "blmove", "brpoplpush", "blmpop", "bzpopmin", "bzpopmax", "bzmpop", "xread", "xreadgroup",
    };

    /// <summary>Why a blocking command is refused where it cannot have a connection of its own.</summary>
    public const string BlockingReason = "a blocking command would hold the connection every learner shares. Use the non-blocking form (LPOP, XREAD without BLOCK …)";

    /// <summary>How <paramref name="spec"/> (found for <paramref name="args"/>) is handled.</summary>
    public static WorkbenchVerdict Classify(CommandSpec spec, IReadOnlyList<byte[]> args)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(args);
        var name = spec.Name;
        var top = name.Split('|')[0];
        if (TransactionCommands.Contains(name))
        {
            return new(WorkbenchRoute.Transaction);
        }

        if (Emulated.Contains(name))
        {
            return new(WorkbenchRoute.Emulate);
        }

        if (top is "sort" or "sort_ro")
        {
            var (pattern, store) = SortOptions(args);
            return pattern ? Refuse(name + " … by/get", SortPatternReason)
                : store ? Refuse(name + " … store", SortStoreReason)
                : new(WorkbenchRoute.Send);
        }

        if (Reasons.TryGetValue(top, out var reason))
        {
            return Refuse(name, reason);
        }

        if (spec.Flags.Contains("admin") || spec.Categories.Contains("admin") || AdminCommands.Contains(top))
        {
            return Refuse(name, AdminReason);
        }

        if (spec.Categories.Contains("scripting") || ScriptCommands.Contains(top))
        {
            return Refuse(name, ScriptReason);
        }

        if (spec.Flags.Contains("blocking") || spec.Categories.Contains("blocking") || top is "wait" or "waitaof")
        {
            // XREAD and XREADGROUP only block with BLOCK; without it they are plain reads.
            if (top is "xread" or "xreadgroup" && !HasWord(args, "BLOCK"))
            {
                return new(WorkbenchRoute.Send);
            }

            if (Blockable.Contains(top))
            {
                return new(WorkbenchRoute.Block);
            }

            return Refuse(name, BlockingReason);
        }

        if (top == "copy" && HasWord(args, "DB"))
        {
            return Refuse("copy … db", "each learner has one database of their own in the workbench");
        }

        if (Generic.Contains(name))
        {
            return new(WorkbenchRoute.Send);
        }

        if (spec.Categories.Contains("dangerous"))
        {
            return Refuse(name, "Redis marks it dangerous on a shared server");
        }

        if (spec.Categories.Overlaps(DataTypeCategories))
        {
            return new(WorkbenchRoute.Send);
        }

        if (spec.Categories.Contains("connection") || spec.Categories.Contains("pubsub"))
        {
            return Refuse(name, "it changes the connection every learner shares");
        }

        return Refuse(name, "it is not on the workbench's list of commands for learners");
    }

    private const string SortPatternReason =
        "BY and GET read keys named by a pattern over the elements, which the workbench cannot move into your space. SORT and SORT_RO without BY or GET sort the key itself (with LIMIT, ASC/DESC and ALPHA)";

    private const string SortStoreReason =
        "the workbench cannot count the key STORE would write against your memory. Sort without STORE, then keep the result with RPUSH";

    /// <summary>
    /// What a SORT or SORT_RO line asks beyond sorting its key, read as Redis reads its options (LIMIT takes two
    /// arguments, BY, GET and STORE one): a BY or GET pattern, or a STORE destination.
    /// </summary>
    public static (bool Pattern, bool Store) SortOptions(IReadOnlyList<byte[]> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var (pattern, store) = (false, false);
        for (var i = 2; i < args.Count; i++)
        {
            switch (Encoding.ASCII.GetString(args[i]).ToUpperInvariant())
            {
                case "LIMIT":
                    i += 2;
                    break;
                case "BY" or "GET":
                    pattern = true;
                    i++;
                    break;
                case "STORE":
                    store = true;
                    i++;
                    break;
            }
        }

        return (pattern, store);
    }

    /// <summary>The error of a refusal, in the words of Redis's own ACL refusal.</summary>
    public static WorkbenchVerdict Refuse(string name, string reason) =>
        new(WorkbenchRoute.Refuse, $"NOPERM the workbench does not run '{name}': {reason}.");

    /// <summary>True when an argument after the name is <paramref name="word"/> (any case).</summary>
    public static bool HasWord(IReadOnlyList<byte[]> args, string word)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (var i = 1; i < args.Count; i++)
        {
            if (args[i].Length == word.Length && string.Equals(Encoding.ASCII.GetString(args[i]), word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
