using System.Text;
using BlazorRedis.Core;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Workbench;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.Core.Workbench;

/// <summary>Blocking commands on a real Redis: each on a connection of its own, its timeout capped, never stalling the shared one.</summary>
public sealed class WorkbenchBlockingTests(RedisServerFixture redis) : IAsyncDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private BlockingConnections? _pool;

    private WorkbenchExecutor Create(int maxBlockMs = 400, int connections = 4)
    {
        var options = Options.Create(new WorkbenchOptions { MaxBlockMilliseconds = maxBlockMs, MaxBlockingConnections = connections });
        _pool = new BlockingConnections(redis.Multiplexer, options);
        return new WorkbenchExecutor(redis.Multiplexer, redis.Tracer, redis.NewKeyspace(), new RedisCommandBudget(redis.Multiplexer, TimeSpan.FromSeconds(2)), options, null, _pool);
    }

    public async ValueTask DisposeAsync()
    {
        if (_pool is not null)
        {
            await _pool.DisposeAsync();
        }
    }

    [Fact]
    public async Task BLPOP_answers_at_once_when_the_list_has_an_element()
    {
        var executor = Create();
        using var session = executor.OpenSession(LearnerId.New());
        await executor.ExecuteAsync(session, "RPUSH jobs resize", Ct);

        var reply = await executor.ExecuteAsync(session, "BLPOP jobs 5", Ct);

        Assert.Equal("1) \"jobs\"\n2) \"resize\"", reply.Text);
        Assert.Contains("on a connection of its own", reply.Trace.Commands[^1].CSharp, StringComparison.Ordinal);
        Assert.Equal(1, _pool!.Opened);
    }

    [Fact]
    public async Task A_timeout_of_zero_waits_only_as_long_as_the_cap_and_says_so()
    {
        var executor = Create(maxBlockMs: 300);
        using var session = executor.OpenSession(LearnerId.New());

        var reply = await executor.ExecuteAsync(session, "BRPOP empty 0", Ct);

        Assert.Equal("(nil)\n(waited 0.3 s, the longest the workbench waits)", reply.Text);
        Assert.EndsWith(" 0.3", reply.Trace.Commands[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_push_from_the_learners_other_tab_wakes_a_waiting_BLPOP_while_the_shared_connection_keeps_answering()
    {
        var executor = Create(maxBlockMs: 10_000);
        var learner = LearnerId.New();
        using var waiting = executor.OpenSession(learner);
        using var other = executor.OpenSession(learner);

        var pop = executor.ExecuteAsync(waiting, "BLPOP queue 0", Ct);
        // The shared multiplexer is not held: a command of the other tab answers while BLPOP waits.
        var ping = await executor.ExecuteAsync(other, "PING", Ct);
        Assert.False(pop.IsCompleted);
        await executor.ExecuteAsync(other, "RPUSH queue hello", Ct);
        var reply = await pop;

        Assert.Equal("PONG", ping.Text);
        Assert.Equal("1) \"queue\"\n2) \"hello\"", reply.Text);
    }

    [Fact]
    public async Task XREAD_BLOCK_gets_the_entry_added_while_it_waits()
    {
        var executor = Create(maxBlockMs: 10_000);
        var learner = LearnerId.New();
        using var reader = executor.OpenSession(learner);
        using var writer = executor.OpenSession(learner);
        await executor.ExecuteAsync(writer, "XADD temps 1-1 c 20", Ct);

        var read = executor.ExecuteAsync(reader, "XREAD BLOCK 0 STREAMS temps 1-1", Ct);
        await executor.ExecuteAsync(writer, "XADD temps 2-1 c 21", Ct);
        var reply = await read;

        Assert.Contains("\"2-1\"", reply.Text, StringComparison.Ordinal);
        Assert.Contains("\"21\"", reply.Text, StringComparison.Ordinal);
        Assert.Contains("BLOCK 10000", reply.Trace.Commands[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_every_blocking_connection_waits_the_next_blocking_command_is_refused_at_once()
    {
        var executor = Create(maxBlockMs: 1_000, connections: 1);
        using var first = executor.OpenSession(LearnerId.New());
        using var second = executor.OpenSession(LearnerId.New());

        var waiting = executor.ExecuteAsync(first, "BLPOP a 0", Ct);
        await Task.Delay(100, Ct); // the first holds the only connection
        var refused = await executor.ExecuteAsync(second, "BLPOP b 0", Ct);
        await waiting;

        Assert.True(refused.IsError);
        Assert.Contains("connections the workbench keeps for blocking commands", refused.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inside_MULTI_a_blocking_command_is_queued_and_answers_at_once_as_Redis_does()
    {
        var executor = Create();
        using var session = executor.OpenSession(LearnerId.New());

        await executor.ExecuteAsync(session, "MULTI", Ct);
        var queued = await executor.ExecuteAsync(session, "BLPOP nothing 0", Ct);
        var exec = await executor.ExecuteAsync(session, "EXEC", Ct);

        Assert.Equal("QUEUED", queued.Text);
        Assert.Equal("1) (nil)", exec.Text);
        Assert.Equal(0, _pool!.Opened);
    }

    [Theory]
    [InlineData("BLPOP k 0", "BLPOP k 10")]
    [InlineData("BLPOP k 3", "BLPOP k 3")]
    [InlineData("BLPOP k 99", "BLPOP k 10")]
    [InlineData("BLMPOP 0 1 k LEFT", "BLMPOP 10 1 k LEFT")]
    [InlineData("BZPOPMIN a b 0.5", "BZPOPMIN a b 0.5")]
    [InlineData("XREAD COUNT 1 BLOCK 0 STREAMS s $", "XREAD COUNT 1 BLOCK 10000 STREAMS s $")]
    [InlineData("XREAD BLOCK 2500 STREAMS s $", "XREAD BLOCK 2500 STREAMS s $")]
    public async Task The_timeout_is_capped_wherever_the_command_keeps_it(string line, string sent)
    {
        var table = await CommandTable.ForAsync(redis.Multiplexer);
        var args = CommandLineParser.Parse(line);
        var command = new WorkbenchCommand(table.Find(args)!, args, []);

        var capped = WorkbenchExecutor.CapTimeout(command, TimeSpan.FromSeconds(10), out var changed);

        Assert.Equal(sent, string.Join(' ', capped.Arguments.Select(a => Encoding.ASCII.GetString(a))));
        Assert.Equal(sent != line, changed);
    }

    [Theory]
    [InlineData("BLPOP k -1")]
    [InlineData("BLPOP k soon")]
    [InlineData("BLPOP k 0x10")]
    [InlineData("BLPOP k 0XFFFFFF")]
    [InlineData("BLPOP k 1e3")]
    [InlineData("BLPOP k inf")]
    [InlineData("BLMPOP 0x10 1 k LEFT")]
    [InlineData("XREAD BLOCK 0x10 STREAMS s $")]
    [InlineData("XREAD BLOCK 1.5 STREAMS s $")]
    public async Task A_timeout_that_is_not_a_plain_number_is_refused(string line)
    {
        var table = await CommandTable.ForAsync(redis.Multiplexer);
        var args = CommandLineParser.Parse(line);
        var command = new WorkbenchCommand(table.Find(args)!, args, []);

        var refused = Assert.Throws<LearnerInputException>(() => WorkbenchExecutor.CapTimeout(command, TimeSpan.FromSeconds(10), out _));

        Assert.Contains("plain number", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hex_timeout_is_refused_at_once_and_the_only_blocking_connection_stays_free()
    {
        var executor = Create(maxBlockMs: 300, connections: 1);
        using var session = executor.OpenSession(LearnerId.New());

        var hex = await executor.ExecuteAsync(session, "BLPOP q 0x10", Ct);
        var next = await executor.ExecuteAsync(session, "BLPOP q2 0.1", Ct);

        Assert.True(hex.IsError);
        Assert.Contains("plain number", hex.Text, StringComparison.Ordinal);
        Assert.False(hex.Sent);
        Assert.Equal("(nil)", next.Text);
    }

    [Fact]
    public async Task A_connection_whose_call_failed_is_closed_not_given_to_the_next_command()
    {
        Create(connections: 1);
        var pool = _pool!;

        // A call that ends without its reply (a timeout) may leave the connection blocked in Redis.
        await Assert.ThrowsAsync<TimeoutException>(() => pool.RunAsync<bool>(async db =>
        {
            await db.PingAsync();
            throw new TimeoutException("no reply in time");
        }));
        var opened = pool.Opened;
        var pong = await pool.RunAsync(db => db.PingAsync());

        Assert.Equal(0, opened);
        Assert.True(pong >= TimeSpan.Zero);
        Assert.Equal(1, pool.Opened);
    }

    [Fact]
    public async Task Leaving_while_a_blocking_command_waits_ends_it_without_an_exception()
    {
        var executor = Create(maxBlockMs: 300);
        var session = executor.OpenSession(LearnerId.New());

        var waiting = executor.ExecuteAsync(session, "BLPOP q 0", Ct);
        session.Dispose();
        var reply = await waiting;

        Assert.StartsWith("(nil)", reply.Text, StringComparison.Ordinal);
    }
}
