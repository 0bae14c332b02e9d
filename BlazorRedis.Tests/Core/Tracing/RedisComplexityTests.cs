using System.Text;
using System.Text.RegularExpressions;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.Infrastructure;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Tracing;

/// <summary>
/// Every cost the trace panel shows is checked against what the connected server documents (<c>COMMAND DOCS</c>).
/// The rule: our short label's first O-expression must be the docs' first O-expression, after dropping spaces, writing
/// <c>log(N)</c> as <c>logN</c> and <c>·</c> as <c>*</c> (so "O(log N + M)" matches "O(log(N)+M) with N being …").
/// Where the docs say "Depends on subcommand", the subcommand the app sends is looked up; where they say "Depends on the
/// script"/"on commands in the transaction", our label must be a word, not an O-expression.
/// </summary>
public partial class RedisComplexityTests(RedisServerFixture redis)
{
    /// <summary>The subcommand each container command is used with in the app (and so what its label describes).</summary>
    private static readonly Dictionary<string, string> Subcommands = new(StringComparer.OrdinalIgnoreCase)
    {
        ["MEMORY"] = "usage",
        ["OBJECT"] = "encoding",
        ["SCRIPT"] = "load",
        ["CONFIG"] = "get",
        ["XGROUP"] = "create",
        ["XINFO"] = "stream",
    };

    [Fact]
    public async Task Every_cost_shown_matches_the_complexity_the_server_documents()
    {
        var server = redis.Multiplexer.GetServer(redis.Multiplexer.GetEndPoints()[0]);
        var wrong = new StringBuilder();
        var undocumented = new List<string>();
        foreach (var (command, label) in RedisComplexity.All)
        {
            var documented = await DocumentedComplexityAsync(command);
            if (documented is null)
            {
                undocumented.Add(command);
                continue;
            }

            if (!Matches(label, documented))
            {
                wrong.Append(command).Append(": shown \"").Append(label).Append("\", documented \"").Append(documented).AppendLine("\"");
            }
        }

        Assert.True(wrong.Length == 0, "Costs that disagree with COMMAND DOCS on Redis " + server.Version + ":\n" + wrong);
        Assert.True(undocumented.Count == 0, "Commands the server has no docs for: " + string.Join(", ", undocumented));
    }

    [Theory]
    [InlineData("O(log N + M)", "O(log(N)+M) with N being the number of elements")]
    [InlineData("O(1) per item", "O(1) for each element added, so O(N) to add N elements")]
    [InlineData("O(M·log N)", "O(M*log(N)) with N being the number of elements")]
    [InlineData("script", "Depends on the script that is executed.")]
    [InlineData("O(1) without count", "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.")]
    public void The_rule_accepts_a_label_that_says_what_the_docs_say(string label, string documented) =>
        Assert.True(Matches(label, documented));

    [Theory]
    [InlineData("O(1)", "O(log(N))")]
    [InlineData("O(1) per member", "O(N) where N is the number of members requested.")]
    [InlineData("O(log N + M)", "O(N) with N being the number of elements being returned.")]
    [InlineData("O(1)", "Depends on the script that is executed.")]
    public void The_rule_refuses_a_label_that_contradicts_the_docs(string label, string documented) =>
        Assert.False(Matches(label, documented));

    private static bool Matches(string label, string documented)
    {
        if (documented.StartsWith("Depends on", StringComparison.Ordinal))
        {
            return LeadingO(label) is null;
        }

        return LeadingO(documented) is { } doc && LeadingO(label) is { } ours && Normalise(doc) == Normalise(ours);
    }

    /// <summary>
    /// The first balanced <c>O(…)</c> of the text, or null: the docs sometimes lead with a condition ("Without the count
    /// argument O(1), otherwise …", "For each stream mentioned: O(N) …") and our label then names the same case.
    /// </summary>
    private static string? LeadingO(string text)
    {
        var start = text.IndexOf("O(", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var depth = 0;
        for (var i = start + 1; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0)
            {
                return text[start..(i + 1)];
            }
        }

        return null;
    }

    private static string Normalise(string o) => LogOf().Replace(o.Replace(" ", "", StringComparison.Ordinal).Replace('·', '*'), "log$1");

    [GeneratedRegex(@"log\(([A-Za-z])\)")]
    private static partial Regex LogOf();

    private async Task<string?> DocumentedComplexityAsync(string command)
    {
        var db = redis.Multiplexer.GetDatabase();
        var reply = await db.ExecuteAsync("COMMAND", "DOCS", command);
        var docs = Fields(reply, command.ToLowerInvariant());
        if (docs is null)
        {
            return null;
        }

        if (Subcommands.TryGetValue(command, out var sub))
        {
            docs = docs.TryGetValue("subcommands", out var subs) ? Fields(subs, command.ToLowerInvariant() + "|" + sub) : null;
        }

        return docs is not null && docs.TryGetValue("complexity", out var complexity) ? (string?)complexity : null;
    }

    /// <summary>In a name/doc pair list (RESP2 array or RESP3 map), the doc of <paramref name="name"/> as a field map.</summary>
    private static Dictionary<string, RedisResult>? Fields(RedisResult list, string name)
    {
        if (list.Resp2Type != ResultType.Array)
        {
            return null;
        }

        var items = (RedisResult[])list!;
        for (var i = 0; i + 1 < items.Length; i += 2)
        {
            if (string.Equals((string?)items[i], name, StringComparison.OrdinalIgnoreCase))
            {
                var fields = (RedisResult[])items[i + 1]!;
                var map = new Dictionary<string, RedisResult>(StringComparer.Ordinal);
                for (var j = 0; j + 1 < fields.Length; j += 2)
                {
                    map[(string)fields[j]!] = fields[j + 1];
                }

                return map;
            }
        }

        return null;
    }
}
