using System.Text;
using BlazorRedis.Core;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Core.Workbench;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.Core.Workbench;

/// <summary>The key browser on a real Redis: what it lists, how it reads each of the nine types, and whose keys it sees.</summary>
public class WorkbenchKeyBrowserTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static (WorkbenchExecutor Executor, WorkbenchKeyBrowser Browser) Create(RedisServerFixture redis, WorkbenchOptions? options = null, bool limiter = false)
    {
        var keyspace = redis.NewKeyspace();
        var rate = limiter
            ? new RedisRateLimitService(redis.Multiplexer, redis.Tracer, keyspace, Options.Create(new RateLimitingOptions()), NullLogger<RedisRateLimitService>.Instance)
            : null;
        var budget = new RedisCommandBudget(redis.Multiplexer, TimeSpan.FromSeconds(2));
        var executor = new WorkbenchExecutor(redis.Multiplexer, redis.Tracer, keyspace, budget, Options.Create(options ?? new WorkbenchOptions()), rate);
        return (executor, new WorkbenchKeyBrowser(redis.Multiplexer, redis.Tracer, budget, executor));
    }

    private async Task<WorkbenchSession> TypedAsync(WorkbenchExecutor executor, params string[] lines)
    {
        var session = executor.OpenSession(LearnerId.New());
        foreach (var line in lines)
        {
            var reply = await executor.ExecuteAsync(session, line, Ct);
            Assert.False(reply.IsError, line + " → " + reply.Text);
        }

        return session;
    }

    private async Task<WorkbenchKeyContent> ReadAsync(WorkbenchKeyBrowser browser, WorkbenchSession session, string key) =>
        (await browser.ReadAsync(session, Encoding.UTF8.GetBytes(key), Ct)).Content;

    [Fact]
    public async Task It_lists_only_the_learners_keys_with_type_encoding_ttl_and_memory_in_their_names()
    {
        var (executor, browser) = Create(redis);
        var mine = await TypedAsync(executor, "SET greeting hello", "RPUSH queue a b c", "SET counter 42", "EXPIRE counter 100");
        var neighbour = await TypedAsync(executor, "SET greeting not-yours", "SADD secret x");

        var page = await browser.ListAsync(mine, cancellationToken: Ct);

        Assert.Equal(["counter", "greeting", "queue"], page.Keys.Select(k => k.Name));
        Assert.False(page.HasMore);
        var counter = page.Keys[0];
        Assert.Equal(("string", "int"), (counter.Type, counter.Encoding));
        Assert.InRange(counter.TtlMilliseconds!.Value, 1, 100_000);
        Assert.InRange(counter.Bytes!.Value, 1, 1000);
        Assert.Equal("list", page.Keys[2].Type);
        Assert.Contains(page.Keys[2].Encoding, new[] { "listpack", "quicklist" }); // Redis 7.2+ / 7.0
        Assert.NotNull(page.Keys[1].TtlMilliseconds); // the workbench's sliding TTL
        // The listing is SCAN steps over the learner's prefix (as many as a busy keyspace needs) and four commands per key.
        var scans = page.Trace.Commands.Count(c => c.Text.StartsWith("SCAN ", StringComparison.Ordinal));
        Assert.InRange(scans, 1, WorkbenchKeyBrowser.MaxScanSteps);
        Assert.Equal(3 * 4, page.Trace.Commands.Count - scans);
        Assert.NotEqual(mine.Prefix, neighbour.Prefix);
    }

    [Fact]
    public async Task Pages_of_at_most_a_page_of_keys_follow_the_scan_cursor_until_every_key_is_listed_once()
    {
        var (executor, browser) = Create(redis);
        var session = await TypedAsync(executor, "MSET " + string.Join(' ', Enumerable.Range(0, 45).Select(i => $"k{i} v{i}")));

        var names = new List<string>();
        var cursor = "0";
        var pages = 0;
        do
        {
            var page = await browser.ListAsync(session, cursor, Ct);
            Assert.InRange(page.Keys.Count, 0, WorkbenchKeyBrowser.PageSize);
            var scans = page.Trace.Commands.Count(c => c.Text.StartsWith("SCAN ", StringComparison.Ordinal));
            Assert.InRange(page.Trace.Commands.Count - scans, 0, 4 * WorkbenchKeyBrowser.PageSize);
            names.AddRange(page.Keys.Select(k => k.Name));
            cursor = page.Cursor;
            pages++;
        }
        while (cursor != "0" && pages < 50);

        Assert.InRange(pages, 3, 49);
        Assert.Equal(Enumerable.Range(0, 45).Select(i => $"k{i}").Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("SET h HYLLxxxxxxxxxxxxxxxx")]
    [InlineData("SET h \"HYLL\\x00\\x00\\x00\\x00xxxxxxxxxxxx\"")]
    public async Task A_string_that_only_starts_like_a_HyperLogLog_is_read_as_a_string(string line)
    {
        var (executor, browser) = Create(redis);
        var session = await TypedAsync(executor, line);

        var content = await ReadAsync(browser, session, "h");

        var text = Assert.IsType<StringKeyContent>(content);
        Assert.Equal(20, text.Length);
    }

    [Fact]
    public async Task Each_of_the_nine_types_is_read_for_its_picture()
    {
        var (executor, browser) = Create(redis);
        var session = await TypedAsync(
            executor,
            "SET note \"hello world\"",
            "RPUSH jobs resize email thumbnail",
            "HSET user:1 name Ada visits 3",
            "SADD tags redis cache",
            "ZADD board 10 ada 30 bob 20 cy",
            "SETBIT logins 3 1",
            "SETBIT logins 9 1",
            "PFADD visitors a b c d",
            "GEOADD cafes 77.5946 12.9716 central 77.6101 12.9759 mg-road",
            "XADD temps * c 21.5",
            "XADD temps * c 22",
            "XGROUP CREATE temps billing 0",
            "XREADGROUP GROUP billing w1 COUNT 1 STREAMS temps >");

        var note = Assert.IsType<StringKeyContent>(await ReadAsync(browser, session, "note"));
        Assert.Equal(("hello world", 11L, false), (note.Text, note.Length, note.LooksBinary));

        var jobs = Assert.IsType<ListKeyContent>(await ReadAsync(browser, session, "jobs"));
        Assert.Equal(["resize", "email", "thumbnail"], jobs.Items);

        var user = Assert.IsType<HashKeyContent>(await ReadAsync(browser, session, "user:1"));
        Assert.Equal([new("name", "Ada"), new("visits", "3")], user.Fields.OrderBy(f => f.Key, StringComparer.Ordinal));

        var tags = Assert.IsType<SetKeyContent>(await ReadAsync(browser, session, "tags"));
        Assert.Equal(["cache", "redis"], tags.Members);

        var board = Assert.IsType<SortedSetKeyContent>(await ReadAsync(browser, session, "board"));
        Assert.Equal(["bob", "cy", "ada"], board.Entries.Select(e => e.Member));
        Assert.False(board.LooksGeo);

        var logins = Assert.IsType<StringKeyContent>(await ReadAsync(browser, session, "logins"));
        Assert.Equal([(byte)0b0001_0000, (byte)0b0100_0000], logins.Head);
        Assert.Equal(2L, logins.SetBits);
        Assert.True(logins.LooksBinary);

        var visitors = Assert.IsType<HyperLogLogKeyContent>(await ReadAsync(browser, session, "visitors"));
        Assert.Equal((4L, "sparse"), (visitors.Estimate, visitors.Representation));

        var cafes = Assert.IsType<SortedSetKeyContent>(await ReadAsync(browser, session, "cafes"));
        Assert.True(cafes.LooksGeo);
        var central = Assert.Single(cafes.Positions!, p => p.Member == "central");
        Assert.Equal(77.5946, central.Longitude, 3);
        Assert.Equal(12.9716, central.Latitude, 3);

        var temps = Assert.IsType<StreamKeyContent>(await ReadAsync(browser, session, "temps"));
        Assert.Equal(2, temps.Length);
        Assert.Equal("21.5", temps.Entries[0].Fields[0].Value);
        var group = Assert.Single(temps.Groups);
        Assert.Equal(("billing", 1L), (group.Name, group.PendingCount));
        Assert.Equal("w1", Assert.Single(group.Pending).Consumer);
    }

    [Fact]
    public async Task A_long_key_is_read_up_to_the_reply_limit_and_says_how_many_there_are()
    {
        var (executor, browser) = Create(redis, new WorkbenchOptions { MaxReplyElements = 5 });
        var session = await TypedAsync(executor, "RPUSH long " + string.Join(' ', Enumerable.Range(0, 12)), "SADD many " + string.Join(' ', Enumerable.Range(0, 12)));

        var list = Assert.IsType<ListKeyContent>(await ReadAsync(browser, session, "long"));
        var set = Assert.IsType<SetKeyContent>(await ReadAsync(browser, session, "many"));

        Assert.Equal((5, 12L), (list.Shown, list.Total));
        Assert.Equal((5, 12L), (set.Shown, set.Total));
    }

    [Fact]
    public async Task A_key_that_is_gone_reads_as_missing_and_another_learners_key_cannot_be_reached()
    {
        var (executor, browser) = Create(redis);
        var neighbour = await TypedAsync(executor, "SET secret 42");
        var session = await TypedAsync(executor);

        var view = await browser.ReadAsync(session, Encoding.UTF8.GetBytes("secret"), Ct);
        // Even the neighbour's full key name is only a name under this learner's prefix.
        var byFullName = await browser.ReadAsync(session, Encoding.UTF8.GetBytes(neighbour.Prefix + "secret"), Ct);

        Assert.IsType<MissingKeyContent>(view.Content);
        Assert.IsType<MissingKeyContent>(byFullName.Content);
        Assert.Equal("42", (string?)await redis.Multiplexer.GetDatabase().StringGetAsync(neighbour.Prefix + "secret"));
    }

    [Fact]
    public async Task A_bad_cursor_or_an_empty_name_is_refused_with_a_message_and_nothing_is_sent()
    {
        var (executor, browser) = Create(redis);
        var session = executor.OpenSession(LearnerId.New());

        var cursor = await Assert.ThrowsAsync<LearnerInputException>(() => browser.ListAsync(session, "-1; FLUSHALL", Ct));
        var name = await Assert.ThrowsAsync<LearnerInputException>(() => browser.ReadAsync(session, [], Ct));

        Assert.Contains("cursor", cursor.Message, StringComparison.Ordinal);
        Assert.Contains("key", name.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Browsing_has_a_budget_of_its_own_that_leaves_the_console_alone()
    {
        var (executor, browser) = Create(redis, new WorkbenchOptions { CommandsPerSecond = 3 }, limiter: true);
        var session = executor.OpenSession(LearnerId.New());

        var refused = 0;
        for (var i = 0; i < 8; i++)
        {
            try
            {
                await browser.ListAsync(session, cancellationToken: Ct);
            }
            catch (LearnerInputException ex) when (ex.Message.Contains("too many", StringComparison.Ordinal))
            {
                refused++;
            }
        }

        var typed = await executor.ExecuteAsync(session, "PING", Ct);

        Assert.InRange(refused, 1, 8);
        Assert.Equal("PONG", typed.Text);
    }
}
