using BlazorRedis.App.Components.Pages.Workbench;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Workbench;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.App.Components.Pages;

public class WorkbenchPageTests : MudTestContext
{
    private static TimeSpan Wait => TimeSpan.FromSeconds(15);

    // The page reads the learner's history and keys when it opens; tests act once that is done.
    private IRenderedComponent<Workbench> RenderWorkbench()
    {
        var cut = RenderWithProviders<Workbench>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=key-browser]").GetAttribute("data-loaded")), Wait);
        return cut;
    }

    private readonly RedisServerFixture _redis;

    public WorkbenchPageTests(RedisServerFixture redis)
    {
        _redis = redis;
        var budget = new RedisCommandBudget(redis.Multiplexer, TimeSpan.FromSeconds(2));
        var executor = new WorkbenchExecutor(redis.Multiplexer, redis.Tracer, redis.NewKeyspace(), budget, Options.Create(new WorkbenchOptions()));
        Services.AddSingleton(executor);
        Services.AddSingleton(new WorkbenchKeyBrowser(redis.Multiplexer, redis.Tracer, budget, executor));
    }

    private static async Task TypeAsync(IRenderedComponent<Workbench> cut, string line)
    {
        cut.Find("input[data-testid=command-line]").Input(line);
        await cut.Find("input[data-testid=command-line]").KeyDownAsync(new KeyboardEventArgs { Key = "Enter" });
    }

    [Fact]
    public async Task A_typed_line_prints_its_reply_as_redis_cli_with_the_round_trip_and_the_trace()
    {
        var cut = RenderWorkbench();

        await TypeAsync(cut, "rpush queue a \"b c\"");
        await TypeAsync(cut, "lrange queue 0 -1");

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=entry]").Count), Wait);
        var replies = cut.FindAll("[data-testid=entry-reply]");
        Assert.Equal("(integer) 2", replies[0].TextContent);
        Assert.Equal("1) \"a\"\n2) \"b c\"", replies[1].TextContent);
        Assert.Equal("redis> lrange queue 0 -1", cut.FindAll("[data-testid=entry-line]")[1].TextContent);
        Assert.Matches(@"^\([\d.]+ ms\)$", cut.FindAll("[data-testid=entry-round-trip]")[1].TextContent);
        Assert.Contains("LRANGE", cut.Find("[data-testid=command-trace]").TextContent, StringComparison.Ordinal);
        Assert.Equal("", cut.Find("input[data-testid=command-line]").GetAttribute("value") ?? "");
    }

    [Fact]
    public async Task Commands_opened_from_a_lesson_load_as_a_script_that_runs_a_line_at_a_time_or_all_at_once()
    {
        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>()
            .NavigateTo("/workbench?script=" + Uri.EscapeDataString("# a comment\nSET greeting \"hello world\"\nGET greeting\nSTRLEN greeting"));
        var cut = RenderWorkbench();

        var box = cut.Find("textarea[data-testid=script-text]");
        Assert.Contains("SET greeting", box.GetAttribute("value") ?? box.TextContent, StringComparison.Ordinal);
        Assert.Contains("Next: line 1 of 3", cut.Find("[data-testid=script-position]").TextContent, StringComparison.Ordinal);

        await cut.InvokeAsync(() => cut.Find("[data-testid=run-next-line]").ClickAsync(new()));
        cut.WaitForAssertion(() => Assert.Equal(["OK"], cut.FindAll("[data-testid=entry-reply]").Select(e => e.TextContent)), Wait);
        Assert.Contains("Next: line 2 of 3 — GET greeting", cut.Find("[data-testid=script-position]").TextContent, StringComparison.Ordinal);

        await cut.InvokeAsync(() => cut.Find("[data-testid=run-script]").ClickAsync(new()));
        cut.WaitForAssertion(() => Assert.Equal(["OK", "OK", "\"hello world\"", "(integer) 11"], cut.FindAll("[data-testid=entry-reply]").Select(e => e.TextContent)), Wait);
        Assert.Equal("All 3 lines run.", cut.Find("[data-testid=script-position]").TextContent);
    }

    [Fact]
    public async Task A_script_stops_at_FLUSHDB_and_asks_first()
    {
        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>()
            .NavigateTo("/workbench?script=" + Uri.EscapeDataString("SET a 1\nFLUSHDB\nSET b 2"));
        var cut = RenderWorkbench();

        await cut.InvokeAsync(() => cut.Find("[data-testid=run-script]").ClickAsync(new()));

        cut.WaitForElement("[data-testid=flush-confirm]", Wait);
        Assert.Single(cut.FindAll("[data-testid=entry-reply]"));
    }

    // The boxes keep a browser-side cap (maxlength): a paste longer than it arrives cut, so a line that reaches it is
    // refused rather than run as a shorter value.
    [Fact]
    public async Task A_line_or_script_as_long_as_the_box_takes_is_refused_as_cut_and_nothing_runs()
    {
        var cut = RenderWorkbench();
        var line = "SET huge " + new string('x', CommandLineParser.MaxLineLength - "SET huge ".Length);

        await TypeAsync(cut, line);

        var reply = cut.WaitForElement("[data-testid=entry-reply]", Wait);
        Assert.Equal("(error) This line is 65,536 characters, the most the box takes; a longer paste was cut, so nothing ran.", reply.TextContent);
        Assert.Empty(cut.FindAll("[data-testid=entry-round-trip]"));

        cut.Find("textarea[data-testid=script-text]").Change("SET small 1\n" + line[..(CommandLineParser.MaxLineLength - "SET small 1\n".Length)]);
        await cut.InvokeAsync(() => cut.Find("[data-testid=run-script]").ClickAsync(new()));

        Assert.Equal("The script is 65,536 characters, the most the box takes; a longer paste was cut, so nothing ran.", cut.Find("[data-testid=form-error]").TextContent);
        await TypeAsync(cut, "EXISTS huge small");
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=entry-reply]").Count), Wait);
        Assert.Equal("(integer) 0", cut.FindAll("[data-testid=entry-reply]")[1].TextContent);
    }

    [Fact]
    public async Task A_refused_command_prints_the_reason_as_an_error()
    {
        var cut = RenderWorkbench();

        await TypeAsync(cut, "config get maxmemory");

        var reply = cut.WaitForElement("[data-testid=entry-reply]", Wait);
        Assert.StartsWith("(error) NOPERM", reply.TextContent, StringComparison.Ordinal);
        Assert.Contains("br-error", reply.ClassName, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=entry-round-trip]"));
    }

    [Fact]
    public async Task Arrow_keys_walk_the_history()
    {
        var cut = RenderWorkbench();
        await TypeAsync(cut, "set a 1");
        await TypeAsync(cut, "get a");
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=entry]").Count), Wait);
        var input = () => cut.Find("input[data-testid=command-line]");

        await input().KeyDownAsync(new KeyboardEventArgs { Key = "ArrowUp" });
        Assert.Equal("get a", input().GetAttribute("value"));
        await input().KeyDownAsync(new KeyboardEventArgs { Key = "ArrowUp" });
        Assert.Equal("set a 1", input().GetAttribute("value"));
        await input().KeyDownAsync(new KeyboardEventArgs { Key = "ArrowUp" });
        Assert.Equal("set a 1", input().GetAttribute("value"));
        await input().KeyDownAsync(new KeyboardEventArgs { Key = "ArrowDown" });
        Assert.Equal("get a", input().GetAttribute("value"));
        await input().KeyDownAsync(new KeyboardEventArgs { Key = "ArrowDown" });
        Assert.Equal("", input().GetAttribute("value") ?? "");
    }

    [Fact]
    public async Task Flushdb_asks_first_and_runs_only_when_confirmed()
    {
        var cut = RenderWorkbench();
        await TypeAsync(cut, "set a 1");
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=entry]")), Wait);

        await TypeAsync(cut, "flushdb");
        Assert.Single(cut.FindAll("[data-testid=entry]"));
        await cut.InvokeAsync(() => cut.Find("[data-testid=flush-no]").ClickAsync(new()));
        Assert.Empty(cut.FindAll("[data-testid=flush-confirm]"));
        await TypeAsync(cut, "FLUSHDB");
        await cut.InvokeAsync(() => cut.Find("[data-testid=flush-yes]").ClickAsync(new()));
        await TypeAsync(cut, "dbsize");

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=entry]").Count), Wait);
        Assert.Equal(["OK", "OK", "(integer) 0"], cut.FindAll("[data-testid=entry-reply]").Select(e => e.TextContent));
    }

    [Fact]
    public async Task Bad_input_prints_an_error_and_the_console_keeps_working()
    {
        var cut = RenderWorkbench();

        await TypeAsync(cut, "set k \"unclosed");
        await TypeAsync(cut, "ping");

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=entry]").Count), Wait);
        Assert.StartsWith("Invalid argument(s)", cut.FindAll("[data-testid=entry-reply]")[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("PONG", cut.FindAll("[data-testid=entry-reply]")[1].TextContent);
        _ = _redis;
    }

    [Fact]
    public async Task The_prompt_shows_an_open_transaction()
    {
        var cut = RenderWorkbench();

        await TypeAsync(cut, "multi");

        cut.WaitForAssertion(() => Assert.Contains("redis(TX)>", cut.Find("[data-testid=console]").TextContent, StringComparison.Ordinal), Wait);
    }

    [Fact]
    public async Task Help_as_you_type_completes_the_name_then_shows_the_syntax_from_the_server()
    {
        var cut = RenderWorkbench();

        await cut.InvokeAsync(() => cut.Find("input[data-testid=command-line]").Input("lpu"));
        cut.WaitForAssertion(() => Assert.Equal(["LPUSH", "LPUSHX"], cut.FindAll("[data-testid=completion]").Select(c => c.TextContent)), Wait);

        await cut.FindAll("[data-testid=completion]")[0].ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal("LPUSH key element [element ...]", cut.Find("[data-testid=hint-syntax]").TextContent), Wait);
        Assert.Contains("since Redis 1.0.0", cut.Find("[data-testid=hint-summary]").TextContent, StringComparison.Ordinal);
        Assert.Equal("LPUSH ", cut.Find("input[data-testid=command-line]").GetAttribute("value"));
        Assert.Empty(cut.FindAll("[data-testid=entry]"));
    }

    [Fact]
    public async Task A_command_the_workbench_refuses_says_so_while_it_is_typed_and_nothing_is_sent()
    {
        var cut = RenderWorkbench();

        await cut.InvokeAsync(() => cut.Find("input[data-testid=command-line]").Input("FLUSHALL"));

        cut.WaitForAssertion(() => Assert.Contains("flushall", cut.Find("[data-testid=hint-refusal]").TextContent, StringComparison.OrdinalIgnoreCase), Wait);
        Assert.Empty(cut.FindAll("[data-testid=entry]"));
    }

    [Fact]
    public async Task The_history_survives_a_new_page_for_the_same_learner()
    {
        var cut = RenderWorkbench();
        await TypeAsync(cut, "SET a 1");
        await TypeAsync(cut, "GET a");
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=entry]").Count), Wait);

        // A second page of the same learner (another tab, or the page after a reload).
        var again = Render<Workbench>(p => p.AddCascadingValue(Learner));
        again.WaitForAssertion(() => Assert.Equal("true", again.Find("[data-testid=key-browser]").GetAttribute("data-loaded")), Wait);
        await again.Find("input[data-testid=command-line]").KeyDownAsync(new KeyboardEventArgs { Key = "ArrowUp" });
        Assert.Equal("GET a", again.Find("input[data-testid=command-line]").GetAttribute("value"));
        await again.Find("input[data-testid=command-line]").KeyDownAsync(new KeyboardEventArgs { Key = "ArrowUp" });
        Assert.Equal("SET a 1", again.Find("input[data-testid=command-line]").GetAttribute("value"));
    }

    [Fact]
    public async Task Up_on_an_empty_history_looks_again_for_lines_another_page_ran_since()
    {
        var first = RenderWorkbench();
        first.WaitForAssertion(() => Assert.Equal("true", first.Find("[data-testid=key-browser]").GetAttribute("data-loaded")), Wait);
        var second = Render<Workbench>(p => p.AddCascadingValue(Learner));
        second.WaitForAssertion(() => Assert.Equal("true", second.Find("[data-testid=key-browser]").GetAttribute("data-loaded")), Wait);

        // Both pages opened with no history; then the first one runs a line.
        await TypeAsync(first, "SET b 2");
        first.WaitForAssertion(() => Assert.Single(first.FindAll("[data-testid=entry]")), Wait);
        await second.Find("input[data-testid=command-line]").KeyDownAsync(new KeyboardEventArgs { Key = "ArrowUp" });

        second.WaitForAssertion(() => Assert.Equal("SET b 2", second.Find("input[data-testid=command-line]").GetAttribute("value")), Wait);
    }

    [Fact]
    public async Task A_subscription_prints_each_message_as_it_arrives_between_the_typed_lines()
    {
        var cut = RenderWorkbench();
        await TypeAsync(cut, "SUBSCRIBE news");
        cut.WaitForAssertion(() => Assert.Equal("1) \"subscribe\"\n2) \"news\"\n3) (integer) 1", cut.Find("[data-testid=entry-reply]").TextContent), Wait);

        // The same learner publishes from another tab.
        var executor = Services.GetRequiredService<WorkbenchExecutor>();
        using var otherTab = executor.OpenSession(Learner.Id);
        await executor.ExecuteAsync(otherTab, "PUBLISH news hello", Xunit.TestContext.Current.CancellationToken);

        cut.WaitForAssertion(() => Assert.Equal("1) \"message\"\n2) \"news\"\n3) \"hello\"", cut.Find("[data-testid=entry-message]").TextContent), Wait);
    }
}
