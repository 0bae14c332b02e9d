using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.Infrastructure;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Tracing;

public class RedisTracerTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Records_each_command_with_text_csharp_reply_and_the_wire_command_profiled()
    {
        var key = redis.NewKeyspace().Key("t", "greeting");
        var db = redis.Multiplexer.GetDatabase();
        var trace = redis.Tracer.Start("Set and read a greeting");

        // StackExchange.Redis sends SET with an expiry as SETEX: the trace text says what really goes on the wire.
        await trace.RunAsync(RedisCommandText.Format("SETEX", key, 60, "hello world"), "await db.StringSetAsync(key, \"hello world\", TimeSpan.FromSeconds(60));",
            () => db.StringSetAsync(key, "hello world", TimeSpan.FromSeconds(60)), ok => ok ? "OK" : "(nil)");
        var value = await trace.RunAsync(RedisCommandText.Format("GET", key), "await db.StringGetAsync(key);", () => db.StringGetAsync(key), RedisCommandText.Reply);
        var result = trace.Finish();

        Assert.Equal("hello world", (string?)value);
        Assert.Equal("Set and read a greeting", result.Operation);
        Assert.Collection(
            result.Commands,
            set =>
            {
                Assert.Equal($"SETEX {key} 60 \"hello world\"", set.Text);
                Assert.Equal("OK", set.Result);
                Assert.Equal("SETEX", Assert.Single(set.Wire).Name);
                Assert.True(set.RoundTrip > TimeSpan.Zero);
            },
            get =>
            {
                Assert.Equal("\"hello world\"", get.Result);
                Assert.Equal("GET", Assert.Single(get.Wire).Name);
            });
        Assert.Contains("StringSetAsync", result.CSharp, StringComparison.Ordinal);
        Assert.True(result.Total >= result.Commands.Max(c => c.Elapsed));
    }

    [Fact]
    public async Task Concurrent_operations_never_see_each_others_commands()
    {
        var keys = redis.NewKeyspace();
        var db = redis.Multiplexer.GetDatabase();

        async Task<OperationTrace> Run(int i)
        {
            var trace = redis.Tracer.Start($"op {i}");
            var key = keys.Key("c", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await trace.RunAsync("INCR", "db.StringIncrementAsync(key)", () => db.StringIncrementAsync(key), RedisCommandText.IntegerReply);
            await trace.RunAsync("INCR", "db.StringIncrementAsync(key)", () => db.StringIncrementAsync(key), RedisCommandText.IntegerReply);
            return trace.Finish();
        }

        var traces = await Task.WhenAll(Enumerable.Range(0, 50).Select(Run));

        Assert.All(traces, t => Assert.Equal(["INCR", "INCR"], t.WireNames));
        Assert.All(traces, t => Assert.Equal("(integer) 2", t.Commands[1].Result));
    }

    [Fact]
    public async Task A_step_that_sends_many_commands_lists_them_all_on_the_wire()
    {
        var key = redis.NewKeyspace().Key("t", "many");
        var db = redis.Multiplexer.GetDatabase();
        var trace = redis.Tracer.Start("100 INCRs");

        await trace.RunAsync("INCR ×100", "await Task.WhenAll(…)",
            () => Task.WhenAll(Enumerable.Range(0, 100).Select(_ => db.StringIncrementAsync(key))), r => RedisCommandText.IntegerReply(r.Max()));

        var step = Assert.Single(trace.Finish().Commands);
        Assert.Equal(100, step.Wire.Count(w => w.Name == "INCR"));
        Assert.Equal("(integer) 100", step.Result);
    }

    [Fact]
    public async Task A_redis_error_is_recorded_as_failed_and_rethrown()
    {
        var key = redis.NewKeyspace().Key("t", "notanumber");
        var db = redis.Multiplexer.GetDatabase();
        await db.StringSetAsync(key, "abc");
        var trace = redis.Tracer.Start("Bad INCR");

        await Assert.ThrowsAsync<RedisServerException>(() =>
            trace.RunAsync(RedisCommandText.Format("INCR", key), "db.StringIncrementAsync(key)", () => db.StringIncrementAsync(key), RedisCommandText.IntegerReply));

        var step = Assert.Single(trace.Finish().Commands);
        Assert.True(step.Failed);
        Assert.Contains("not an integer", step.Result, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new object[] { "SET", "k", "v" }, "SET k v")]
    [InlineData(new object[] { "SET", "k", "two words" }, "SET k \"two words\"")]
    [InlineData(new object[] { "SET", "k", "" }, "SET k \"\"")]
    [InlineData(new object[] { "SET", "k", "a\r\nb" }, "SET k \"a\\r\\nb\"")]
    [InlineData(new object[] { "ZADD", "k", 1.5, "m" }, "ZADD k 1.5 m")]
    public void Command_text_quotes_like_redis_cli(object[] parts, string expected)
    {
        Assert.Equal(expected, RedisCommandText.Format((string)parts[0], parts.Skip(1)));
    }

    [Fact]
    public void Long_arguments_are_shortened_in_the_text_only()
    {
        var text = RedisCommandText.Format("SET", "k", new string('x', 5000));
        Assert.Contains("(5000 bytes)", text, StringComparison.Ordinal);
        Assert.True(text.Length < 200);
    }

    [Fact]
    public void Replies_read_like_redis_cli()
    {
        Assert.Equal("(nil)", RedisCommandText.Reply(RedisValue.Null));
        Assert.Equal("(integer) 7", RedisCommandText.Reply(7));
        Assert.Equal("\"hi\"", RedisCommandText.Reply("hi"));
        Assert.Equal("(empty array)", RedisCommandText.List([]));
        Assert.Equal("\"a\\\"b\"", RedisCommandText.CSharpString("a\"b"));
    }

    [Fact]
    public async Task The_csharp_shown_is_the_source_of_the_call_that_ran()
    {
        RedisKey key = redis.NewKeyspace().Key("t", "caller");
        var db = redis.Multiplexer.GetDatabase();
        var recorder = redis.Tracer.Start("Caller expression");

        await recorder.RunAsync(RedisCommandText.Format("SET", key, "v"), () => db.StringSetAsync(key, "v"), ok => ok ? "OK" : "(nil)");
        await recorder.RunAsync(RedisCommandText.Format("UNLINK", key), () => db.KeyDeleteAsync(key));
        var trace = recorder.Finish();

        Assert.Equal(["await db.StringSetAsync(key, \"v\");", "await db.KeyDeleteAsync(key);"], trace.Commands.Select(c => c.CSharp));
        Assert.Equal(["SET", "UNLINK"], trace.WireNames);
        Assert.Empty(SnippetCompiler.Errors(trace.CSharp));
    }

    [Fact]
    public async Task The_null_recorder_runs_every_call_and_records_nothing()
    {
        RedisKey key = redis.NewKeyspace().Key("t", "untraced");
        var db = redis.Multiplexer.GetDatabase();

        var ok = await TraceRecorder.None.RunAsync("SET", () => db.StringSetAsync(key, "v"), r => r.ToString());

        Assert.True(ok);
        Assert.Equal("v", (string?)await db.StringGetAsync(key));
        Assert.False(TraceRecorder.None.IsRecording);
        Assert.Empty(TraceRecorder.None.Finish().Commands);
        await db.KeyDeleteAsync(key);
    }

    [Fact]
    public void A_lambda_becomes_the_statement_a_learner_writes()
    {
        Assert.Equal("await db.StringGetAsync(key);", RedisCommandText.CSharpOfCall("() => db.StringGetAsync(key)"));
        Assert.Equal("await db.StringGetAsync(key);", RedisCommandText.CSharpOfCall("db => db.StringGetAsync(key)"));
        Assert.Equal("await server.FlushDatabaseAsync();", RedisCommandText.CSharpOfCall("() => server.FlushDatabaseAsync()"));
    }
}
