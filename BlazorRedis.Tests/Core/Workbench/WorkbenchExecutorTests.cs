using System.Text;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Core.Workbench;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Workbench;

public class WorkbenchExecutorTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private (WorkbenchExecutor Executor, WorkbenchSession Session, RedisKeyspace Keyspace) Create(WorkbenchOptions? options = null, bool limiter = false)
    {
        var keyspace = redis.NewKeyspace();
        var rate = limiter
            ? new RedisRateLimitService(redis.Multiplexer, redis.Tracer, keyspace, Options.Create(new RateLimitingOptions()), NullLogger<RedisRateLimitService>.Instance)
            : null;
        var executor = new WorkbenchExecutor(
            redis.Multiplexer, redis.Tracer, keyspace, new RedisCommandBudget(redis.Multiplexer, TimeSpan.FromSeconds(2)), Options.Create(options ?? new WorkbenchOptions()), rate);
        return (executor, executor.OpenSession(LearnerId.New()), keyspace);
    }

    private static async Task<string> Run(WorkbenchExecutor executor, WorkbenchSession session, string line) =>
        (await executor.ExecuteAsync(session, line, Ct)).Text;

    [Fact]
    public async Task A_learners_commands_run_on_their_own_keys_with_the_round_trip()
    {
        var (executor, session, _) = Create();

        var set = await executor.ExecuteAsync(session, "set user:1 ada", Ct);
        var get = await executor.ExecuteAsync(session, "GET user:1", Ct);

        Assert.Equal("OK", set.Text);
        Assert.Equal("\"ada\"", get.Text);
        Assert.NotNull(get.RoundTrip);
        Assert.Equal("GET " + session.Prefix + "user:1", Assert.Single(get.Trace.Commands).Text);
        Assert.Equal("await db.ExecuteAsync(\"GET\", new object[] { (RedisKey)\"" + session.Prefix + "user:1\" });", get.Trace.Commands[0].CSharp);
        Assert.Equal("ada", (string?)await redis.Multiplexer.GetDatabase().StringGetAsync(session.Prefix + "user:1"));
    }

    [Theory]
    [InlineData("config get maxmemory")]
    [InlineData("CONFIG SET maxmemory 1")]
    [InlineData("debug sleep 0")]
    [InlineData("shutdown")]
    [InlineData("monitor")]
    [InlineData("client list")]
    [InlineData("cluster info")]
    [InlineData("acl list")]
    [InlineData("module list")]
    [InlineData("save")]
    [InlineData("bgsave")]
    [InlineData("replicaof no one")]
    [InlineData("migrate 127.0.0.1 1 k 0 1")]
    [InlineData("move k 1")]
    [InlineData("select 1")]
    [InlineData("swapdb 0 1")]
    [InlineData("flushall")]
    [InlineData("eval \"return redis.call('flushall')\" 0")]
    [InlineData("evalsha abc 0")]
    [InlineData("function list")]
    [InlineData("fcall f 0")]
    [InlineData("script flush")]
    [InlineData("blpop l 1")]
    [InlineData("brpop l 1")]
    [InlineData("blmove a b left right 0")]
    [InlineData("bzpopmin z 1")]
    [InlineData("xread block 0 streams s $")]
    [InlineData("wait 0 0")]
    [InlineData("sort l by w_*")]
    [InlineData("pubsub channels")]
    [InlineData("copy a b db 1")]
    [InlineData("restore k 0 x")]
    [InlineData("dump k")]
    [InlineData("hello 3")]
    [InlineData("lastsave")]
    public async Task An_administrative_scripting_or_blocking_command_is_refused_with_a_reason_and_not_sent(string line)
    {
        var (executor, session, _) = Create();

        var reply = await executor.ExecuteAsync(session, line, Ct);

        Assert.True(reply.IsError);
        Assert.StartsWith("(error) NOPERM the workbench does not run '", reply.Text, StringComparison.Ordinal);
        Assert.Contains(": ", reply.Text[30..], StringComparison.Ordinal);
        Assert.False(reply.Sent);
        Assert.Null(reply.RoundTrip);
    }

    [Theory]
    [InlineData("nosuch a b", "(error) ERR unknown command 'nosuch', with args beginning with: 'a' 'b' ")]
    [InlineData("get", "(error) ERR wrong number of arguments for 'get' command")]
    [InlineData("get a b", "(error) ERR wrong number of arguments for 'get' command")]
    [InlineData("object nosuch k", "(error) ERR unknown subcommand 'nosuch'. Try OBJECT HELP.")]
    [InlineData("object", "(error) ERR wrong number of arguments for 'object' command")]
    [InlineData("multi x", "(error) ERR wrong number of arguments for 'multi' command")]
    [InlineData("keys", "(error) ERR wrong number of arguments for 'keys' command")]
    public async Task An_unknown_command_or_wrong_arity_is_answered_as_redis_would_and_not_sent(string line, string expected)
    {
        var (executor, session, _) = Create();

        var reply = await executor.ExecuteAsync(session, line, Ct);

        Assert.Equal(expected, reply.Text);
        Assert.False(reply.Sent);
    }

    public static TheoryData<string, string> BadLines() => new()
    {
        { "set k \"unclosed", "Invalid argument(s)" },
        { "set k 'unclosed", "Invalid argument(s)" },
        { "set k \"a\"b", "Invalid argument(s)" },
        { "set k " + new string('x', 1024 * 1024), "(error) ERR line too long" },
        { "set k a\0b", "Invalid argument(s): a control character (0x00)" },
        { "set k a\u0007b", "Invalid argument(s): a control character (0x07)" },
        { "set k a\r\nb", "Invalid argument(s): a control character (0x0D)" },
        { "rpush k" + string.Concat(Enumerable.Repeat(" x", 10_000)), "(error) ERR too many arguments" },
    };

    [Theory]
    [MemberData(nameof(BadLines))]
    public async Task Bad_input_answers_a_redis_cli_style_error_and_sends_nothing(string line, string expected)
    {
        var (executor, session, _) = Create();

        var reply = await executor.ExecuteAsync(session, line, Ct);

        Assert.StartsWith(expected, reply.Text, StringComparison.Ordinal);
        Assert.True(reply.IsError);
        Assert.False(reply.Sent);
        Assert.False(await redis.Multiplexer.GetDatabase().KeyExistsAsync(session.Prefix + "k"));
    }

    [Fact]
    public async Task A_broken_character_is_refused_and_nothing_is_sent()
    {
        var (executor, session, _) = Create();

        var reply = await executor.ExecuteAsync(session, "set k a" + '\ud800', Ct);

        Assert.StartsWith("Invalid argument(s): the line is not valid text", reply.Text, StringComparison.Ordinal);
        Assert.False(reply.Sent);
    }

    [Fact]
    public async Task Escaped_line_breaks_and_nul_inside_an_argument_are_sent_as_bytes()
    {
        var (executor, session, _) = Create();

        await Run(executor, session, "set k \"a\\r\\nb\\x00c\"");

        Assert.Equal("\"a\\r\\nb\\x00c\"", await Run(executor, session, "get k"));
        Assert.Equal("a\r\nb\0c"u8.ToArray(), (byte[]?)await redis.Multiplexer.GetDatabase().StringGetAsync(session.Prefix + "k"));
    }

    [Fact]
    public async Task Keys_dbsize_scan_and_randomkey_see_only_the_learners_keys_by_their_own_names()
    {
        var (executor, session, keyspace) = Create();
        var other = executor.OpenSession(LearnerId.New());
        await Run(executor, other, "mset user:1 x user:2 y zzz 1");
        await redis.Multiplexer.GetDatabase().StringSetAsync(keyspace.Prefix + "user:9", "app key");
        await Run(executor, session, "mset user:1 a user:2 b other c");

        var keys = await Run(executor, session, "keys user:*");
        var dbsize = await Run(executor, session, "dbsize");
        var random = await Run(executor, session, "randomkey");
        var scanned = new List<string>();
        var cursor = "0";
        do
        {
            var reply = await executor.ExecuteAsync(session, $"scan {cursor} match * count 1000", Ct);
            var lines = reply.Text.Split('\n');
            cursor = lines[0]["1) ".Length..].Trim('"');
            scanned.AddRange(lines.Skip(1).Where(l => l.EndsWith('"')).Select(l => l[(l.IndexOf('"', StringComparison.Ordinal) + 1)..^1]));
        }
        while (cursor != "0");

        Assert.Equal(["\"user:1\"", "\"user:2\""], keys.Split('\n').Select(l => l.Split(") ", 2)[1]).Order());
        Assert.Equal("(integer) 3", dbsize);
        Assert.Contains(random.Trim('"'), new[] { "user:1", "user:2", "other" });
        Assert.Equal(["other", "user:1", "user:2"], scanned.Order());
    }

    [Fact]
    public async Task Glob_characters_in_the_prefix_itself_are_escaped()
    {
        // Two app prefixes that an unescaped "?" would confuse, with the same learner id in both.
        var learner = LearnerId.New();
        var tag = Guid.NewGuid().ToString("N");
        var mine = new RedisKeyspace($"brtest:{tag}:?:");
        var theirs = new RedisKeyspace($"brtest:{tag}:x:");
        var options = Options.Create(new WorkbenchOptions());
        var budget = new RedisCommandBudget(redis.Multiplexer, TimeSpan.FromSeconds(2));
        var executor = new WorkbenchExecutor(redis.Multiplexer, redis.Tracer, mine, budget, options);
        var other = new WorkbenchExecutor(redis.Multiplexer, redis.Tracer, theirs, budget, options);
        var session = executor.OpenSession(learner);
        var otherSession = other.OpenSession(learner);
        await Run(other, otherSession, "set theirs 1");
        await Run(executor, session, "set mine 1");

        Assert.Equal("1) \"mine\"", await Run(executor, session, "keys *"));
        Assert.Equal("(integer) 1", await Run(executor, session, "dbsize"));
        Assert.Equal("OK", await Run(executor, session, "flushdb"));
        Assert.Equal("(integer) 1", await Run(other, otherSession, "exists theirs"));
        Assert.Equal("(integer) 0", await Run(executor, session, "dbsize"));
    }

    [Fact]
    public async Task Flushdb_unlinks_only_the_learners_keys()
    {
        var (executor, session, keyspace) = Create();
        var other = executor.OpenSession(LearnerId.New());
        var db = redis.Multiplexer.GetDatabase();
        await Run(executor, other, "set k theirs");
        await db.StringSetAsync(keyspace.Prefix + "k", "app");
        await db.StringSetAsync(session.Keys.Prefix + "strings:k", "the learner's demo key, outside the workbench");
        await Run(executor, session, "mset a 1 b 2 c 3");
        await Run(executor, session, "rpush l x y");

        var reply = await executor.ExecuteAsync(session, "flushdb", Ct);

        Assert.Equal("OK", reply.Text);
        Assert.Contains("UNLINK", reply.Trace.WireNames);
        Assert.Equal("(integer) 0", await Run(executor, session, "dbsize"));
        Assert.Equal("\"theirs\"", await Run(executor, other, "get k"));
        Assert.True(await db.KeyExistsAsync(keyspace.Prefix + "k"));
        Assert.True(await db.KeyExistsAsync(session.Keys.Prefix + "strings:k"));
    }

    [Theory]
    [InlineData("scan x", "(error) ERR invalid cursor")]
    [InlineData("scan 0 count 0", "(error) ERR syntax error")]
    [InlineData("scan 0 count x", "(error) ERR value is not an integer or out of range")]
    [InlineData("scan 0 nosuch 1", "(error) ERR syntax error")]
    [InlineData("scan 0 match", "(error) ERR syntax error")]
    [InlineData("flushdb now", "(error) ERR syntax error")]
    public async Task An_emulated_commands_bad_options_are_answered_as_redis_would(string line, string expected)
    {
        var (executor, session, _) = Create();

        Assert.Equal(expected, await Run(executor, session, line));
    }

    [Fact]
    public async Task Info_is_trimmed_to_the_server_version_and_the_learners_keyspace()
    {
        var (executor, session, _) = Create();
        await Run(executor, session, "set a 1");

        var info = await Run(executor, session, "info");

        Assert.Contains("redis_version:", info, StringComparison.Ordinal);
        Assert.Contains("db0:keys=1", info, StringComparison.Ordinal);
        Assert.DoesNotContain("connected_clients", info, StringComparison.Ordinal);
        Assert.DoesNotContain("used_memory", info, StringComparison.Ordinal);
        Assert.DoesNotContain("executable", info, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replies_that_name_keys_show_the_learners_names()
    {
        var (executor, session, _) = Create();
        await Run(executor, session, "rpush queue a b");
        await Run(executor, session, "xadd events * f 1");

        var lmpop = await Run(executor, session, "lmpop 1 queue left");
        var xread = await Run(executor, session, "xread count 1 streams events 0");
        var nogroup = await Run(executor, session, "xreadgroup group g c streams events >");

        Assert.StartsWith("1) \"queue\"", lmpop, StringComparison.Ordinal);
        Assert.StartsWith("1) 1) \"events\"", xread, StringComparison.Ordinal);
        Assert.StartsWith("(error) NOGROUP", nogroup, StringComparison.Ordinal);
        Assert.Contains("'events'", nogroup, StringComparison.Ordinal);
        Assert.DoesNotContain(session.Prefix, lmpop + xread + nogroup, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zrange z 0 -1 withscores", "1) \"a\"\n2) \"1.5\"\n3) \"b\"\n4) \"2\"")]
    [InlineData("zpopmin z 2", "1) \"a\"\n2) \"1.5\"\n3) \"b\"\n4) \"2\"")]
    [InlineData("zscore z a", "\"1.5\"")]
    [InlineData("zincrby z 1 a", "\"2.5\"")]
    [InlineData("hgetall h", "1) \"f\"\n2) \"v\"")]
    [InlineData("hrandfield h 1 withvalues", "1) \"f\"\n2) \"v\"")]
    [InlineData("smembers s", "1) \"m\"")]
    [InlineData("xread streams x 0", "1) 1) \"x\"\n   2) 1) 1) \"1-1\"\n         2) 1) \"f\"\n            2) \"1\"")]
    public async Task Replies_are_printed_in_the_shape_redis_cli_sees_whatever_the_protocol(string line, string expected)
    {
        var (executor, session, _) = Create();
        await Run(executor, session, "zadd z 1.5 a 2 b");
        await Run(executor, session, "hset h f v");
        await Run(executor, session, "sadd s m");
        await Run(executor, session, "xadd x 1-1 f 1");

        Assert.Equal(expected, await Run(executor, session, line));
    }

    [Fact]
    public async Task Publish_goes_to_a_channel_in_the_learners_space()
    {
        var (executor, session, _) = Create();
        var received = new TaskCompletionSource<string>();
        var sub = redis.Multiplexer.GetSubscriber();
        var channel = RedisChannel.Literal(session.Prefix + "news");
        await sub.SubscribeAsync(channel, (_, m) => received.TrySetResult(m!));
        try
        {
            var reply = await Run(executor, session, "publish news hello");

            Assert.Equal("(integer) 1", reply);
            Assert.Equal("hello", await received.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct));
        }
        finally
        {
            await sub.UnsubscribeAsync(channel);
        }
    }

    [Fact]
    public async Task Multi_queues_and_exec_sends_one_transaction()
    {
        var (executor, session, _) = Create();

        Assert.Equal("OK", await Run(executor, session, "multi"));
        Assert.Equal("QUEUED", await Run(executor, session, "set a 1"));
        Assert.Equal("QUEUED", await Run(executor, session, "incr a"));
        Assert.Equal("QUEUED", await Run(executor, session, "lpush a x"));
        Assert.False(await redis.Multiplexer.GetDatabase().KeyExistsAsync(session.Prefix + "a")); // nothing sent yet
        var exec = await executor.ExecuteAsync(session, "exec", Ct);

        Assert.Equal("1) OK\n2) (integer) 2\n3) (error) WRONGTYPE Operation against a key holding the wrong kind of value", exec.Text);
        Assert.Contains("EXEC", exec.Trace.WireNames);
        Assert.Equal(4, exec.Trace.Commands[^1].Text.Split('\n').Length - 1); // MULTI, three commands, EXEC
        Assert.False(session.InMulti);
    }

    [Theory]
    [InlineData(new[] { "exec" }, "(error) ERR EXEC without MULTI")]
    [InlineData(new[] { "discard" }, "(error) ERR DISCARD without MULTI")]
    [InlineData(new[] { "multi", "multi" }, "(error) ERR MULTI calls can not be nested")]
    [InlineData(new[] { "multi", "watch a" }, "(error) ERR WATCH inside MULTI is not allowed")]
    [InlineData(new[] { "multi", "get" }, "(error) ERR wrong number of arguments for 'get' command")]
    [InlineData(new[] { "multi", "get", "exec" }, "(error) EXECABORT Transaction discarded because of previous errors.")]
    [InlineData(new[] { "multi", "config get x", "exec" }, "(error) EXECABORT Transaction discarded because of previous errors.")]
    [InlineData(new[] { "multi", "set a 1", "incrr a", "exec" }, "(error) EXECABORT Transaction discarded because of previous errors.")]
    [InlineData(new[] { "multi", "object nosuch a", "exec" }, "(error) EXECABORT Transaction discarded because of previous errors.")]
    [InlineData(new[] { "multi", "set a 1", "discard x", "exec" }, "(error) EXECABORT Transaction discarded because of previous errors.")]
    [InlineData(new[] { "multi", "set a 1", "exec x" }, "(error) EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command")]
    [InlineData(new[] { "multi", "set a 1", "exec x", "exec" }, "(error) ERR EXEC without MULTI")]
    [InlineData(new[] { "multi", "keys *" }, "(error) ERR the workbench answers 'keys' itself over your keys, so it cannot be part of a MULTI: run it before MULTI or after EXEC.")]
    [InlineData(new[] { "multi", "set a 1", "discard", "get a" }, "(nil)")]
    [InlineData(new[] { "multi", "exec" }, "(empty array)")]
    [InlineData(new[] { "unwatch" }, "OK")]
    public async Task Transaction_commands_answer_as_redis_does(string[] lines, string last)
    {
        var (executor, session, _) = Create();
        var reply = "";
        foreach (var line in lines)
        {
            reply = await Run(executor, session, line);
        }

        Assert.Equal(last, reply);
    }

    [Fact]
    public async Task Sort_and_sort_ro_without_patterns_sort_the_learners_key()
    {
        var (executor, session, _) = Create();
        await Run(executor, session, "RPUSH mylist 3 1 2");
        await Run(executor, session, "RPUSH by b a");

        var sort = await executor.ExecuteAsync(session, "SORT mylist", Ct);

        Assert.Equal("1) \"1\"\n2) \"2\"\n3) \"3\"", sort.Text);
        Assert.Equal("SORT " + session.Prefix + "mylist", Assert.Single(sort.Trace.Commands).Text);
        Assert.Equal("1) \"3\"\n2) \"2\"", await Run(executor, session, "SORT_RO mylist DESC LIMIT 0 2"));
        Assert.Equal("1) \"a\"\n2) \"b\"", await Run(executor, session, "SORT by ALPHA")); // a key named "by"
        Assert.Equal("1) \"1\"", await Run(executor, session, "SORT mylist LIMIT 0 1"));
    }

    [Theory]
    [InlineData("SORT mylist BY weight_*", "sort … by/get")]
    [InlineData("SORT_RO mylist GET object_*", "sort_ro … by/get")]
    [InlineData("SORT mylist LIMIT 0 1 GET #", "sort … by/get")]
    [InlineData("SORT mylist STORE dest", "sort … store")]
    public async Task Sort_with_a_pattern_or_store_is_refused_with_its_reason(string line, string refused)
    {
        var (executor, session, _) = Create();
        await Run(executor, session, "RPUSH mylist 3 1 2");

        var reply = await executor.ExecuteAsync(session, line, Ct);

        Assert.StartsWith($"(error) NOPERM the workbench does not run '{refused}': ", reply.Text, StringComparison.Ordinal);
        Assert.Contains(refused.EndsWith("store", StringComparison.Ordinal) ? "Sort without STORE" : "SORT and SORT_RO without BY or GET sort the key itself", reply.Text, StringComparison.Ordinal);
        Assert.False(reply.Sent);
        Assert.False(await redis.Multiplexer.GetDatabase().KeyExistsAsync(session.Prefix + "dest"));
    }

    // Redis's documented examples (CLUSTER KEYSLOT): the workbench answers on any server, on the name as typed.
    [Theory]
    [InlineData("CLUSTER KEYSLOT somekey", 11058)]
    [InlineData("cluster keyslot foo{hash_tag}", 2515)]
    [InlineData("CLUSTER KEYSLOT hash_tag", 2515)]
    [InlineData("CLUSTER KEYSLOT foo{}bar", 14292)] // an empty tag: the whole name
    public async Task Cluster_keyslot_answers_for_the_name_as_typed_and_says_why_the_learners_keys_share_a_slot(string line, int slot)
    {
        var (executor, session, _) = Create();

        var reply = await executor.ExecuteAsync(session, line, Ct);

        Assert.False(reply.IsError);
        Assert.False(reply.Sent);
        Assert.StartsWith($"(integer) {slot}\n(the slot of the name as you typed it. In the workbench all of your own keys share your hash tag, so they sit in one slot, {KeySlot.Of(Encoding.UTF8.GetBytes(session.Prefix))}: ", reply.Text, StringComparison.Ordinal);
        Assert.Contains("MSET cart:1 a cart:2 b works here, though on a cluster it fails across slots", reply.Text, StringComparison.Ordinal);
        Assert.StartsWith("(error) NOPERM the workbench does not run 'cluster|info'", await Run(executor, session, "CLUSTER INFO"), StringComparison.Ordinal);
        Assert.Equal("(error) ERR wrong number of arguments for 'cluster|keyslot' command", await Run(executor, session, "CLUSTER KEYSLOT"));
    }

    [Fact]
    public async Task An_unknown_command_inside_multi_aborts_the_transaction_as_redis_does()
    {
        var (executor, session, _) = Create();

        Assert.Equal("OK", await Run(executor, session, "SET k 10"));
        Assert.Equal("OK", await Run(executor, session, "MULTI"));
        Assert.Equal("QUEUED", await Run(executor, session, "INCR k"));
        Assert.StartsWith("(error) ERR unknown command 'INCRR'", await Run(executor, session, "INCRR k"), StringComparison.Ordinal);
        var exec = await executor.ExecuteAsync(session, "EXEC", Ct);

        Assert.Equal("(error) EXECABORT Transaction discarded because of previous errors.", exec.Text);
        Assert.False(exec.Sent);
        Assert.False(session.InMulti);
        Assert.Equal("\"10\"", await Run(executor, session, "GET k"));
    }

    [Fact]
    public async Task Watch_is_refused_with_the_reason()
    {
        var (executor, session, _) = Create();

        var reply = await executor.ExecuteAsync(session, "watch a", Ct);

        Assert.StartsWith("(error) NOPERM the workbench does not run 'watch': WATCH belongs to a connection", reply.Text, StringComparison.Ordinal);
        Assert.False(reply.Sent);
    }

    [Theory]
    [InlineData("set d 1", "(error) ERR the workbench keeps at most 3 keys per learner and you have 3")]
    [InlineData("set a 12345678901234567", "(error) ERR the workbench takes arguments of at most 16 bytes; argument 2 has 17.")]
    [InlineData("setbit a 1024 1", "(error) ERR the workbench keeps bitmaps to 1,024 bits")]
    [InlineData("setrange a 10 1234567", "(error) ERR the workbench keeps strings to 16 bytes")]
    [InlineData("append a 123456789012345", "(error) ERR the workbench keeps strings to 16 bytes: this APPEND would make 17")]
    [InlineData("bitfield a set u8 #128 1", "(error) ERR the workbench keeps bitmaps to 1,024 bits")]
    [InlineData("bitfield a incrby u8 1020 1", "(error) ERR the workbench keeps bitmaps to 1,024 bits")]
    public async Task A_limit_is_answered_with_its_message_and_changes_nothing(string line, string expected)
    {
        var (executor, session, _) = Create(new WorkbenchOptions { MaxKeys = 3, MaxValueBytes = 16, MaxBitOffset = 1023 });
        await Run(executor, session, "mset a 12 b 2 c 3");

        var reply = await Run(executor, session, line);

        Assert.StartsWith(expected, reply, StringComparison.Ordinal);
        Assert.Equal("\"12\"", await Run(executor, session, "get a"));
        Assert.Equal("(integer) 3", await Run(executor, session, "dbsize"));
    }

    [Theory]
    [InlineData("set a 3")]
    [InlineData("setbit a 1023 1")]
    [InlineData("setrange a 10 123456")]
    [InlineData("bitfield a set u8 #127 1")]
    [InlineData("del a")]
    public async Task A_command_within_the_limits_runs(string line)
    {
        var (executor, session, _) = Create(new WorkbenchOptions { MaxKeys = 3, MaxValueBytes = 16, MaxBitOffset = 1023 });
        await Run(executor, session, "mset a 12 b 2 c 3");

        var reply = await executor.ExecuteAsync(session, line, Ct);

        Assert.False(reply.IsError, reply.Text);
    }

    [Fact]
    public async Task A_learner_at_the_key_limit_may_add_again_after_deleting()
    {
        var (executor, session, _) = Create(new WorkbenchOptions { MaxKeys = 2 });
        await Run(executor, session, "set a 1");
        await Run(executor, session, "set b 1");
        Assert.StartsWith("(error) ERR the workbench keeps at most 2 keys", await Run(executor, session, "set c 1"), StringComparison.Ordinal);

        Assert.Equal("(integer) 1", await Run(executor, session, "del a"));
        Assert.Equal("OK", await Run(executor, session, "set c 1"));
        Assert.Equal("OK", await Run(executor, session, "set b 2")); // an existing key is no new key
    }

    [Fact]
    public async Task A_long_reply_is_cut_with_and_n_more()
    {
        var (executor, session, _) = Create(new WorkbenchOptions { MaxReplyElements = 3 });
        await Run(executor, session, "rpush l 1 2 3 4 5 6 7 8 9 10");

        var reply = await Run(executor, session, "lrange l 0 -1");

        Assert.Equal("1) \"1\"\n2) \"2\"\n3) \"3\"\n… and 7 more", reply);
    }

    [Fact]
    public async Task Commands_past_the_learners_rate_are_refused_with_when_to_retry()
    {
        var (executor, session, _) = Create(new WorkbenchOptions { CommandsPerSecond = 2 }, limiter: true);

        var replies = new List<WorkbenchReply>();
        for (var i = 0; i < 4; i++)
        {
            replies.Add(await executor.ExecuteAsync(session, "ping", Ct));
        }

        Assert.All(replies.Take(2), r => Assert.Equal("PONG", r.Text));
        Assert.All(replies.Skip(2), r =>
        {
            Assert.StartsWith("(error) ERR too many commands: the workbench takes 2 per second from each learner. Try again in ", r.Text, StringComparison.Ordinal);
            Assert.False(r.Sent);
        });
    }

    [Fact]
    public async Task Every_key_the_learner_uses_gets_the_workbench_ttl_unless_they_gave_it_their_own()
    {
        var (executor, session, _) = Create(new WorkbenchOptions { KeyTtlSeconds = 600 });

        await Run(executor, session, "set a 1");
        await Run(executor, session, "rpush l x");
        var ttlA = await Run(executor, session, "ttl a");
        await Run(executor, session, "expire a 30");
        await Run(executor, session, "get a");
        var own = await Run(executor, session, "ttl a");
        await Run(executor, session, "set b 1 ex 40");
        await Run(executor, session, "append b 2");
        var ownB = await Run(executor, session, "ttl b");
        await Run(executor, session, "set a 2"); // SET without EX clears the TTL: the workbench's comes back

        // The workbench's own TTL is on the key in Redis, and the learner reads -1 for it (as Redis says of a key without a TTL).
        async Task<double> Housekeeping(string key) => (await redis.Multiplexer.GetDatabase().KeyTimeToLiveAsync(session.Prefix + key))!.Value.TotalSeconds;
        Assert.StartsWith("(integer) -1\n", ttlA, StringComparison.Ordinal);
        Assert.InRange(long.Parse(own["(integer) ".Length..], System.Globalization.CultureInfo.InvariantCulture), 25, 30);
        Assert.InRange(long.Parse(ownB["(integer) ".Length..], System.Globalization.CultureInfo.InvariantCulture), 35, 40);
        Assert.StartsWith("(integer) -1\n", await Run(executor, session, "ttl a"), StringComparison.Ordinal);
        Assert.InRange(await Housekeeping("a"), 590, 600);
        Assert.StartsWith("(integer) -1\n", await Run(executor, session, "ttl l"), StringComparison.Ordinal);
        Assert.InRange(await Housekeeping("l"), 590, 600);
    }

    [Fact]
    public async Task The_trace_shows_the_command_as_sent_and_its_csharp()
    {
        var (executor, session, _) = Create();

        var reply = await executor.ExecuteAsync(session, "hset h f \"two words\"", Ct);

        var command = reply.Trace.Commands[^1];
        Assert.Equal($"HSET {session.Prefix}h f \"two words\"", command.Text);
        Assert.Contains("db.ExecuteAsync(\"HSET\"", command.CSharp, StringComparison.Ordinal);
        Assert.Equal("(integer) 1", command.Result);
    }

    [Fact]
    public async Task A_blank_line_prints_nothing_and_sends_nothing()
    {
        var (executor, session, _) = Create();

        var reply = await executor.ExecuteAsync(session, "   ", Ct);

        Assert.Equal("", reply.Text);
        Assert.False(reply.Sent);
        _ = Encoding.UTF8;
    }

    [Fact]
    public async Task A_learners_memory_is_capped_on_what_Redis_measures_and_deleting_frees_room()
    {
        var (executor, session, _) = Create(new WorkbenchOptions { MaxLearnerBytes = 64 * 1024, MaxValueBytes = 30_000 });
        var value = new string('v', 20_000);

        var first = await executor.ExecuteAsync(session, $"SET a {value}", Ct);
        var second = await executor.ExecuteAsync(session, $"SET b {value}", Ct);
        var third = await executor.ExecuteAsync(session, $"SET c {value}", Ct);
        var fourth = await executor.ExecuteAsync(session, $"SET d {value}", Ct);
        var bits = await executor.ExecuteAsync(session, "SETBIT e 200000 1", Ct);

        Assert.Equal(["OK", "OK", "OK"], new[] { first.Text, second.Text, third.Text });
        Assert.True(fourth.IsError);
        Assert.Contains("at most 65,536 bytes per learner", fourth.Text, StringComparison.Ordinal);
        Assert.Contains("MEMORY USAGE", string.Join('\n', fourth.Trace.Commands.Select(c => c.Text)), StringComparison.Ordinal);
        Assert.DoesNotContain(fourth.Trace.Commands, c => c.Text.StartsWith("SET ", StringComparison.Ordinal));
        Assert.True(bits.IsError); // SETBIT at bit 200,000 would grow a 25 KB string
        Assert.False(await redis.Multiplexer.GetDatabase().KeyExistsAsync(session.Prefix + "d"));

        await executor.ExecuteAsync(session, "DEL a b", Ct);
        var again = await executor.ExecuteAsync(session, $"SET d {value}", Ct);

        Assert.Equal("OK", again.Text);
    }

    [Theory]
    [InlineData("GEORADIUS g 0 0 1 m STORE mine STORE {0}")]
    [InlineData("GEORADIUS g 0 0 1 m STOREDIST mine STOREDIST {0}")]
    [InlineData("GEORADIUSBYMEMBER g p 1 m STORE mine store {0}")]
    public async Task A_keyword_given_twice_is_refused_and_a_key_outside_the_learners_space_survives(string template)
    {
        var (executor, session, keyspace) = Create();
        var db = redis.Multiplexer.GetDatabase();
        var neighbour = WorkbenchKeyRewriter.PrefixOf(keyspace.ForLearner(LearnerId.New())) + "board";
        var bare = "bare-" + Guid.NewGuid().ToString("N");
        await db.StringSetAsync(neighbour, "theirs");
        await db.StringSetAsync(bare, "app");
        await Run(executor, session, "GEOADD g 13.36 38.11 p");

        var toNeighbour = await executor.ExecuteAsync(session, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, neighbour), Ct);
        var toBare = await executor.ExecuteAsync(session, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, bare), Ct);

        foreach (var reply in new[] { toNeighbour, toBare })
        {
            Assert.True(reply.IsError);
            Assert.Contains("more than once", reply.Text, StringComparison.Ordinal);
            Assert.False(reply.Sent);
        }

        Assert.Equal("theirs", (string?)await db.StringGetAsync(neighbour));
        Assert.Equal("app", (string?)await db.StringGetAsync(bare));
    }

    [Theory]
    [InlineData("SADD s a b c", "SRANDMEMBER s")]
    [InlineData("ZADD s 1 a 2 b", "ZRANDMEMBER s")]
    [InlineData("HSET s a 1 b 2", "HRANDFIELD s")]
    public async Task A_random_pick_with_a_huge_negative_count_is_refused_and_a_small_one_runs(string setup, string pick)
    {
        var (executor, session, _) = Create(new WorkbenchOptions { MaxReplyElements = 100 });
        await Run(executor, session, setup);

        var huge = await executor.ExecuteAsync(session, pick + " -1000000", Ct);
        var hugest = await executor.ExecuteAsync(session, pick + " -1000000000000", Ct);
        var small = await executor.ExecuteAsync(session, pick + " -5", Ct);

        Assert.All([huge, hugest], r =>
        {
            Assert.True(r.IsError);
            Assert.Contains("at most 100", r.Text, StringComparison.Ordinal);
            Assert.False(r.Sent);
        });
        Assert.False(small.IsError, small.Text);
        Assert.StartsWith("1) ", small.Text, StringComparison.Ordinal);
        Assert.Contains("5) ", small.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_rate_is_checked_before_the_workbenchs_own_costly_checks()
    {
        var (executor, session, _) = Create(new WorkbenchOptions { CommandsPerSecond = 1, MaxKeys = 1 }, limiter: true);
        Assert.Equal("OK", await Run(executor, session, "set a 1"));

        var reply = await executor.ExecuteAsync(session, "set b 1", Ct);

        Assert.StartsWith("(error) ERR too many commands", reply.Text, StringComparison.Ordinal);
        Assert.False(reply.Sent);
        Assert.DoesNotContain(reply.Trace.Commands, c => c.Text.StartsWith("SCAN ", StringComparison.Ordinal) || c.Text.StartsWith("EXISTS ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Exec_costs_one_command_of_the_rate_per_queued_command()
    {
        var (executor, session, _) = Create(new WorkbenchOptions { CommandsPerSecond = 3 }, limiter: true);
        Assert.Equal("OK", await Run(executor, session, "set a 1"));
        await Run(executor, session, "multi");
        foreach (var key in new[] { "b", "c", "d" })
        {
            Assert.Equal("QUEUED", await Run(executor, session, "set " + key + " 1"));
        }

        var reply = await executor.ExecuteAsync(session, "exec", Ct);

        Assert.StartsWith("(error) ERR too many commands", reply.Text, StringComparison.Ordinal);
        Assert.False(await redis.Multiplexer.GetDatabase().KeyExistsAsync(session.Prefix + "b"));
    }
}
