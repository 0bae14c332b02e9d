using System.Globalization;
using System.Text;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Core.Workbench;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Workbench;

/// <summary>
/// The workbench's isolation, proven on a redis-server of the test's own (so the keyspace snapshot sees every key and
/// no other test's keys): every command of the server's table, with random and adversarial arguments, typed by
/// learner A, changes no key outside A's space, names no key A did not type, and a refused command never reaches
/// Redis (INFO commandstats).
/// </summary>
public sealed class WorkbenchIsolationTests : IAsyncLifetime
{
    private const int Seed = 12_345;
    private const int VariantsPerCommand = 8;

    private EmbeddedRedisServer? _server;
    private ConnectionMultiplexer? _mux;
    private int _dumps;

    public async ValueTask InitializeAsync()
    {
        _server = await EmbeddedRedisServer.StartAsync(new EmbeddedRedisOptions());
        var options = ConfigurationOptions.Parse(_server.EndPoint);
        options.AllowAdmin = true;
        options.ConfigCheckSeconds = 3600; // no CONFIG GET / INFO of its own during the test
        _mux = await ConnectionMultiplexer.ConnectAsync(options);
    }

    public async ValueTask DisposeAsync()
    {
        if (_mux is not null)
        {
            await _mux.DisposeAsync();
        }

        _server?.Dispose();
    }

