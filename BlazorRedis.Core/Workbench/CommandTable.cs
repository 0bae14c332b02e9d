using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace BlazorRedis.Core.Workbench;

/// <summary>
/// The commands of the connected server, read once per connection from <c>COMMAND</c> (the same reply as
/// <c>COMMAND INFO</c> for every command): their arity, flags and Redis 7 key specs. Key positions therefore come
/// from the server itself, not from a table typed by hand, and a newer server's commands are described by that server.
/// </summary>
public sealed class CommandTable
{
    private static readonly ConditionalWeakTable<IConnectionMultiplexer, Task<CommandTable>> Cache = [];

    private readonly Dictionary<string, CommandSpec> _commands;

    private CommandTable(Dictionary<string, CommandSpec> commands) => _commands = commands;

    /// <summary>Every top-level command by lower-case name.</summary>
    public IReadOnlyDictionary<string, CommandSpec> Commands => _commands;

    /// <summary>The table of <paramref name="mux"/>'s server, read on first use and kept as long as the multiplexer lives.</summary>
    public static Task<CommandTable> ForAsync(IConnectionMultiplexer mux)
    {
        ArgumentNullException.ThrowIfNull(mux);
        var task = Cache.GetValue(mux, m => LoadAsync(m.GetDatabase()));
        if (task.IsFaulted || task.IsCanceled)
        {
            // A failed read (Redis down at the time) is not kept: the next call tries again.
            Cache.Remove(mux);
            task = Cache.GetValue(mux, m => LoadAsync(m.GetDatabase()));
        }

        return task;
    }

    /// <summary>Reads the table with one <c>COMMAND</c>.</summary>
    public static async Task<CommandTable> LoadAsync(IDatabaseAsync db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var reply = await db.ExecuteAsync("COMMAND").ConfigureAwait(false);
        var commands = new Dictionary<string, CommandSpec>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in (RedisResult[])reply!)
        {
            var spec = ParseCommand(entry);
            commands[spec.Name] = spec;
        }

        return new CommandTable(commands);
    }

    /// <summary>
    /// The spec <paramref name="args"/> run: for a container command (OBJECT, XINFO, MEMORY…) the subcommand named by the
    /// second argument. Null for an unknown command or subcommand.
    /// </summary>
    public CommandSpec? Find(IReadOnlyList<byte[]> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0 || !_commands.TryGetValue(System.Text.Encoding.UTF8.GetString(args[0]), out var command))
        {
            return null;
        }

        if (command.Subcommands.Count == 0)
        {
            return command;
        }

        if (args.Count < 2)
        {
            return command;
        }

        var sub = command.Name + "|" + System.Text.Encoding.UTF8.GetString(args[1]).ToLowerInvariant();
        return command.Subcommands.TryGetValue(sub, out var found) ? found : null;
    }

    private static CommandSpec ParseCommand(RedisResult entry)
    {
        var parts = (RedisResult[])entry!;
        var name = ((string)parts[0]!).ToLowerInvariant();
        var arity = (int)parts[1];
        var flags = new HashSet<string>(((RedisResult[])parts[2]!).Select(f => ((string)f!).ToLowerInvariant()), StringComparer.Ordinal);
        var keySpecs = parts.Length > 8 ? ((RedisResult[])parts[8]!).Select(ParseKeySpec).ToList() : [];
        var subcommands = new Dictionary<string, CommandSpec>(StringComparer.OrdinalIgnoreCase);
        if (parts.Length > 9 && !parts[9].IsNull)
        {
            foreach (var sub in (RedisResult[])parts[9]!)
            {
                var spec = ParseCommand(sub);
                subcommands[spec.Name] = spec;
            }
        }

        var categories = parts.Length > 6 && parts[6].Resp2Type == ResultType.Array
            ? new HashSet<string>(((RedisResult[])parts[6]!).Select(c => ((string)c!).TrimStart('@').ToLowerInvariant()), StringComparer.Ordinal)
            : [];
        return new CommandSpec(name, arity, flags, keySpecs, subcommands) { Categories = categories };
    }

    private static KeySpec ParseKeySpec(RedisResult raw)
    {
        var map = Pairs(raw);
        var flags = ((RedisResult[])map["flags"]!).Select(f => (string)f!).ToList();
        var begin = Pairs(map["begin_search"]);
        var find = Pairs(map["find_keys"]);
        var beginType = (string)begin["type"]!;
        var findType = (string)find["type"]!;
        var complete = beginType is "index" or "keyword" && findType is "range" or "keynum"
            && !flags.Contains("incomplete", StringComparer.OrdinalIgnoreCase);
        var beginSpec = beginType is "index" or "keyword" ? Pairs(begin["spec"]) : [];
        var findSpec = findType is "range" or "keynum" ? Pairs(find["spec"]) : [];
        int Int(Dictionary<string, RedisResult> m, string key) => m.TryGetValue(key, out var v) ? (int)v : 0;
        return new KeySpec(
            Index: beginType == "index" ? Int(beginSpec, "index") : 0,
            Keyword: beginType == "keyword" ? (string)beginSpec["keyword"]! : null,
            StartFrom: Int(beginSpec, "startfrom"),
            IsRange: findType == "range",
            LastKey: Int(findSpec, "lastkey"),
            Step: Int(findSpec, "keystep"),
            Limit: Int(findSpec, "limit"),
            KeyNumIndex: Int(findSpec, "keynumidx"),
            FirstKey: Int(findSpec, "firstkey"),
            IsComplete: complete,
            Flags: flags);
    }

    // A flat [name, value, name, value…] array (RESP2) or a map (RESP3) as a dictionary.
    private static Dictionary<string, RedisResult> Pairs(RedisResult raw)
    {
        var items = (RedisResult[])raw!;
        var map = new Dictionary<string, RedisResult>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < items.Length; i += 2)
        {
            map[(string)items[i]!] = items[i + 1];
        }

        return map;
    }
}
