using BlazorRedis.App.Components.Pages.Classroom;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Tests.Infrastructure;
using Bunit;

namespace BlazorRedis.Tests.App.Components.Classroom;

/// <summary>A poll's bars on their own: counts and shares written out, the teacher's marks, and the revealed answer.</summary>
public class PollHistogramTests : MudTestContext
{
    private static ClassPoll Poll(PollState state, long[] counts, long voters, params int[] correct) => new(
        "p1", "Which command reads a string?", ["GET", "HGET", "LPOP"], false, state, correct, counts, voters, DateTimeOffset.UnixEpoch);

    private static string[] Shares(IRenderedComponent<PollHistogram> cut) =>
        cut.FindAll(".br-poll-share").Select(e => e.TextContent).ToArray();

    private static string[] Widths(IRenderedComponent<PollHistogram> cut) =>
        cut.FindAll(".br-poll-bar").Select(e => e.GetAttribute("style") ?? "").ToArray();

    [Fact]
    public void Each_option_shows_its_count_and_its_share_of_the_voters_as_text_and_as_a_bar()
    {
        var cut = RenderWithProviders<PollHistogram>(p => p.Add(x => x.Poll, Poll(PollState.Open, [2, 1, 0], 3)));

        Assert.Equal(["2", "1", "0"], cut.FindAll("[data-testid=poll-count]").Select(e => e.TextContent));
        Assert.Equal(["(67%)", "(33%)", "(0%)"], Shares(cut));
        Assert.Equal(["width: 67%", "width: 33%", "width: 0%"], Widths(cut));
        // The bar repeats the numbers for sighted users only; the text carries them for everyone.
        Assert.All(cut.FindAll(".br-poll-bar-track"), t => Assert.Equal("true", t.GetAttribute("aria-hidden")));
        Assert.Empty(cut.FindAll("input[type=checkbox]"));
    }

    [Fact]
    public void A_poll_nobody_answered_shows_zero_shares_not_an_error()
    {
        var cut = RenderWithProviders<PollHistogram>(p => p.Add(x => x.Poll, Poll(PollState.Open, [0, 0, 0], 0)));

        Assert.Equal(["(0%)", "(0%)", "(0%)"], Shares(cut));
        Assert.Equal(["width: 0%", "width: 0%", "width: 0%"], Widths(cut));
    }

    [Fact]
    public void The_teacher_marks_the_right_options_with_labelled_checkboxes_that_report_each_toggle()
    {
        var toggled = new List<int>();
        var cut = RenderWithProviders<PollHistogram>(p => p
            .Add(x => x.Poll, Poll(PollState.Closed, [1, 1, 1], 3))
            .Add(x => x.Selectable, true)
            .Add(x => x.Selected, new HashSet<int> { 2 })
            .Add(x => x.OnToggle, (int i) => toggled.Add(i)));

        var boxes = cut.FindAll("input[type=checkbox][data-testid=poll-mark-correct]");
        Assert.Equal(3, boxes.Count);
        foreach (var box in boxes)
        {
            // Each box is named by its option, so a screen reader says "GET, checkbox".
            Assert.NotNull(cut.Find($"label[for='{box.Id}']"));
        }

        Assert.Equal("GET", cut.Find($"label[for='{boxes[0].Id}']").TextContent);
        Assert.Equal([false, false, true], cut.FindAll("[data-testid=poll-row]").Select(r => r.ClassList.Contains("br-poll-right")));

        cut.FindAll("input[type=checkbox]")[0].Change(true);
        cut.FindAll("input[type=checkbox]")[2].Change(false);
        Assert.Equal([0, 2], toggled);
    }

    [Fact]
    public void Once_revealed_the_right_options_are_marked_from_the_poll_not_from_the_teachers_selection()
    {
        var cut = RenderWithProviders<PollHistogram>(p => p
            .Add(x => x.Poll, Poll(PollState.Revealed, [3, 1, 0], 4, 0))
            .Add(x => x.Selected, new HashSet<int> { 1 }));

        var rows = cut.FindAll("[data-testid=poll-row]");
        Assert.Equal([true, false, false], rows.Select(r => r.ClassList.Contains("br-poll-right")));
        Assert.Equal(["GET ✔", "HGET", "LPOP"], cut.FindAll(".br-poll-label").Select(e => e.TextContent));
        Assert.Empty(cut.FindAll("input[type=checkbox]"));
    }
}
