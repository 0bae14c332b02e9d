using System.Runtime.CompilerServices;
using System.Text;
using StackExchange.Redis;

namespace BlazorRedis.Core.Workbench;

/// <summary>One command's help, as the connected server documents it (<c>COMMAND DOCS</c>).</summary>
/// <param name="Name">The command as a learner types it, upper case (<c>OBJECT ENCODING</c> for a subcommand).</param>
/// <param name="Syntax">Its arguments in the notation of the Redis docs: <c>key value [NX | XX] [GET]</c>.</param>
/// <param name="Summary">What it does.</param>
/// <param name="Since">The Redis version that added it.</param>
/// <param name="Complexity">Its time complexity, when documented.</param>
/// <param name="Group">Its group (string, list, generic…).</param>
public sealed record CommandDoc(string Name, string Syntax, string Summary, string? Since, string? Complexity, string? Group);

/// <summary>
/// The help of every command of the connected server, read once per connection with <c>COMMAND DOCS</c>, so the help
/// shown while a learner types is the help of the Redis they type on, in its version.
/// </summary>
public sealed class CommandDocs
{
    private static readonly ConditionalWeakTable<IConnectionMultiplexer, Task<CommandDocs>> Cache = [];

    private readonly Dictionary<string, CommandDoc> _docs;

    private CommandDocs(Dictionary<string, CommandDoc> docs) => _docs = docs;

    /// <summary>Every command and subcommand by lower-case name (<c>object|encoding</c> for a subcommand).</summary>
    public IReadOnlyDictionary<string, CommandDoc> All => _docs;

    /// <summary>The docs of <paramref name="mux"/>'s server, read on first use (a failed read is tried again next time).</summary>
    public static Task<CommandDocs> ForAsync(IConnectionMultiplexer mux)
    {
        ArgumentNullException.ThrowIfNull(mux);
        var task = Cache.GetValue(mux, m => LoadAsync(m.GetDatabase()));
        if (task.IsFaulted || task.IsCanceled)
        {
            Cache.Remove(mux);
            task = Cache.GetValue(mux, m => LoadAsync(m.GetDatabase()));
        }

        return task;
    }

    /// <summary>Reads every command's docs with one <c>COMMAND DOCS</c>.</summary>
    public static async Task<CommandDocs> LoadAsync(IDatabaseAsync db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var reply = (RedisResult[])(await db.ExecuteAsync("COMMAND", "DOCS").ConfigureAwait(false))!;
        var docs = new Dictionary<string, CommandDoc>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < reply.Length; i += 2)
        {
            Add(docs, ((string)reply[i]!).ToLowerInvariant(), reply[i + 1]);
        }

        return new CommandDocs(docs);
    }

    /// <summary>The help for a line's first word (and second, for a container such as OBJECT or XINFO).</summary>
    public CommandDoc? Find(string name, string? subcommand = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (subcommand is not null && _docs.TryGetValue(name + "|" + subcommand, out var sub))
        {
            return sub;
        }

        return _docs.TryGetValue(name, out var doc) ? doc : null;
    }

    private static void Add(Dictionary<string, CommandDoc> docs, string name, RedisResult raw)
    {
        var map = Pairs(raw);
        var args = map.TryGetValue("arguments", out var a) && !a.IsNull ? (RedisResult[])a! : [];
        var shown = name.Replace('|', ' ').ToUpperInvariant();
        docs[name] = new CommandDoc(
            shown,
            string.Join(' ', args.Select(Argument)),
            Text(map, "summary") ?? "",
            Text(map, "since"),
            Text(map, "complexity"),
            Text(map, "group"));
        if (map.TryGetValue("subcommands", out var subs) && !subs.IsNull)
        {
            var items = (RedisResult[])subs!;
            for (var i = 0; i + 1 < items.Length; i += 2)
            {
                Add(docs, ((string)items[i]!).ToLowerInvariant(), items[i + 1]);
            }
        }
    }

    // One argument in the docs' notation: a token, a name, alternatives (a | b), a block, [optional], repeated (x [x ...]).
    private static string Argument(RedisResult raw)
    {
        var map = Pairs(raw);
        var type = Text(map, "type") ?? "string";
        var token = Text(map, "token");
        var flags = map.TryGetValue("flags", out var f) && !f.IsNull ? ((RedisResult[])f!).Select(x => (string)x!).ToHashSet(StringComparer.Ordinal) : [];
        var children = map.TryGetValue("arguments", out var c) && !c.IsNull ? ((RedisResult[])c!).Select(Argument).ToList() : [];
        var body = type switch
        {
            "pure-token" => token ?? Text(map, "name") ?? "",
            "oneof" => string.Join(" | ", children),
            "block" => string.Join(' ', children),
            _ => Text(map, "display_text") ?? Text(map, "name") ?? "",
        };
        if (type is not "pure-token" && token is not null)
        {
            body = type == "oneof" ? $"{token} <{body}>" : $"{token} {body}";
        }

        if (flags.Contains("multiple"))
        {
            var again = flags.Contains("multiple_token") || token is null ? body : body[(token.Length + 1)..];
            body = $"{body} [{again} ...]";
        }

        var sb = new StringBuilder();
        if (flags.Contains("optional"))
        {
            sb.Append('[').Append(body).Append(']');
        }
        else if (type == "oneof" && token is null)
        {
            sb.Append('<').Append(body).Append('>');
        }
        else
        {
            sb.Append(body);
        }

        return sb.ToString();
    }

    private static string? Text(Dictionary<string, RedisResult> map, string name) =>
        map.TryGetValue(name, out var value) && !value.IsNull && value.Resp2Type != ResultType.Array ? (string?)value : null;

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
