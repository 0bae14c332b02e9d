using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Workbench;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Workbench;

// The workbench gives every key of a learner a housekeeping TTL that a bare Redis would not have, and must not let it
// show: the same lines run in a learner's workbench and straight on the test's Redis (on keys of the test's own,
// without any housekeeping) answer alike, the TTL reads (TTL, PTTL, EXPIRETIME, PEXPIRETIME) within a moment of each
// other. {at+N} and {pat+N} are the time N seconds from now, in seconds and in milliseconds since the epoch.
public partial class WorkbenchTtlDifferentialTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string[]> Sequences = new(StringComparer.Ordinal)
    {
        ["EXPIRE NX"] = ["SET k v", "EXPIRE k 100 NX", "TTL k", "EXPIRE k 200 NX", "TTL k", "PERSIST k", "EXPIRE k 300 nx", "TTL k"],
        ["EXPIRE XX"] = ["SET k v", "EXPIRE k 100 XX", "TTL k", "EXPIRE k 100", "EXPIRE k 200 XX", "TTL k", "PERSIST k", "EXPIRE k 50 XX", "TTL k"],
        ["EXPIRE GT"] = ["SET k v", "EXPIRE k 100 GT", "EXPIRE k 5000 GT", "TTL k", "EXPIRE k 100", "EXPIRE k 200 GT", "TTL k", "EXPIRE k 50 GT", "TTL k"],
        ["EXPIRE LT"] = ["SET k v", "EXPIRE k 5000 LT", "TTL k", "EXPIRE k 6000 LT", "TTL k", "EXPIRE k 50 LT", "TTL k"],
        ["EXPIRE XX GT and XX LT"] = ["SET k v", "EXPIRE k 100 XX GT", "EXPIRE k 100 XX LT", "TTL k", "EXPIRE k 100", "EXPIRE k 300 XX GT", "TTL k", "EXPIRE k 30 XX LT", "TTL k"],
        ["PEXPIRE, EXPIREAT and PEXPIREAT with conditions"] =
        [
            "SET k v", "PEXPIRE k 100000 NX", "PTTL k", "PEXPIRE k 200000 NX", "SET j v", "EXPIREAT j {at+500} XX", "EXPIREAT j {at+500} LT",
            "EXPIRETIME j", "PEXPIREAT j {pat+900} GT", "PEXPIRETIME j", "PEXPIREAT j {pat+100} XX", "TTL j", "SET i v", "PEXPIREAT i {pat+100} GT", "PEXPIRETIME i",
        ],
        ["bad EXPIRE options"] =
        [
            "SET k v", "EXPIRE k 100 NX XX", "EXPIRE k 100 GT LT", "EXPIRE k abc NX", "EXPIRE k 100 FOO", "EXPIRE k 100 NX NX", "TTL k",
            "EXPIRE missing 100 NX", "EXPIRE missing 100 LT", "TTL missing",
        ],
        ["RENAME and RENAMENX keep the TTL"] =
        [
            "SET a v EX 500", "RENAME a b", "TTL a", "TTL b", "SET c v", "RENAME c b", "TTL b", "SET d v EX 300", "RENAMENX d b", "TTL d",
            "RENAMENX d e", "TTL e", "TTL d", "RENAME e e", "TTL e", "SET f v", "RENAME f g", "TTL g", "EXPIRE g 100 NX", "TTL g",
        ],
        ["COPY copies the TTL"] =
        [
            "SET a v EX 500", "COPY a b", "TTL b", "TTL a", "SET c v", "COPY c b", "COPY c b REPLACE", "TTL b", "COPY a b REPLACE", "TTL b",
            "COPY a a", "COPY missing x", "TTL x",
        ],
        ["SET, its conditions and KEEPTTL"] =
        [
            "SET k v EX 500", "SET k w NX", "TTL k", "SET k w NX EX 100", "TTL k", "SET k w XX KEEPTTL", "TTL k", "SET k w XX GET", "TTL k",
            "SET n v NX GET EX 100", "TTL n", "SET n w NX GET EX 900", "TTL n", "SET m v XX EX 100", "TTL m", "SET m v XX GET EX 100", "TTL m",
            "SET k v PX 400000", "PTTL k", "SET k v EXAT {at+700}", "EXPIRETIME k", "SET k v PXAT {pat+800}", "PEXPIRETIME k", "SET k v KEEPTTL", "TTL k",
            "SET k v", "TTL k", "SET k v KEEPTTL", "TTL k", "SETEX s 300 v", "TTL s", "PSETEX s 200000 v", "PTTL s", "SETNX s w", "TTL s",
            "SET k KEEPTTL", "TTL k",
        ],
        ["GETEX"] =
        [
            "SET k v", "GETEX k EX 300", "TTL k", "GETEX k", "TTL k", "GETEX k PX 200000", "PTTL k", "GETEX k EXAT {at+400}", "TTL k",
            "GETEX k PXAT {pat+500}", "PEXPIRETIME k", "GETEX k PERSIST", "TTL k", "GETEX k PERSIST", "TTL k", "GETEX missing EX 100", "TTL missing",
        ],
        ["GETSET and GETDEL"] = ["SET k v EX 300", "GETSET k w", "TTL k", "EXPIRE k 300", "GETDEL k", "TTL k", "SET k v", "TTL k", "GETDEL k", "GETDEL k"],
        ["…STORE destinations are written anew"] =
        [
            "SADD s1 a b", "SADD s2 b c", "SADD d x", "EXPIRE d 300", "SINTERSTORE d s1 s2", "TTL d", "EXPIRE d 300", "SUNIONSTORE d s1 s2", "TTL d",
            "ZADD z 1 a", "EXPIRE z 300", "ZUNIONSTORE z 1 s1", "TTL z", "SET b1 x", "SET b2 y", "SET bd q EX 300", "BITOP OR bd b1 b2", "TTL bd",
            "GEOADD g 13.361389 38.115556 palermo", "GEOADD gd 0 0 x", "EXPIRE gd 300", "GEOSEARCHSTORE gd g FROMLONLAT 15 37 BYRADIUS 200 km", "TTL gd",
            "EXPIRE s1 300", "SDIFFSTORE s1 s1 s2", "TTL s1", "EXPIRE s2 300", "SINTERSTORE s2 s1 nothing", "TTL s2", "PFADD h a", "EXPIRE h 300",
            "PFADD h2 b", "PFMERGE h h2", "TTL h", "ZADD zr 1 a 2 b", "ZRANGESTORE zd zr 0 -1", "EXPIRE zd 300", "ZRANGESTORE zd zr 0 0", "TTL zd",
        ],
        ["moving elements keeps the keys' TTLs"] =
        [
            "RPUSH l1 a b", "EXPIRE l1 300", "LMOVE l1 l2 LEFT RIGHT", "TTL l2", "TTL l1", "RPUSH l3 x", "EXPIRE l3 400", "LMOVE l1 l3 LEFT RIGHT",
            "TTL l3", "TTL l1", "SADD s a b", "EXPIRE s 300", "SMOVE s t a", "TTL t", "TTL s", "MSET s q", "TTL s", "INCR n", "EXPIRE n 200",
            "INCR n", "APPEND n 1", "TTL n", "HSET h f v", "EXPIRE h 100", "HSET h g w", "TTL h", "MSETNX n 1 fresh 2", "TTL n", "TTL fresh",
        ],
        ["DEL, then the key made again"] =
        [
            "SET k v EX 300", "DEL k", "TTL k", "RPUSH k a", "TTL k", "EXPIRE k 200", "UNLINK k", "HSET k f v", "TTL k", "SET k v EX 100",
            "EXPIRE k -1", "TTL k", "SET k v", "TTL k", "EXPIRE k 300", "MSET k v", "TTL k", "SET p v", "PERSIST p", "EXPIRE p 100", "PERSIST p",
            "PERSIST p", "TTL p", "SET q v EX 300", "EXPIREAT q 1", "TTL q", "SADD q a", "EXPIRE q 100 NX", "TTL q",
        ],
        ["MULTI … EXEC"] =
        [
            "SET k v", "MULTI", "GET k", "EXPIRE k 300", "TTL k", "EXEC", "TTL k",
            "MULTI", "TTL k", "PERSIST k", "TTL k", "EXPIRE k 100 NX", "EXPIRE k 200 GT", "EXEC", "TTL k",
            "MULTI", "SET a v EX 500", "RENAME a b", "EXEC", "TTL b",
            "MULTI", "SET c v", "EXPIRE c 300 XX", "EXPIRE c 300 NX", "SET c w", "TTL c", "EXEC", "TTL c",
            "SET e v", "MULTI", "EXPIRE e 100 GT", "EXPIRE e 100 LT", "PTTL e", "EXEC", "TTL e",
            "SET f v", "MULTI", "COPY b f REPLACE", "TTL f", "SET f v2 KEEPTTL", "EXEC", "TTL f",
        ],
        ["keys that do not exist, and other reads"] =
        [
            "TTL nosuch", "PTTL nosuch", "EXPIRETIME nosuch", "PEXPIRETIME nosuch", "PERSIST nosuch", "EXPIRE nosuch 10", "GETEX nosuch PERSIST",
            "OBJECT ENCODING nosuch", "SET k 12", "OBJECT ENCODING k", "EXPIRETIME k", "PEXPIRETIME k", "PTTL k", "TYPE k", "EXISTS k nosuch",
        ],
    };

    public static TheoryData<string> Names => [.. Sequences.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task The_workbench_answers_ttl_questions_as_a_bare_redis_does(string name)
    {
        var keyspace = redis.NewKeyspace();
        var executor = new WorkbenchExecutor(
            redis.Multiplexer, redis.Tracer, keyspace, new RedisCommandBudget(redis.Multiplexer, TimeSpan.FromSeconds(5)), Options.Create(new WorkbenchOptions { KeyTtlSeconds = 3600 }));
        var session = executor.OpenSession(LearnerId.New());
        var bare = new BareRedis(redis.Multiplexer, await CommandTable.ForAsync(redis.Multiplexer), new WorkbenchSession(keyspace.ForLearner(LearnerId.New())));

        var differences = new List<string>();
        foreach (var template in Sequences[name])
        {
            var line = Times().Replace(template, m =>
            {
                var seconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                return (m.Groups[1].Value == "pat" ? seconds * 1000 : seconds).ToString(CultureInfo.InvariantCulture);
            });
            var workbench = WithoutNote((await executor.ExecuteAsync(session, line, Ct)).Text);
            var expected = await bare.RunAsync(line);
            if (!Alike(workbench, expected))
            {
                differences.Add($"{line}\n  workbench: {workbench.Replace("\n", " | ", StringComparison.Ordinal)}\n  bare Redis: {expected.Replace("\n", " | ", StringComparison.Ordinal)}");
            }
        }

        Assert.True(differences.Count == 0, $"{name}: the workbench answered otherwise than a bare Redis:\n" + string.Join("\n", differences));

        // And every key the workbench made still goes away by itself: the learner's TTL, or the housekeeping one.
        var db = redis.Multiplexer.GetDatabase();
        await db.PingAsync();
        var server = redis.Multiplexer.GetServer((RedisKey)session.Prefix);
        await foreach (var key in server.KeysAsync(pattern: RedisKeyspace.PrefixPattern(session.Prefix), pageSize: 1000))
        {
            Assert.True(await db.KeyTimeToLiveAsync(key) is not null, $"{name}: {key} was left without any TTL");
        }
    }

    // The workbench's note under a TTL it answered for the learner is the workbench's own; Redis has no such line.
    private static string WithoutNote(string text) =>
        string.Join('\n', text.Split('\n').Where(l => !l.StartsWith("(you gave this key no TTL", StringComparison.Ordinal)));

    // The same text, but for numbers that are both times left or times of expiry (10 or more: a 0 or 1 reply is
    // compared exactly), a moment apart: a TTL in seconds (below 10^4: the sequences' TTLs are all shorter) or an
    // EXPIRETIME (10^9 to 10^11) within 2 s, a PTTL or PEXPIRETIME within 2,000 ms.
    private static bool Alike(string workbench, string expected)
    {
        var a = Number().Split(workbench);
        var b = Number().Split(expected);
        var na = Number().Matches(workbench).Select(m => long.Parse(m.Value, CultureInfo.InvariantCulture)).ToList();
        var nb = Number().Matches(expected).Select(m => long.Parse(m.Value, CultureInfo.InvariantCulture)).ToList();
        if (!a.SequenceEqual(b) || na.Count != nb.Count)
        {
            return false;
        }

        for (var i = 0; i < na.Count; i++)
        {
            var (x, y) = (na[i], nb[i]);
            var tolerance = Math.Max(x, y) is < 10_000 or (>= 1_000_000_000 and < 100_000_000_000) ? 2 : 2000;
            if (x != y && (Math.Min(x, y) < 10 || Math.Abs(x - y) > tolerance))
            {
                return false;
            }
        }

        return true;
    }

    [GeneratedRegex(@"-?\d+")]
    private static partial Regex Number();

    [GeneratedRegex(@"\{(at|pat)\+(\d+)\}")]
    private static partial Regex Times();

    // The same lines sent straight to Redis on a space of keys no workbench touches (the keys moved under a prefix of
    // the test's own, so a cluster routes them to one slot), MULTI … EXEC as a transaction, replies printed as the
    // workbench prints them.
    private sealed class BareRedis(IConnectionMultiplexer mux, CommandTable table, WorkbenchSession space)
    {
        private List<WorkbenchCommand>? _queued;

        public async Task<string> RunAsync(string line)
        {
            var args = CommandLineParser.Parse(line);
            var word = Encoding.ASCII.GetString(args[0]).ToUpperInvariant();
            var db = mux.GetDatabase();
            if (word == "MULTI")
            {
                _queued = [];
                return "OK";
            }

            if (word == "EXEC" && _queued is { } queued)
            {
                _queued = null;
                var tran = db.CreateTransaction();
                var tasks = queued.Select(c => tran.ExecuteAsync(Encoding.UTF8.GetString(c.Arguments[0]), Arguments(c))).ToList();
                await tran.ExecuteAsync();
                var replies = new List<RedisResult>();
                for (var i = 0; i < tasks.Count; i++)
                {
                    try
                    {
                        replies.Add(WorkbenchExecutor.ToResp2(queued[i].Spec.Name, await tasks[i]));
                    }
                    catch (RedisServerException ex)
                    {
                        replies.Add(RedisResult.Create(ex.Message, ResultType.Error));
                    }
                }

                return RedisCliFormatter.Format(WorkbenchExecutor.Unprefix(space, RedisResult.Create([.. replies])));
            }

            var command = WorkbenchKeyRewriter.Rewrite(table, space.Keys, args);
            if (_queued is not null)
            {
                _queued.Add(command);
                return "QUEUED";
            }

            try
            {
                var reply = await db.ExecuteAsync(Encoding.UTF8.GetString(command.Arguments[0]), Arguments(command));
                return RedisCliFormatter.Format(WorkbenchExecutor.Unprefix(space, WorkbenchExecutor.ToResp2(command.Spec.Name, reply)));
            }
            catch (RedisServerException ex)
            {
                return RedisCliFormatter.FormatError(ex.Message.Replace(space.Prefix, "", StringComparison.Ordinal));
            }
        }

        private static object[] Arguments(WorkbenchCommand command)
        {
            var keys = command.KeyPositions.ToHashSet();
            return [.. command.Arguments.Skip(1).Select((a, i) => keys.Contains(i + 1) ? (object)(RedisKey)a : (RedisValue)a)];
        }
    }
}