    [Fact]
    public async Task Every_command_with_adversarial_arguments_stays_inside_the_learners_space()
    {
        var mux = _mux!;
        var db = mux.GetDatabase();
        var keyspace = new RedisKeyspace("br:");
        var a = LearnerId.New();
        var b = LearnerId.New();
        var options = new WorkbenchOptions { MaxKeys = 200, MaxValueBytes = 64 * 1024, CommandsPerSecond = 100_000, MaxBlockMilliseconds = 100 };
        // Blocking commands run too, on a connection of their own (opened here, before the command counts are read).
        await using var blocking = new BlockingConnections(mux, Options.Create(options));
        var executor = new WorkbenchExecutor(mux, new RedisTracer(mux), keyspace, new RedisCommandBudget(mux, TimeSpan.FromSeconds(5)), Options.Create(options), null, blocking);
        var session = executor.OpenSession(a);
        Assert.Equal("(nil)", (await executor.ExecuteAsync(session, "BLPOP warm-up 0.01", TestContext.Current.CancellationToken)).Text);
        var prefixA = session.Prefix;
        var prefixB = WorkbenchKeyRewriter.PrefixOf(keyspace.ForLearner(b));

        // The same names in A's space, in B's space and bare; plus app keys and secret names A never types.
        string[] names = ["k", "l", "h", "s", "z", "x", "g", "p", "{", "}", "*", "?", "\\"];
        var secret = "secret-" + Guid.NewGuid().ToString("N");
        foreach (var p in new[] { prefixA, prefixB, "", "br:", "br:learner:" })
        {
            await SeedAsync(db, p, names);
        }

        await db.StringSetAsync(secret, "v");
        await db.StringSetAsync("br:" + secret, "v");
        await db.HashSetAsync(prefixB + secret, "f", "v");

        var table = await CommandTable.ForAsync(mux);
        var specs = table.Commands.Values
            .SelectMany(c => c.Subcommands.Count == 0 ? [c] : c.Subcommands.Values)
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
        var refusedAlways = specs
            .Where(s => s.Name is not ("copy" or "xread" or "xreadgroup"))
            .Where(s => WorkbenchPolicy.Classify(s, [.. NameTokens(s).Select(Encoding.UTF8.GetBytes)]).Route == WorkbenchRoute.Refuse)
            .Select(s => s.Name)
            .ToHashSet(StringComparer.Ordinal);
        var statsBefore = await CommandStatsAsync(mux);
        _dumps = 0;

        var random = new Random(Seed);
        var plain = Pool(null, null, names);
        var adversarial = Pool(prefixA, prefixB, names);
        var lines = 0;
        var sent = 0;
        var succeeded = 0;
        foreach (var (spec, typesPrefixes) in specs.Select(s => (s, false)).Concat(specs.Select(s => (s, true))))
        {
            var pool = typesPrefixes ? adversarial : plain;
            var before = await SnapshotAsync(mux, prefixA, WorkbenchExecutor.OwnTtlKey(session).ToString());
            for (var v = 0; v < VariantsPerCommand; v++)
            {
                var args = NameTokens(spec).Select(t => random.Next(2) == 0 ? t.ToUpperInvariant() : t).Select(Encoding.UTF8.GetBytes).ToList();
                // Half the variants get the arity's own count (and a little more), so most reach Redis's checks.
                var tokens = args.Count;
                var extra = v < VariantsPerCommand / 2
                    ? Math.Max(0, Math.Abs(spec.Arity) - tokens) + (spec.Arity < 0 ? v : 0)
                    : random.Next(0, Math.Max(Math.Abs(spec.Arity), 2) + 4);
                for (var i = 0; i < extra; i++)
                {
                    args.Add(pool[random.Next(pool.Length)]);
                }

                var line = string.Join(' ', args.Select(x => RedisCliFormatter.Quote(x)));
                if (line.Length > CommandLineParser.MaxLineLength)
                {
                    continue;
                }

                var reply = await executor.ExecuteAsync(session, line, TestContext.Current.CancellationToken);
                lines++;
                sent += reply.Sent ? 1 : 0;
                succeeded += reply.Sent && !reply.IsError ? 1 : 0;
                Assert.False(reply.Text.Contains(secret, StringComparison.Ordinal), $"'{Shorten(line)}' answered a secret key's name: {Shorten(reply.Text)}");
                // In the first pass A never types a prefix, so neither prefix may come back; in the second A names keys
                // after both prefixes, and KEYS * rightly lists them.
                if (!typesPrefixes)
                {
                    Assert.False(reply.Text.Contains(b.Value, StringComparison.Ordinal), $"'{Shorten(line)}' answered learner B's space: {Shorten(reply.Text)}");
                }

                if (!typesPrefixes)
                {
                    Assert.False(reply.Text.Contains(prefixA, StringComparison.Ordinal), $"'{Shorten(line)}' showed A's prefix: {Shorten(reply.Text)}");
                }

                if (refusedAlways.Contains(spec.Name))
                {
                    Assert.False(reply.Sent, $"'{Shorten(line)}' is refused but was sent");
                }
            }

            // A MULTI left open by a random MULTI would queue the next command's lines.
            if (session.InMulti)
            {
                await executor.ExecuteAsync(session, "DISCARD", TestContext.Current.CancellationToken);
            }

            var after = await SnapshotAsync(mux, prefixA, WorkbenchExecutor.OwnTtlKey(session).ToString());
            Assert.True(
                before.Count == after.Count && before.All(kv => after.TryGetValue(kv.Key, out var value) && value == kv.Value),
                $"'{spec.Name}' changed keys outside the learner's space: {Describe(before, after)}");
        }

        var statsAfter = await CommandStatsAsync(mux);
        var reached = refusedAlways
            // StackExchange.Redis sends SELECT 0 itself on a connection, the workbench's sliding TTL is a script of its
            // own (EVAL, EVALSHA) and every executor reads the encoding thresholds once (CONFIG GET, for its memory
            // estimates): the learner's SELECT, EVAL and CONFIG lines are asserted unsent above.
            .Where(name => name is not ("dump" or "select" or "eval" or "evalsha" or "config|get") && Calls(statsAfter, name) > Calls(statsBefore, name))
            .ToList();
        Assert.True(reached.Count == 0, "Refused commands reached Redis: " + string.Join(", ", reached));
        Assert.Equal(Calls(statsBefore, "dump") + _dumps, Calls(statsAfter, "dump"));
        Assert.True(specs.Count > 200, $"The table has only {specs.Count} commands");
        Assert.True(lines > specs.Count * VariantsPerCommand);
        Assert.True(sent > 1600 && succeeded > 600, $"Only {sent} of {lines} lines reached Redis, {succeeded} without an error: the test would prove little");
    }

    private static List<string> NameTokens(CommandSpec spec) => [.. spec.Name.Split('|')];

