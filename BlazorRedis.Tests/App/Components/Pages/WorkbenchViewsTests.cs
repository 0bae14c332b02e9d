using BlazorRedis.App.Components.Pages.Workbench;
using BlazorRedis.Core.Workbench;
using BlazorRedis.Tests.Infrastructure;
using Bunit;

namespace BlazorRedis.Tests.App.Components.Pages;

/// <summary>The key browser's pictures of a string's bits and of a stream, on their own (the page tests draw them from a real Redis).</summary>
public class BitsViewTests : MudTestContext
{
    private IRenderedComponent<BitsView> RenderBits(byte[] bytes, long length, long setBits) =>
        RenderWithProviders<BitsView>(p => p.Add(x => x.Bytes, bytes).Add(x => x.Length, length).Add(x => x.SetBits, setBits));

    [Fact]
    public void Bit_0_is_the_high_bit_of_byte_0_as_SETBIT_numbers_them()
    {
        // SETBIT k 0 1 and SETBIT k 15 1: byte 0 is 0x80, byte 1 is 0x01.
        var cut = RenderBits([0x80, 0x01], 2, 2);

        var bits = cut.FindAll("[data-testid=bit]");
        Assert.Equal(16, bits.Count);
        var on = bits.Where(b => b.GetAttribute("data-bit") == "1").Select(b => b.GetAttribute("data-offset")).ToList();
        Assert.Equal(["0", "15"], on);
        Assert.Equal("bit 15 = 1 · byte 1, bit 0 from the low end", bits[15].QuerySelector("title")!.TextContent);
        Assert.Equal("Bits 0 to 15 of the string: 2 set in all", cut.Find("[data-testid=bits-view]").GetAttribute("aria-label"));
        Assert.Equal("BITCOUNT 2 · STRLEN 2 bytes (16 bits).", RenderedText.Squash(cut.Find("[data-testid=bits-caption]").TextContent));
    }

    [Fact]
    public void A_long_string_draws_its_first_512_bits_and_says_so()
    {
        // 100 bytes of 0xFF: 800 bits set, 512 of them drawn, and the caption counts the whole string.
        var head = Enumerable.Repeat((byte)0xFF, 100).ToArray();
        var cut = RenderBits(head, 100, 800);

        var bits = cut.FindAll("[data-testid=bit]");
        Assert.Equal(BitsView.MaxDrawnBits, bits.Count);
        Assert.All(bits, b => Assert.Equal("1", b.GetAttribute("data-bit")));
        Assert.Equal("BITCOUNT 800 · STRLEN 100 bytes (800 bits); bits 0–511 drawn.", RenderedText.Squash(cut.Find("[data-testid=bits-caption]").TextContent));
        Assert.Equal("Bits 0 to 511 of the string: 800 set in all", cut.Find("[data-testid=bits-view]").GetAttribute("aria-label"));
    }

    [Fact]
    public void An_empty_string_draws_no_bit_and_its_label_says_it_is_empty()
    {
        var cut = RenderBits([], 0, 0);

        Assert.Empty(cut.FindAll("[data-testid=bit]"));
        Assert.Equal("An empty string: no bits", cut.Find("[data-testid=bits-view]").GetAttribute("aria-label"));
        Assert.Equal("BITCOUNT 0 · STRLEN 0 bytes (0 bits).", RenderedText.Squash(cut.Find("[data-testid=bits-caption]").TextContent));
    }
}

public class StreamViewTests : MudTestContext
{
    private IRenderedComponent<StreamView> RenderStream(StreamKeyContent content) =>
        RenderWithProviders<StreamView>(p => p.Add(x => x.Content, content));

    private static StreamRow Entry(string id, params (string Field, string Value)[] fields) =>
        new(id, fields.Select(f => KeyValuePair.Create(f.Field, f.Value)).ToList());

    [Fact]
    public void Entries_show_oldest_first_with_their_fields_and_a_stream_without_groups_says_how_to_make_one()
    {
        var cut = RenderStream(new StreamKeyContent(
            [Entry("1-0", ("order", "42"), ("state", "paid")), Entry("2-0", ("order", "43"))], 2, []));

        var rows = cut.FindAll("[data-testid=stream-entry]");
        Assert.Equal(["1-0", "2-0"], rows.Select(r => r.GetAttribute("data-id")));
        Assert.Contains("order=42 · state=paid", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("XGROUP CREATE", cut.Find("[data-testid=stream-no-groups]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=stream-empty]"));
    }

    [Fact]
    public void A_group_shows_its_consumers_pending_entries_and_lag()
    {
        var cut = RenderStream(new StreamKeyContent(
            [Entry("1-0", ("job", "a")), Entry("2-0", ("job", "b")), Entry("3-0", ("job", "c"))],
            3,
            [
                new StreamGroupRow("workers", 1, 1, "2-0", 1, [new StreamPendingRow("2-0", "w1", 12_500, 2)]),
                new StreamGroupRow("audit", 2, 0, "0-0", null, []),
            ]));

        var groups = cut.FindAll("[data-testid=stream-group]");
        Assert.Equal(["workers", "audit"], groups.Select(g => g.GetAttribute("data-group")));
        Assert.Contains("1 consumer ·", groups[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("lag 1", groups[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("1 pending", groups[0].QuerySelector("[data-testid=stream-group-pending]")!.TextContent);
        var pending = Assert.Single(groups[0].QuerySelectorAll("[data-testid=stream-pending]"));
        Assert.Contains("w1", pending.TextContent, StringComparison.Ordinal);
        Assert.Contains("12,500 ms", pending.TextContent, StringComparison.Ordinal);

        // Two consumers, nothing pending, and a lag Redis could not tell: no pending table and no lag shown.
        Assert.Contains("2 consumers ·", groups[1].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("lag", groups[1].TextContent, StringComparison.Ordinal);
        Assert.Empty(groups[1].QuerySelectorAll("[data-testid=stream-pending]"));
        Assert.Empty(cut.FindAll("[data-testid=stream-no-groups]"));
    }

    [Fact]
    public void A_stream_trimmed_to_nothing_says_it_is_empty_and_still_shows_its_groups()
    {
        var cut = RenderStream(new StreamKeyContent([], 0, [new StreamGroupRow("workers", 0, 0, "5-0", 0, [])]));

        Assert.Equal("(empty stream)", cut.Find("[data-testid=stream-empty]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=stream-entry]"));
        Assert.Equal("workers", cut.Find("[data-testid=stream-group]").GetAttribute("data-group"));
    }
}
