using BlazorRedis.App.Components.Pages.Workbench;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Workbench;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.App.Components.Pages;

/// <summary>The key browser beside the console, on a real Redis: it lists what the console wrote, draws each type, and edits through the console.</summary>
public class KeyBrowserTests : MudTestContext
{
    private static TimeSpan Wait => TimeSpan.FromSeconds(15);

    // The page reads the learner's history and keys when it opens; tests act once that is done.
    private IRenderedComponent<Workbench> RenderWorkbench()
    {
        var cut = RenderWithProviders<Workbench>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=key-browser]").GetAttribute("data-loaded")), Wait);
        return cut;
    }

    public KeyBrowserTests(RedisServerFixture redis)
    {
        var budget = new RedisCommandBudget(redis.Multiplexer, TimeSpan.FromSeconds(2));
        var executor = new WorkbenchExecutor(redis.Multiplexer, redis.Tracer, redis.NewKeyspace(), budget, Options.Create(new WorkbenchOptions()));
        Services.AddSingleton(executor);
        Services.AddSingleton(new WorkbenchKeyBrowser(redis.Multiplexer, redis.Tracer, budget, executor));
    }

    private static async Task TypeAsync(IRenderedComponent<Workbench> cut, params string[] lines)
    {
        foreach (var line in lines)
        {
            var count = cut.FindAll("[data-testid=entry]").Count;
            cut.Find("input[data-testid=command-line]").Input(line);
            await cut.Find("input[data-testid=command-line]").KeyDownAsync(new KeyboardEventArgs { Key = "Enter" });
            cut.WaitForAssertion(() => Assert.Equal(count + 1, cut.FindAll("[data-testid=entry]").Count), Wait);
        }
    }

    private static async Task SelectAsync(IRenderedComponent<Workbench> cut, string key)
    {
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find($"[data-testid=key-row][data-key='{key}']")), Wait);
        await cut.Find($"[data-testid=key-row][data-key='{key}'] [data-testid=key-select]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Contains(key, cut.Find("[data-testid=key-view] h3").TextContent, StringComparison.Ordinal), Wait);
    }

    [Fact]
    public async Task It_starts_empty_and_lists_each_key_the_console_writes_with_its_type_and_ttl()
    {
        var cut = RenderWorkbench();
        // "No keys yet", or on a large shared test Redis "none in the part scanned so far": either way no row.
        Assert.NotNull(cut.Find("[data-testid=keys-empty]"));
        Assert.Empty(cut.FindAll("[data-testid=key-row]"));

        await TypeAsync(cut, "SET greeting hello", "RPUSH queue a b", "SET counter 1 EX 90");

        cut.WaitForAssertion(() => Assert.Equal(["counter", "greeting", "queue"], cut.FindAll("[data-testid=key-row]").Select(r => r.GetAttribute("data-key"))), Wait);
        Assert.Equal(["string", "string", "list"], cut.FindAll("[data-testid=key-row]").Select(r => r.GetAttribute("data-type")));
        Assert.Matches(@"^(1 min \d+ s|\d+ s)$", cut.FindAll("[data-testid=key-ttl]")[0].TextContent);
        Assert.Equal("3 keys", cut.Find("[data-testid=keys-count]").TextContent);
        // The trace panel still shows the command typed, not the browser's listing.
        Assert.Contains("SET", cut.Find("[data-testid=command-trace]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Key browser", cut.Find("[data-testid=command-trace]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_list_is_drawn_as_boxes_and_an_edit_runs_through_the_console()
    {
        var cut = RenderWorkbench();
        await TypeAsync(cut, "RPUSH jobs resize email");
        await SelectAsync(cut, "jobs");

        Assert.Equal(["0resize", "1email"], cut.FindAll("[data-testid=wb-list-box]").Select(b => b.TextContent.Trim()));
        Assert.Contains("Key browser: show jobs", cut.Find("[data-testid=command-trace]").TextContent, StringComparison.Ordinal);

        cut.Find("input[data-testid=edit-field-0]").Change("thumb nail");
        await cut.Find("[data-testid=edit-add]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal("redis> RPUSH jobs \"thumb nail\"", cut.FindAll("[data-testid=entry-line]")[^1].TextContent), Wait);
        Assert.Equal("(integer) 3", cut.FindAll("[data-testid=entry-reply]")[^1].TextContent);
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=wb-list-box]").Count), Wait);

        cut.Find("input[data-testid=edit-remove-field]").Change("resize");
        await cut.Find("[data-testid=edit-remove]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal(["0email", "1thumb nail"], cut.FindAll("[data-testid=wb-list-box]").Select(b => b.TextContent.Trim())), Wait);
    }

    [Fact]
    public async Task A_bitmap_is_drawn_as_bits_and_can_be_read_as_text()
    {
        var cut = RenderWorkbench();
        await TypeAsync(cut, "SETBIT logins 3 1", "SETBIT logins 9 1");
        await SelectAsync(cut, "logins");

        Assert.Equal("Bits", cut.Find("[data-testid=key-view]").GetAttribute("data-picture"));
        Assert.Equal(["3", "9"], cut.FindAll("[data-testid=bit][data-bit='1']").Select(b => b.GetAttribute("data-offset")));
        Assert.Equal(16, cut.FindAll("[data-testid=bit]").Count);
        Assert.Contains("BITCOUNT 2", cut.Find("[data-testid=bits-caption]").TextContent, StringComparison.Ordinal);

        await cut.Find("[data-testid=picture-text]").ClickAsync(new());
        Assert.NotNull(cut.Find("[data-testid=string-text]"));

        // The SETBIT edit of the bits picture.
        await cut.Find("[data-testid=picture-bits]").ClickAsync(new());
        cut.Find("input[data-testid=edit-field-0]").Change("0");
        cut.Find("input[data-testid=edit-field-1]").Change("1");
        await cut.Find("[data-testid=edit-add]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal(["0", "3", "9"], cut.FindAll("[data-testid=bit][data-bit='1']").Select(b => b.GetAttribute("data-offset"))), Wait);
    }

    [Fact]
    public async Task A_geo_set_goes_on_the_map_first_and_a_sorted_set_as_ranked_bars()
    {
        var cut = RenderWorkbench();
        await TypeAsync(cut, "GEOADD cafes 77.5946 12.9716 central 77.6101 12.9759 mg-road", "ZADD board 10 ada 30 bob");

        await SelectAsync(cut, "cafes");
        Assert.Equal("Map", cut.Find("[data-testid=key-view]").GetAttribute("data-picture"));
        Assert.Equal(["central", "mg-road"], cut.FindAll("[data-testid=geo-point]").Select(p => p.GetAttribute("data-name")).Order(StringComparer.Ordinal));
        await cut.Find("[data-testid=picture-ranked]").ClickAsync(new());
        Assert.Equal(2, cut.FindAll("[data-testid=leaderboard-row]").Count);

        await SelectAsync(cut, "board");
        Assert.Equal("Ranked", cut.Find("[data-testid=key-view]").GetAttribute("data-picture"));
        Assert.Equal(["bob", "ada"], cut.FindAll("[data-testid=leaderboard-row]").OrderBy(r => r.GetAttribute("data-rank"), StringComparer.Ordinal).Select(r => r.GetAttribute("data-player")));
    }

    [Fact]
    public async Task Hashes_streams_hyperloglogs_and_two_sets_have_their_pictures()
    {
        var cut = RenderWorkbench();
        await TypeAsync(
            cut,
            "HSET user:1 name Ada",
            "XADD temps * c 21",
            "XGROUP CREATE temps billing 0",
            "XREADGROUP GROUP billing w1 STREAMS temps >",
            "PFADD visitors a b c",
            "SADD tags:a redis cache",
            "SADD tags:b redis sql");

        await SelectAsync(cut, "user:1");
        Assert.Contains("Ada", cut.Find("[data-testid=hash-field]").TextContent, StringComparison.Ordinal);

        await SelectAsync(cut, "temps");
        Assert.Single(cut.FindAll("[data-testid=stream-entry]"));
        Assert.Equal("1 pending", cut.Find("[data-testid=stream-group-pending]").TextContent);
        Assert.Single(cut.FindAll("[data-testid=stream-pending]"));

        await SelectAsync(cut, "visitors");
        Assert.Equal("≈ 3", cut.Find("[data-testid=hll-estimate]").TextContent);
        Assert.Contains("sparse", cut.Find("[data-testid=hll-registers]").TextContent, StringComparison.Ordinal);

        await SelectAsync(cut, "tags:a");
        Assert.Equal(["cache", "redis"], cut.FindAll("[data-testid=set-member]").Select(m => m.TextContent));
        await cut.InvokeAsync(() => cut.FindComponent<MudBlazor.MudSelect<string>>().Instance.ValueChanged.InvokeAsync("tags:b"));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=venn]")), Wait);
        Assert.Contains("redis", cut.Find("[data-testid=venn]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_ttl_or_an_empty_field_gets_a_message_and_sends_nothing()
    {
        var cut = RenderWorkbench();
        await TypeAsync(cut, "SADD tags redis");
        await SelectAsync(cut, "tags");
        var entries = cut.FindAll("[data-testid=entry]").Count;

        cut.Find("input[data-testid=edit-ttl-field]").Change("-5");
        await cut.Find("[data-testid=edit-expire]").ClickAsync(new());
        Assert.Contains("whole number of seconds", cut.Find("[data-testid=edit-error]").TextContent, StringComparison.Ordinal);

        await cut.Find("[data-testid=edit-add]").ClickAsync(new());
        Assert.Contains("Fill in “Member”", cut.Find("[data-testid=edit-error]").TextContent, StringComparison.Ordinal);
        Assert.Equal(entries, cut.FindAll("[data-testid=entry]").Count);

        cut.Find("input[data-testid=edit-ttl-field]").Change("120");
        await cut.Find("[data-testid=edit-expire]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal("redis> EXPIRE tags 120", cut.FindAll("[data-testid=entry-line]")[^1].TextContent), Wait);
        cut.WaitForAssertion(() => Assert.Matches(@"^(2 min 0 s|1 min \d+ s)$", cut.Find("[data-testid=key-ttl]").TextContent), Wait);
    }

    [Fact]
    public async Task A_key_deleted_from_the_console_leaves_the_list_and_its_view_says_it_is_gone()
    {
        var cut = RenderWorkbench();
        await TypeAsync(cut, "SET a 1");
        await SelectAsync(cut, "a");

        await cut.Find("[data-testid=edit-delete]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=key-row]")), Wait);
        Assert.NotNull(cut.Find("[data-testid=key-gone]"));
    }

    [Theory]
    [InlineData(null, "no TTL")]
    [InlineData(400L, "1 s")]
    [InlineData(45_000L, "45 s")]
    [InlineData(125_000L, "2 min 5 s")]
    [InlineData(3_660_000L, "1 h 1 min")]
    public void Ttls_read_as_a_learner_says_them(long? ms, string expected) => Assert.Equal(expected, KeyBrowser.Ttl(ms));

    [Theory]
    [InlineData(null, "—")]
    [InlineData(56L, "56 B")]
    [InlineData(1536L, "1.5 KB")]
    [InlineData(3L * 1024 * 1024, "3 MB")]
    public void Memory_reads_in_bytes_kilobytes_or_megabytes(long? bytes, string expected) => Assert.Equal(expected, KeyBrowser.Bytes(bytes));

    [Theory]
    [InlineData("plain")]
    [InlineData("two words")]
    [InlineData("quote\" and \\ backslash")]
    [InlineData("line\nbreak\ttab")]
    [InlineData("")]
    [InlineData("café ☕")]
    [InlineData("bell\u0007")]
    public void Every_edit_line_parses_back_to_the_values_typed(string value)
    {
        foreach (var picture in Enum.GetValues<KeyPicture>())
        {
            var edit = KeyEdit.For(picture);
            var line = edit.Add("my key"u8.ToArray(), [.. edit.Fields.Select(_ => value)]);
            var args = CommandLineParser.Parse(line).Select(a => System.Text.Encoding.UTF8.GetString(a)).ToList();
            Assert.Equal("my key", args[1]);
            Assert.Equal(edit.Fields.Count, args.Count(a => a == value));
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xff })]
    [InlineData(new byte[] { (byte)'k', 0xc3, 0x28, (byte)' ', 0x00 })]
    [InlineData(new byte[] { 0xe2, 0x98, 0x95 })]
    public void Edit_lines_name_a_binary_key_byte_for_byte(byte[] key)
    {
        string[] lines =
        [
            KeyEdit.Delete(key),
            KeyEdit.Persist(key),
            KeyEdit.Expire(key, 60),
            .. Enum.GetValues<KeyPicture>().Select(p => KeyEdit.For(p).Add(key, [.. KeyEdit.For(p).Fields.Select(_ => "1")])),
            .. Enum.GetValues<KeyPicture>().Select(p => KeyEdit.For(p)).Where(e => e.Remove is not null).Select(e => e.Remove!(key, "x")),
        ];

        Assert.All(lines, line => Assert.Equal(key, CommandLineParser.Parse(line)[1]));
        Assert.Equal(["DEL", "PERSIST", "EXPIRE"], lines.Take(3).Select(l => System.Text.Encoding.ASCII.GetString(CommandLineParser.Parse(l)[0])));
    }
}