    private static byte[][] Pool(string? prefixA, string? prefixB, string[] names)
    {
        var large = new string('v', 50_000);
        string[] words =
        [
            .. names, "", "0", "1", "-1", "2", "10", "100", "1.5", "#1", "u8", "i64", "$", ">", "-", "+", "*", "[a", "(1",
            "STREAMS", "MATCH", "COUNT", "TYPE", "BY", "GET", "SET", "STORE", "STOREDIST", "DB", "BLOCK", "NX", "XX", "EX",
            "KEEPTTL", "LEFT", "RIGHT", "WITHSCORES", "LIMIT", "FULL", "GROUP", "MKSTREAM", "ID", "REPLACE", "WEIGHTS",
            "FROMMEMBER", "BYRADIUS", "km", "ASC", "numkeys", "CONSUMERS", "ENCODING", "USAGE",
            "br:k", "br:learner:", "{x}k", "k}", "*k*", "a?b", "\\*", "\r\n", "\0", large,
            .. prefixA is null || prefixB is null ? Array.Empty<string>() : [prefixA, prefixA + "k", prefixB + "k", prefixB],
        ];
        return [.. words.Select(Encoding.UTF8.GetBytes)];
    }

    private static async Task SeedAsync(IDatabase db, string prefix, string[] names)
    {
        foreach (var name in names)
        {
            await db.StringSetAsync(prefix + name, "1");
        }

        await db.StringSetAsync(prefix + "k", "10");
        await db.KeyDeleteAsync([prefix + "l", prefix + "h", prefix + "s", prefix + "z", prefix + "x", prefix + "g", prefix + "p"]);
        await db.ListRightPushAsync(prefix + "l", ["a", "b", "1"]);
        await db.HashSetAsync(prefix + "h", [new("f", "1"), new("g", "2")]);
        await db.SetAddAsync(prefix + "s", ["a", "b"]);
        await db.SortedSetAddAsync(prefix + "z", [new("a", 1), new("b", 2)]);
        await db.StreamAddAsync(prefix + "x", "f", "1");
        await db.StreamCreateConsumerGroupAsync(prefix + "x", "grp", "0");
        await db.GeoAddAsync(prefix + "g", 13.4, 52.5, "berlin");
        await db.HyperLogLogAddAsync(prefix + "p", ["a", "b"]);
    }

    // Every key outside A's workbench space (but the workbench's own record of A's TTLs): its type, serialized value and whether it has a TTL.
    private async Task<Dictionary<string, string>> SnapshotAsync(ConnectionMultiplexer mux, string prefixA, string ownTtlA)
    {
        var server = mux.GetServers()[0];
        var db = mux.GetDatabase();
        var snapshot = new Dictionary<string, string>(StringComparer.Ordinal);
        var cursor = "0";
        do
        {
            var reply = (RedisResult[])(await server.ExecuteAsync("SCAN", cursor, "COUNT", 1000))!;
            cursor = (string)reply[0]!;
            foreach (var item in (RedisResult[])reply[1]!)
            {
                var key = (byte[])item!;
                var name = Convert.ToBase64String(key);
                if (Encoding.UTF8.GetString(key).StartsWith(prefixA, StringComparison.Ordinal) || Encoding.UTF8.GetString(key) == ownTtlA)
                {
                    continue;
                }

                var dump = (byte[]?)await db.ExecuteAsync("DUMP", (RedisKey)key);
                _dumps++;
                var ttl = (long)await db.ExecuteAsync("PTTL", (RedisKey)key);
                snapshot[name] = Convert.ToBase64String(dump ?? []) + (ttl == -1 ? ":persistent" : ":volatile");
            }
        }
        while (cursor != "0");
        return snapshot;
    }

    private static async Task<Dictionary<string, long>> CommandStatsAsync(ConnectionMultiplexer mux) =>
        PrivateRedis.ParseCommandCalls((string)(await mux.GetServers()[0].ExecuteAsync("INFO", "commandstats"))!);

    private static long Calls(Dictionary<string, long> stats, string name) => stats.GetValueOrDefault(name);

    private static string Describe(Dictionary<string, string> before, Dictionary<string, string> after)
    {
        static string Name(string b64) => Encoding.UTF8.GetString(Convert.FromBase64String(b64));
        var added = after.Keys.Except(before.Keys).Select(k => "+" + Name(k));
        var removed = before.Keys.Except(after.Keys).Select(k => "-" + Name(k));
        var changed = before.Keys.Intersect(after.Keys).Where(k => before[k] != after[k]).Select(k => "~" + Name(k));
        return string.Join(", ", added.Concat(removed).Concat(changed));
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
