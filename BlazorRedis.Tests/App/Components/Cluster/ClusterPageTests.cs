using BlazorRedis.App.Components.Pages.Cluster;
using BlazorRedis.Tests.Core.ClusterLab;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Components.Cluster;

/// <summary>The cluster page on the lab's real sandbox cluster.</summary>
[Collection(ClusterLabSandbox.Name)]
public class ClusterPageTests(ClusterLabFixture fixture, RedisServerFixture redis) : MudTestContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private IRenderedComponent<ClusterPage> RenderPage()
    {
        Services.AddSingleton(fixture.Lab);
        return RenderWithProviders<ClusterPage>();
    }

    [Fact]
    public async Task A_learner_locates_a_key_sees_crossslot_then_the_tag_accepted_and_the_lesson_check_passes()
    {
        var keyspace = redis.NewKeyspace();
        BlazorRedis.Tests.Core.Classroom.ClassTestKit.AddCourse(Services, redis, keyspace);
        var cut = RenderPage();
        Assert.Contains("six redis-server processes", cut.Find("[data-testid=sandbox-state]").TextContent, StringComparison.Ordinal);

        await cut.InvokeAsync(() => cut.Find("button[data-testid=locate]").Click());
        cut.WaitForAssertion(() => Assert.Equal("1649", cut.Find("[data-testid=slot]").TextContent), Wait);
        Assert.Contains("CLUSTER KEYSLOT", cut.Find("[data-testid=trace-table]").TextContent, StringComparison.Ordinal);

        await cut.InvokeAsync(() => cut.Find("button[data-testid=crossslot]").Click());
        cut.WaitForAssertion(() => Assert.StartsWith("(error) CROSSSLOT", cut.Find("[data-testid=untagged-reply]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal("OK", cut.Find("[data-testid=tagged-reply]").TextContent);

        var lesson = Services.GetRequiredService<BlazorRedis.Core.Lessons.LessonCatalog>().Find("redis-cluster")!;
        var labChecks = lesson.Checks.SelectMany(b => b.Checks).Where(c => c.Command == "LAB").ToArray();
        var graded = await new BlazorRedis.Core.Lessons.CheckEvaluator(redis.Multiplexer, redis.Tracer).EvaluateAsync(keyspace.ForLearner(Learner.Id), labChecks, Xunit.TestContext.Current.CancellationToken);
        Assert.Equal(2, graded.Value.Count);
        Assert.All(graded.Value, r => Assert.True(r.Passed, r.Message));
    }

    // Saving the lab result (on the app's Redis, not the sandbox cluster) used to throw: the page showed an error, not the
    // CROSSSLOT the learner had just caused.
    [Fact]
    public async Task Crossslot_whose_result_cannot_be_saved_still_shows_both_replies_and_says_it_was_not_saved()
    {
        await using var dead = await UnreachableRedis.ConnectAsync();
        UnreachableRedis.AddCourse(Services, dead);
        var cut = RenderPage();

        await cut.InvokeAsync(() => cut.Find("button[data-testid=crossslot]").Click());

        cut.WaitForAssertion(() => Assert.StartsWith("(error) CROSSSLOT", cut.Find("[data-testid=untagged-reply]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal("OK", cut.Find("[data-testid=tagged-reply]").TextContent);
        Assert.Contains("could not be saved", cut.Find("[data-testid=lab-not-saved]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=error]"));
        Assert.Contains("HSET", cut.Find("[data-testid=trace-table]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_wrong_node_answers_moved_and_the_page_says_where_the_client_sent_it()
    {
        var cut = RenderPage();

        await cut.InvokeAsync(() => cut.Find("button[data-testid=moved]").Click());

        cut.WaitForAssertion(() => Assert.StartsWith("(error) MOVED ", cut.Find("[data-testid=redirect]").TextContent, StringComparison.Ordinal), Wait);
        Assert.EndsWith(cut.Find("[data-testid=sent-to]").TextContent, cut.Find("[data-testid=redirect]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_key_gets_a_clear_message_and_a_learner_cannot_stop_a_master()
    {
        var cut = RenderPage();
        cut.Find("input[data-testid=locate-key]").Change("");

        await cut.InvokeAsync(() => cut.Find("button[data-testid=locate]").Click());

        cut.WaitForAssertion(() => Assert.Equal("Type a key name.", cut.Find("[data-testid=error]").TextContent.Trim()), Wait);
        Assert.Empty(cut.FindAll("[data-testid=located]"));
        Assert.True(cut.Find("button[data-testid=failover]").HasAttribute("disabled"));
        Assert.Contains("teacher", cut.Find("[data-testid=teacher-only]").TextContent, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_teacher_stops_a_master_and_watches_the_reads_fail_until_the_replica_answers()
    {
        ActAsTeacher();
        var cut = RenderPage();

        await cut.InvokeAsync(() => cut.Find("button[data-testid=failover]").Click());

        cut.WaitForAssertion(() => Assert.Contains("answered as the new master", cut.Find("[data-testid=failover-summary]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains(cut.FindAll("[data-testid=failover-read]"), r => r.GetAttribute("data-ok") == "false");
        Assert.Equal("true", cut.FindAll("[data-testid=failover-read]")[^1].GetAttribute("data-ok"));
    }
}
