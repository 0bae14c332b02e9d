using BlazorRedis.App.Components.Pages;
using BlazorRedis.App.Components.Shared;
using BlazorRedis.Core;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace BlazorRedis.Tests.App.Components;

public class CommandTracePanelTests : MudTestContext
{
    private static OperationTrace SampleTrace() => new(
        "Set a token",
        [
            new TracedCommand("SETEX br:t 60 abc", "await db.StringSetAsync(\"br:t\", \"abc\", TimeSpan.FromSeconds(60));", TimeSpan.FromMilliseconds(0.8), [new WireCommand("SETEX", TimeSpan.FromMilliseconds(0.5))], "OK"),
            new TracedCommand("GET br:t", "await db.StringGetAsync(\"br:t\");", TimeSpan.FromMilliseconds(0.3), [new WireCommand("GET", TimeSpan.FromMilliseconds(0.2))], "\"abc\""),
            new TracedCommand("INCR br:n", "await db.StringIncrementAsync(\"br:n\");", TimeSpan.FromMilliseconds(0.3), [], "(error) ERR value is not an integer", Failed: true),
        ],
        TimeSpan.FromMilliseconds(1.6),
        DateTimeOffset.UtcNow);

    [Fact]
    public void Shows_each_command_its_reply_cost_and_round_trip()
    {
        var cut = RenderWithProviders<CommandTracePanel>(p => p.Add(x => x.Trace, SampleTrace()));

        var rows = cut.FindAll("[data-testid=trace-row]");
        Assert.Equal(3, rows.Count);
        Assert.Contains("SETEX br:t 60 abc", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("OK", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("O(1)", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("0.500 ms", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("br-failed", rows[2].ClassName, StringComparison.Ordinal);
        Assert.Contains("Set a token · 3 commands", cut.Find("[data-testid=trace-operation]").TextContent, StringComparison.Ordinal);
    }

    /// <summary>
    /// On a phone a long key broke wherever the line ran out ("br:learner:abc123:cac/he:product:42"): the command and its
    /// reply offer a line break after each ':' inside a word, and nowhere else, while their text (what is copied) stays
    /// the same.
    /// </summary>
    [Fact]
    public void A_long_key_may_break_after_each_colon_and_its_text_is_unchanged()
    {
        var command = new TracedCommand("GET br:learner:abc123:cache:product:42", "", TimeSpan.Zero, [], "\"a:b\"");
        var cut = RenderWithProviders<CommandTracePanel>(p => p.Add(x => x.Trace, new OperationTrace("Get", [command], TimeSpan.Zero, DateTimeOffset.UtcNow)));

        var code = cut.Find("[data-testid=trace-row] code.br-cmd");
        Assert.Equal("GET br:learner:abc123:cache:product:42", code.TextContent);
        Assert.Equal("GET br:<wbr>learner:<wbr>abc123:<wbr>cache:<wbr>product:<wbr>42", code.InnerHtml);
        Assert.Equal("\"a:<wbr>b\"", cut.FindAll("[data-testid=trace-row] code")[1].InnerHtml.Replace("&quot;", "\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Shows_the_csharp_of_every_command_for_copying()
    {
        var cut = RenderWithProviders<CommandTracePanel>(p => p.Add(x => x.Trace, SampleTrace()));

        var code = cut.Find("[data-testid=code-block] code").TextContent;
        Assert.Contains("StringSetAsync", code, StringComparison.Ordinal);
        Assert.Contains("StringGetAsync", code, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_in_workbench_carries_the_commands_in_the_learners_own_names()
    {
        var keyspace = new BlazorRedis.Core.Keys.RedisKeyspace("br:");
        Services.AddSingleton(keyspace);
        var mine = keyspace.ForLearner(Learner.Id).Prefix;
        var trace = new OperationTrace(
            "Push a job",
            [
                new TracedCommand($"LPUSH {mine}lists:jobs \"send email\"", "await db.ListLeftPushAsync(key, \"x\");", TimeSpan.FromMilliseconds(0.4), [], "(integer) 1"),
                new TracedCommand("GET br:{cache}:product:1", "await db.StringGetAsync(key);", TimeSpan.FromMilliseconds(0.2), [], "(nil)"),
                new TracedCommand($"EVALSHA 1a2b 1 {mine}lists:jobs", "await db.ScriptEvaluateAsync(\"x\");", TimeSpan.FromMilliseconds(0.2), [], "(integer) 1"),
            ],
            TimeSpan.FromMilliseconds(1),
            DateTimeOffset.UtcNow);

        var cut = RenderWithProviders<CommandTracePanel>(p => p.Add(x => x.Trace, trace));

        var href = cut.Find("[data-testid=open-trace-in-workbench]").GetAttribute("href")!;
        Assert.StartsWith("/workbench?script=", href, StringComparison.Ordinal);
        var script = Uri.UnescapeDataString(href["/workbench?script=".Length..]).Split('\n');
        Assert.Equal("# From \"Push a job\", on copies in your workbench", script[0]);
        Assert.Equal("LPUSH lists:jobs \"send email\"", script[1]);
        Assert.Equal("GET {cache}:product:1", script[2]);
        Assert.StartsWith("# a Lua script", script[3], StringComparison.Ordinal);
        Assert.DoesNotContain(Learner.Id.Value, href, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_apps_keyspace_there_is_no_workbench_link()
    {
        var cut = RenderWithProviders<CommandTracePanel>(p => p.Add(x => x.Trace, SampleTrace()));

        Assert.Empty(cut.FindAll("[data-testid=open-trace-in-workbench]"));
    }

    [Fact]
    public void A_long_trace_is_cut_to_a_script_the_workbench_runs_and_shortened_arguments_become_comments()
    {
        var commands = Enumerable.Range(0, 80).Select(i => new TracedCommand(i == 0 ? "SET br:k abc…" : $"INCR br:n{i}", "", TimeSpan.Zero, [], "OK")).ToList();
        var script = WorkbenchScript.FromTrace(new OperationTrace("Load", commands, TimeSpan.Zero, DateTimeOffset.UtcNow), "br:", "br:learner:{x}:").Split('\n');

        Assert.Equal(1 + WorkbenchScript.MaxCommands + 1, script.Length);
        Assert.True(script.Length <= BlazorRedis.App.Components.Pages.Workbench.Workbench.MaxScriptLines);
        Assert.StartsWith("# shortened in the trace", script[1], StringComparison.Ordinal);
        Assert.Equal("INCR n1", script[2]);
        Assert.Equal("# … and 20 more commands", script[^1]);
    }

    /// <summary>
    /// A capped demo write is one trace row of several lines (WATCH, the count, MULTI, the write, EXEC). Replayed as one
    /// line it was a WATCH of keys named LLEN, MULTI, LPUSH …, and the push never ran.
    /// </summary>
    [Fact]
    public void A_transaction_row_replays_a_line_each_with_its_watch_as_a_comment()
    {
        var row = new TracedCommand("WATCH br:lists:queue\nLLEN br:lists:queue\nMULTI\nLPUSH br:lists:queue job\nEXEC", "", TimeSpan.Zero, [], "(integer) 1");
        var script = WorkbenchScript.FromTrace(new OperationTrace("Push", [row], TimeSpan.Zero, DateTimeOffset.UtcNow), "br:", "br:learner:{x}:").Split('\n');

        Assert.Equal(6, script.Length);
        Assert.StartsWith("# WATCH lists:queue: the workbench does not run WATCH", script[1], StringComparison.Ordinal);
        Assert.Equal(["LLEN lists:queue", "MULTI", "LPUSH lists:queue job", "EXEC"], script[2..]);
    }

    [Fact]
    public void Before_any_action_it_invites_the_learner_to_run_one()
    {
        var cut = RenderWithProviders<CommandTracePanel>();

        Assert.Contains("Run an action", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=trace-row]"));
    }

    [Fact]
    public void Long_traces_are_cut_with_a_count_of_the_rest()
    {
        var many = Enumerable.Range(0, 40).Select(i => new TracedCommand($"INCR k{i}", "db.StringIncrementAsync(k)", TimeSpan.Zero, [], "(integer) 1")).ToList();
        var cut = RenderWithProviders<CommandTracePanel>(p => p
            .Add(x => x.Trace, new OperationTrace("many", many, TimeSpan.Zero, DateTimeOffset.UtcNow))
            .Add(x => x.MaxRows, 10));

        Assert.Equal(10, cut.FindAll("[data-testid=trace-row]").Count);
        Assert.Contains("and 30 more commands", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Wire_commands_are_listed_when_one_step_sent_several()
    {
        var step = new TracedCommand("INCR k ×3", "…", TimeSpan.Zero, [new("INCR", TimeSpan.Zero), new("INCR", TimeSpan.Zero), new("INCR", TimeSpan.Zero)], "(integer) 3");
        var cut = RenderWithProviders<CommandTracePanel>(p => p.Add(x => x.Trace, new OperationTrace("x", [step], TimeSpan.Zero, DateTimeOffset.UtcNow)));

        Assert.Contains("on the wire: INCR ×3", cut.Markup, StringComparison.Ordinal);
    }
}

public class CodeBlockTests : MudTestContext
{
    [Fact]
    public void Copy_button_sends_the_code_to_the_clipboard_helper()
    {
        var copy = JSInterop.Setup<bool>("blazorRedis.copy", "var x = 1;").SetResult(true);
        var cut = RenderWithProviders<CodeBlock>(p => p.Add(x => x.Code, "var x = 1;"));

        cut.Find("[data-testid=copy]").Click();

        copy.VerifyInvoke("blazorRedis.copy");
        Assert.DoesNotContain("did not allow copying", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_can_be_scrolled_from_the_keyboard_and_is_named_by_its_language()
    {
        var cut = RenderWithProviders<CodeBlock>(p => p.Add(x => x.Code, "x").Add(x => x.Language, "Lua"));

        var pre = cut.Find("pre");
        Assert.Equal("0", pre.GetAttribute("tabindex"));
        Assert.Equal("region", pre.GetAttribute("role"));
        Assert.Equal("Lua code", pre.GetAttribute("aria-label"));
    }

    [Fact]
    public void A_refused_copy_tells_the_learner_to_select_the_text()
    {
        JSInterop.Setup<bool>("blazorRedis.copy", _ => true).SetResult(false);
        var cut = RenderWithProviders<CodeBlock>(p => p.Add(x => x.Code, "x"));

        cut.Find("[data-testid=copy]").Click();

        Assert.Contains("did not allow copying", cut.Markup, StringComparison.Ordinal);
    }
}

public class LessonTests : MudTestContext
{
    [Fact]
    public void Lesson_shows_its_title_and_text()
    {
        var cut = RenderWithProviders<Lesson>(p => p
            .Add(x => x.Title, "Why cache")
            .AddChildContent("Because memory is fast."));

        Assert.Contains("Why cache", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Because memory is fast.", cut.Find("[data-testid=lesson]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Lesson_title_is_a_section_heading_below_the_page_title()
    {
        var cut = RenderWithProviders<Lesson>(p => p.Add(x => x.Title, "Why cache"));

        Assert.Equal("Why cache", cut.Find("h2").TextContent);
    }
}

public class DemoShellTests : MudTestContext
{
    [Fact]
    public void Shell_shows_title_lesson_error_visual_and_wires_the_buttons()
    {
        var scenario = 0;
        var reset = 0;
        var demo = new DemoDescriptor("strings", "Strings", "Session tokens", "Text values.", 1);
        var cut = RenderWithProviders<DemoShell>(p => p
            .Add(x => x.Demo, demo)
            .Add(x => x.Lesson, (RenderFragment)(b => b.AddContent(0, "A string holds bytes.")))
            .Add(x => x.Visual, (RenderFragment)(b => b.AddMarkupContent(0, "<svg id='pic'></svg>")))
            .Add(x => x.Error, "Bad TTL")
            .Add(x => x.OnScenario, () => scenario++)
            .Add(x => x.OnReset, () => reset++));

        Assert.Equal("Strings", cut.Find("[data-testid=page-title]").TextContent);
        Assert.Contains("A string holds bytes.", cut.Find("[data-testid=lesson]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Bad TTL", cut.Find("[data-testid=form-error]").TextContent.Trim());
        Assert.NotNull(cut.Find("#pic"));
        cut.Find("[data-testid=run-scenario]").Click();
        cut.Find("[data-testid=reset]").Click();
        Assert.Equal((1, 1), (scenario, reset));
    }
}

public class TracedComponentBaseTests
{
    [Theory]
    [InlineData(typeof(LearnerInputException), "TTL must be positive.")]
    [InlineData(typeof(ProductValidationException), "TTL must be positive.")]
    public void Learner_input_errors_become_their_own_message(Type type, string message)
    {
        var ex = (Exception)Activator.CreateInstance(type, message)!;
        Assert.Equal(message, TracedComponentBase.Describe(ex));
    }

    [Fact]
    public void Parameter_names_are_not_shown_to_learners()
    {
        Assert.Equal("TTL must be positive.", TracedComponentBase.Describe(new LearnerInputException("TTL must be positive.", "ttl")));
    }

    [Fact]
    public void Redis_failures_get_plain_messages_and_bugs_are_not_swallowed()
    {
#pragma warning disable CS0618 // The CommandFlags overloads are internal details; the message is what matters here.
        Assert.Contains("unavailable", TracedComponentBase.Describe(new RedisConnectionException(ConnectionFailureType.UnableToConnect, "x")), StringComparison.Ordinal);
        Assert.Contains("did not answer in time, so the command may or may not have run", TracedComponentBase.Describe(new RedisTimeoutException("t", CommandStatus.Sent)), StringComparison.Ordinal);
        Assert.Contains("may or may not have run", TracedComponentBase.Describe(new TimeoutException()), StringComparison.Ordinal); // it never claims nothing changed
#pragma warning restore CS0618
        Assert.Null(TracedComponentBase.Describe(new NullReferenceException()));
    }

    [Fact]
    public void A_redis_error_reply_is_shown_as_redis_refusing_not_as_an_outage()
    {
#pragma warning disable CS0618 // As above: the message is what matters.
        var message = TracedComponentBase.Describe(new RedisServerException("WRONGTYPE Operation against a key holding the wrong kind of value"));
#pragma warning restore CS0618

        Assert.Equal("Redis refused the command: WRONGTYPE Operation against a key holding the wrong kind of value", message);
        Assert.DoesNotContain("unavailable", message, StringComparison.OrdinalIgnoreCase);
    }

    // A failed action said "nothing was changed" even when commands before the failure had written.
    [Fact]
    public void A_failure_after_commands_ran_does_not_say_nothing_was_changed()
    {
        var outage = "Redis is unavailable right now, so nothing was changed. The dashboard reconnects by itself.";
        var ranTwo = new OperationTrace("Push", [Command("LPUSH k a"), Command("LPUSH k b"), Command("LPUSH k c", failed: true)], TimeSpan.Zero, DateTimeOffset.UtcNow);
        var ranNone = new OperationTrace("Push", [Command("LPUSH k a", failed: true)], TimeSpan.Zero, DateTimeOffset.UtcNow);

        var partWay = TracedComponentBase.PartWay(outage, ranTwo);

        Assert.DoesNotContain("nothing was changed", partWay, StringComparison.Ordinal);
        Assert.Contains("the 2 commands before the failure ran", partWay, StringComparison.Ordinal);
        Assert.Equal(outage, TracedComponentBase.PartWay(outage, ranNone));
        Assert.Equal(outage, TracedComponentBase.PartWay(outage, null));
        Assert.Equal(
            "Redis is unavailable right now, so step 4 changed nothing. The dashboard reconnects by itself. Steps 1–3 had already been applied: what they wrote stays in Redis (the trace shows their commands).",
            TracedComponentBase.StoppedAtStep(outage, 4));
        Assert.StartsWith("Step 1 had already been applied", TracedComponentBase.StoppedAtStep("", 2), StringComparison.Ordinal);
    }

    private static TracedCommand Command(string text, bool failed = false) => new(text, "await db.ListLeftPushAsync(key, value);", TimeSpan.Zero, [], failed ? "(error) not sent" : "(integer) 1", failed);

    [Theory]
    [InlineData(typeof(InvalidOperationException))]
    [InlineData(typeof(ArgumentException))]
    [InlineData(typeof(FormatException))]
    public void Any_other_exception_is_a_bug_that_reaches_the_error_boundary(Type type)
    {
        // Before: every InvalidOperationException (and any ArgumentException) became a friendly form message and hid bugs.
        Assert.Null(TracedComponentBase.Describe((Exception)Activator.CreateInstance(type, "a bug")!));
    }
}

public class PageTests : MudTestContext
{
    [Fact]
    public void Home_explains_the_dashboard_and_shows_live_server_facts()
    {
        Status.Publish(FakeStatusSource.Connected());

        var cut = RenderWithProviders<Home>();

        Assert.Equal("Watch Redis work", cut.Find("[data-testid=page-title]").TextContent);
        Assert.Contains("real Redis", cut.Markup, StringComparison.Ordinal);
        Assert.Equal("7.0.15", cut.Find("[data-testid=fact-version]").TextContent);
        Assert.Equal("1 h 2 min", cut.Find("[data-testid=fact-uptime]").TextContent);
        Assert.Equal("1.02M", cut.Find("[data-testid=fact-memory]").TextContent);
        Assert.Equal("3", cut.Find("[data-testid=fact-clients]").TextContent);
        Assert.Contains("30 / 10 (75% hits)", cut.Find("[data-testid=fact-hits]").TextContent, StringComparison.Ordinal);
        Assert.Equal(9, cut.FindAll("[data-testid=area-card]").Count);
        Assert.Contains("Course", cut.FindAll("[data-testid=area-card]")[0].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Home_says_how_many_masters_a_cluster_has_and_which_node_the_facts_come_from()
    {
        Status.Publish(FakeStatusSource.Connected());
        var single = RenderWithProviders<Home>();
        Assert.Empty(single.FindAll("[data-testid=fact-cluster]"));

        Status.Publish(FakeStatusSource.Connected() with { ClusterMasters = 3, AnsweringNode = "127.0.0.1:7000" });

        single.WaitForAssertion(() => Assert.Equal(
            "cluster: 3 masters · these facts are from 127.0.0.1:7000",
            single.Find("[data-testid=fact-cluster]").TextContent), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public void Home_names_redis_core_types_and_the_demos_built_on_them()
    {
        var cut = RenderWithProviders<Home>();

        var fact = cut.Find("[data-testid=types-fact]").TextContent;
        Assert.Contains("core types are strings, lists, hashes, sets,", fact, StringComparison.Ordinal);
        Assert.Contains("a bitmap and a HyperLogLog are strings underneath", fact, StringComparison.Ordinal);
        Assert.Contains("a geospatial index is a sorted set", fact, StringComparison.Ordinal);
        Assert.DoesNotContain("kinds of value", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Home_title_is_the_h1_and_each_open_button_names_its_area()
    {
        var cut = RenderWithProviders<Home>();

        Assert.Single(cut.FindAll("h1"));
        Assert.Equal("Watch Redis work", cut.Find("h1").TextContent);
        var names = cut.FindAll("[data-testid=area-open]").Select(a => a.GetAttribute("aria-label")).ToList();
        Assert.Equal(cut.FindAll("[data-testid=area-card]").Count, names.Count);
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Contains("Open Live metrics", names);
    }

    [Fact]
    public void Home_facts_update_when_redis_goes_away()
    {
        Status.Publish(FakeStatusSource.Connected());
        var cut = RenderWithProviders<Home>();

        Status.Publish(FakeStatusSource.Down());

        cut.WaitForAssertion(() => Assert.Contains("unreachable", cut.Find("[data-testid=server-facts]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
    }

    [Theory]
    [InlineData(59, "59 s")]
    [InlineData(61, "1 min 1 s")]
    [InlineData(3725, "1 h 2 min")]
    [InlineData(90000, "1 d 1 h")]
    public void Uptime_reads_naturally(int seconds, string expected)
    {
        Assert.Equal(expected, Home.FormatUptime(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Not_found_page_points_back_to_the_menu()
    {
        var cut = RenderWithProviders<NotFound>();

        Assert.Contains("Pick a lesson from the menu", cut.Markup, StringComparison.Ordinal);
    }
}
