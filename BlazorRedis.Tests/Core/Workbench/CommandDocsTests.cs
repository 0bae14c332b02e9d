using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Workbench;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.Core.Workbench;

/// <summary>Help as you type, from the real server's COMMAND DOCS and command table; and the history kept per learner.</summary>
public class CommandDocsTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_docs_read_from_the_server_give_syntax_summary_complexity_and_since()
    {
        var docs = await CommandDocs.ForAsync(redis.Multiplexer);

        var set = docs.Find("set")!;
        Assert.Equal("SET", set.Name);
        Assert.StartsWith("key value [NX | XX] [GET] [EX seconds | PX milliseconds", set.Syntax, StringComparison.Ordinal);
        Assert.Equal("1.0.0", set.Since);
        Assert.Equal("O(1)", set.Complexity);
        Assert.Equal("string", set.Group);
        Assert.False(string.IsNullOrWhiteSpace(set.Summary));

        Assert.Equal("key [key ...]", docs.Find("del")!.Syntax);
        Assert.Equal("key", docs.Find("object", "encoding")!.Syntax);
        Assert.Equal("OBJECT ENCODING", docs.Find("OBJECT", "ENCODING")!.Name);
        Assert.Null(docs.Find("nosuch"));
        Assert.Contains("[WITHSCORES]", docs.Find("zrange")!.Syntax, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hint_completes_the_first_word_with_commands_the_workbench_runs_only()
    {
        var (executor, _) = WorkbenchKeyBrowserTests.Create(redis);

        var lpu = await executor.HintAsync("lpu");
        var conf = await executor.HintAsync("conf");
        var typed = await executor.HintAsync("lpush ");

        Assert.Equal(["LPUSH", "LPUSHX"], lpu!.Completions);
        Assert.Empty(conf!.Completions); // CONFIG is refused, so it is not offered
        Assert.Empty(typed!.Completions);
        Assert.Equal("LPUSH", typed.Doc!.Name);
        Assert.Null(typed.Refusal);
        Assert.Null(await executor.HintAsync("   "));
    }

    [Theory]
    [InlineData("config get maxmemory", "administers the server")]
    [InlineData("eval \"return 1\" 0", "scripts")]
    [InlineData("blpop queue 0", "blocking")]
    public async Task A_hint_says_why_a_command_would_be_refused_before_it_is_sent(string line, string reason)
    {
        var (executor, _) = WorkbenchKeyBrowserTests.Create(redis);

        var hint = await executor.HintAsync(line);

        Assert.Contains(reason, hint!.Refusal, StringComparison.Ordinal);
        Assert.NotNull(hint.Doc);
    }

    [Fact]
    public async Task The_history_is_kept_per_learner_newest_last_and_capped()
    {
        var (executor, _) = WorkbenchKeyBrowserTests.Create(redis);
        var learner = LearnerId.New();
        using var first = executor.OpenSession(learner);
        using var other = executor.OpenSession(LearnerId.New());

        for (var i = 0; i < WorkbenchExecutor.MaxHistory + 5; i++)
        {
            executor.Remember(first, $"SET k {i}");
        }

        executor.Remember(first, new string('x', WorkbenchExecutor.MaxHistoryLineLength + 1));
        await executor.ExecuteAsync(first, "PING", Ct); // after the fire-and-forget writes on the same connection
        using var again = executor.OpenSession(learner);
        var history = await executor.HistoryAsync(again);

        Assert.Equal(WorkbenchExecutor.MaxHistory, history.Count);
        Assert.Equal("SET k 5", history[0]);
        Assert.Equal($"SET k {WorkbenchExecutor.MaxHistory + 4}", history[^1]);
        Assert.Empty(await executor.HistoryAsync(other));
    }
}
