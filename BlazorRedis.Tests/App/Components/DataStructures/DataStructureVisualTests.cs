using BlazorRedis.App.Components.Pages.DataStructures.Hashes;
using BlazorRedis.App.Components.Pages.DataStructures.Lists;
using BlazorRedis.App.Components.Pages.DataStructures.Sets;
using BlazorRedis.App.Components.Pages.DataStructures.SortedSets;
using BlazorRedis.App.Components.Pages.DataStructures.Strings;
using BlazorRedis.Core.Hashes;
using BlazorRedis.Core.Sets;
using BlazorRedis.Core.SortedSets;
using BlazorRedis.Core.Strings;
using BlazorRedis.Tests.Infrastructure;
using Bunit;

namespace BlazorRedis.Tests.App.Components.DataStructures;

public class DataStructureVisualTests : MudTestContext
{
    [Fact]
    public void StringsVisual_shows_the_live_ttl_the_counter_and_the_burst()
    {
        var cut = Render<StringsVisual>(p => p
            .Add(x => x.Token, new SessionToken("abc", "br:learner:{x}:strings:token:abc", "user_id:42", 4200))
            .Add(x => x.TtlMilliseconds, 4200L)
            .Add(x => x.LifetimeMilliseconds, 10_000L)
            .Add(x => x.Views, 1001L)
            .Add(x => x.Burst, new ConcurrentIncrements(1, 1001, 1000, 1000))
            .Add(x => x.Entries, [new StringEntry("greeting", "k", "hello world", 11, null)]));

        Assert.Contains("4.2", cut.Find("[data-testid='token-countdown']").TextContent, StringComparison.Ordinal);
        Assert.Equal("1,001", cut.Find("[data-testid='view-count']").TextContent.Trim());
        Assert.Contains("+1,000", cut.Find("[data-testid='burst-result']").TextContent, StringComparison.Ordinal);
        Assert.Contains("hello world", cut.Find("[data-testid='string-entry']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void StringsVisual_shows_nil_for_an_expired_token()
    {
        var cut = Render<StringsVisual>(p => p.Add(x => x.Token, new SessionToken("abc", "k", null, null)));

        Assert.Equal("(nil)", cut.Find("[data-testid='token-value']").TextContent.Trim());
        Assert.NotNull(cut.Find("[data-testid='no-entries']"));
    }

    [Fact]
    public void ListBoxes_draws_one_box_per_item_and_counts_the_rest()
    {
        var cut = Render<ListBoxes>(p => p
            .Add(x => x.Items, ["c", "b", "a"])
            .Add(x => x.Length, 5L)
            .Add(x => x.HighlightRight, true)
            .Add(x => x.TestId, "queue")
            .Add(x => x.ItemTestId, "queue-box"));

        var boxes = cut.FindAll("[data-testid='queue-box']");
        Assert.Equal(3, boxes.Count);
        Assert.Contains("br-list-next", boxes[2].ClassName, StringComparison.Ordinal);
        Assert.Contains("2 more", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("LLEN 5", cut.Find("[data-testid='queue-length']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ListBoxes_says_when_the_list_is_empty()
    {
        var cut = Render<ListBoxes>(p => p.Add(x => x.TestId, "activity").Add(x => x.Cap, 5));

        Assert.NotNull(cut.Find("[data-testid='activity-empty']"));
        Assert.Contains("capped at 5", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void HashVisual_lists_the_fields_and_the_memory_bars()
    {
        var cut = Render<HashVisual>(p => p
            .Add(x => x.Profile, new HashState("k", [new("username", "alice"), new("followers", "3")]))
            .Add(x => x.Highlight, "followers")
            .Add(x => x.Memory, new MemoryComparison("k", 100, "listpack", [new("username", "k1", 70), new("followers", "k2", 60)])));

        Assert.Equal(2, cut.FindAll("[data-testid='hash-field']").Count);
        Assert.Contains("br-hash-hot", cut.FindAll("[data-testid='hash-field']")[1].ClassName, StringComparison.Ordinal);
        Assert.Equal("100 B", cut.Find("[data-testid='memory-hash']").TextContent.Trim());
        Assert.Equal("130 B", cut.Find("[data-testid='memory-strings']").TextContent.Trim());
        Assert.Contains("1.3×", cut.Find("[data-testid='memory-verdict']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void HashVisual_with_one_field_gives_the_measured_reason_not_few_large_fields()
    {
        var cut = Render<HashVisual>(p => p
            .Add(x => x.Profile, new HashState("k", [new("city", "Pune")]))
            .Add(x => x.Memory, new MemoryComparison("k", 80, "listpack", [new("city", "kc", 72)])));

        var verdict = cut.Find("[data-testid='memory-verdict']").TextContent;
        Assert.DoesNotContain("few, large fields", verdict, StringComparison.Ordinal);
        Assert.Contains("one field", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void HashVisual_says_how_many_bytes_the_key_names_take_on_each_side()
    {
        var prefix = new string('p', 50);
        var cut = Render<HashVisual>(p => p.Add(x => x.Memory, new MemoryComparison(prefix + ":user:profile:77", 200,
            "listpack", [new("a", prefix + ":s:a", 100), new("b", prefix + ":s:b", 100), new("c", prefix + ":s:c", 100)])));

        var verdict = cut.Find("[data-testid='memory-verdict']").TextContent;
        Assert.Contains("1.5×", verdict, StringComparison.Ordinal);
        Assert.Contains("Key names are part of both figures", verdict, StringComparison.Ordinal);
        Assert.Contains("162 B", verdict, StringComparison.Ordinal); // 3 × 54 bytes of string key names
        Assert.Contains("66 B", verdict, StringComparison.Ordinal); // the hash's one key name
    }

    [Fact]
    public void HashVisual_without_fields_says_the_hash_is_empty()
    {
        var cut = Render<HashVisual>();

        Assert.NotNull(cut.Find("[data-testid='hash-empty']"));
        Assert.Empty(cut.FindAll("[data-testid='memory-comparison']"));
    }

    [Fact]
    public void VennDiagram_places_each_tag_in_its_region_and_bolds_the_result()
    {
        var cut = Render<VennDiagram>(p => p
            .Add(x => x.First, ["caching", "redis"])
            .Add(x => x.Second, ["redis", "streams"])
            .Add(x => x.Comparison, TagComparison.Difference)
            .Add(x => x.Result, ["caching"]));

        var caching = cut.Find("[data-testid='venn-tag'][data-region='first']");
        Assert.Equal("caching", caching.TextContent);
        Assert.Contains("br-venn-hit", caching.ClassName, StringComparison.Ordinal);
        Assert.Equal("redis", cut.Find("[data-testid='venn-tag'][data-region='both']").TextContent);
        Assert.Equal("streams", cut.Find("[data-testid='venn-tag'][data-region='second']").TextContent);
        Assert.Equal("first", cut.Find("[data-testid='venn-shade']").GetAttribute("data-region"));
    }

    [Fact]
    public void VennDiagram_without_a_comparison_shades_nothing()
    {
        var cut = Render<VennDiagram>(p => p.Add(x => x.First, ["a"]));

        Assert.Empty(cut.FindAll("[data-testid='venn-shade']"));
        Assert.Single(cut.FindAll("[data-testid='venn-tag']"));
    }

    [Fact]
    public void LeaderboardChart_places_rows_by_rank_with_bars_scaled_to_the_leader()
    {
        var cut = Render<LeaderboardChart>(p => p
            .Add(x => x.Rows, [new LeaderboardEntry(0, "Bob", 1000), new LeaderboardEntry(1, "Alice", 500)])
            .Add(x => x.Highlight, "Alice"));

        var alice = cut.Find("[data-player='Alice']");
        Assert.Equal("1", alice.GetAttribute("data-rank"));
        Assert.Contains("translateY(40px)", alice.GetAttribute("style"), StringComparison.Ordinal);
        Assert.Contains("width:50%", alice.QuerySelector(".br-board-bar")!.GetAttribute("style"), StringComparison.Ordinal);
        Assert.Contains("br-board-hot", alice.ClassName, StringComparison.Ordinal);
        Assert.Contains("width:100%", cut.Find("[data-player='Bob'] .br-board-bar").GetAttribute("style"), StringComparison.Ordinal);
    }

    [Fact]
    public void LeaderboardChart_keeps_each_players_element_when_the_order_changes()
    {
        var cut = Render<LeaderboardChart>(p => p.Add(x => x.Rows, [new LeaderboardEntry(0, "Bob", 1000), new LeaderboardEntry(1, "Alice", 500)]));
        var aliceBefore = cut.Find("[data-player='Alice']");

        cut.Render(p => p.Add(x => x.Rows, [new LeaderboardEntry(0, "Alice", 1100), new LeaderboardEntry(1, "Bob", 1000)]));

        // Same DOM element, new transform: the browser animates the slide instead of redrawing.
        var aliceAfter = cut.Find("[data-player='Alice']");
        Assert.Equal("0", aliceAfter.GetAttribute("data-rank"));
        Assert.Contains("translateY(0px)", aliceAfter.GetAttribute("style"), StringComparison.Ordinal);
        Assert.Equal(cut.FindAll("[data-testid='leaderboard-row']").Select(r => r.GetAttribute("data-player")), ["Alice", "Bob"]);
        Assert.NotNull(aliceBefore);
    }
}
