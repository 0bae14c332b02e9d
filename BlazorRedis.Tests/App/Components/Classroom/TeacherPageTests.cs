using BlazorRedis.App.Components.Pages.Classroom;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Components.Classroom;

/// <summary>The /teacher page: a note for learners; for the teacher, "reset every learner's keys" on the real Redis.</summary>
public class TeacherPageTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private MudTestContext NewContext(RedisKeyspace keyspace)
    {
        var ctx = new MudTestContext();
        ctx.Services.AddSingleton(new LearnerKeysReset(new KeyspaceJanitor(redis.Multiplexer, redis.Tracer), keyspace));
        var classes = BlazorRedis.Tests.Core.Classroom.ClassTestKit.NewService(redis, keyspace: keyspace);
        ctx.Services.AddSingleton(classes);
        ctx.Services.AddSingleton(BlazorRedis.Tests.Core.Classroom.ClassTestKit.NewHub(redis, classes));
        ctx.Services.AddSingleton(new ClassPolls(classes, redis.Tracer));
        BlazorRedis.Tests.Core.Classroom.ClassTestKit.AddClassExperiments(ctx.Services, redis, classes);
        ctx.Services.AddSingleton(BlazorRedis.Tests.Core.Classroom.ClassTestKit.NewStampede(redis, classes));
        ctx.Services.AddScoped<BlazorRedis.App.Classroom.ClassPresenceState>();
        BlazorRedis.Tests.Core.Classroom.ClassTestKit.AddCourse(ctx.Services, redis);
        return ctx;
    }

    [Fact]
    public async Task A_learner_sees_that_the_page_is_the_teachers_and_no_control()
    {
        await using var ctx = NewContext(redis.NewKeyspace());
        var cut = ctx.RenderWithProviders<TeacherPage>();

        Assert.Contains("This page is for the teacher", cut.Find("[data-testid=not-teacher]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=reset-learners]"));
    }

    [Fact]
    public async Task The_teacher_resets_every_learners_keys_and_sees_the_count_and_the_commands()
    {
        var keyspace = redis.NewKeyspace();
        var db = redis.Multiplexer.GetDatabase();
        var learnerKeys = Enumerable.Range(0, 4).Select(i => keyspace.ForLearner(LearnerId.New()).Key("lists", "k" + i)).ToArray();
        var shared = keyspace.Key("product", "1");
        foreach (var key in learnerKeys.Append(shared))
        {
            await db.StringSetAsync(key, "v");
        }

        await using var ctx = NewContext(keyspace);
        ctx.ActAsTeacher();
        var cut = ctx.RenderWithProviders<TeacherPage>();
        var says = RenderedText.Squash(cut.Find("[data-testid=reset-learners-panel]").TextContent);
        Assert.Contains("Deletes every learner's demo, lab and workbench keys", says, StringComparison.Ordinal);
        Assert.Contains("course progress and quiz answers (…:course:progress) stay", says, StringComparison.Ordinal);
        // The first click only asks; Cancel deletes nothing.
        await cut.InvokeAsync(() => cut.Find("button[data-testid=reset-learners]").Click());
        Assert.Contains("every learner in every class", cut.Find("[data-testid=reset-learners-confirm]").TextContent, StringComparison.Ordinal);
        await cut.InvokeAsync(() => cut.Find("button[data-testid=reset-learners-no]").Click());
        Assert.Empty(cut.FindAll("[data-testid=reset-learners-confirm]"));
        Assert.Empty(cut.FindAll("[data-testid=reset-learners-result]"));
        foreach (var key in learnerKeys)
        {
            Assert.True(await db.KeyExistsAsync(key));
        }

        await cut.InvokeAsync(() => cut.Find("button[data-testid=reset-learners]").Click());
        await cut.InvokeAsync(() => cut.Find("button[data-testid=reset-learners-yes]").Click());

        cut.WaitForAssertion(() => Assert.Equal("4 keys deleted.", cut.Find("[data-testid=reset-learners-result]").TextContent.Trim()), Wait);
        Assert.Contains("UNLINK", cut.Markup, StringComparison.Ordinal);
        foreach (var key in learnerKeys)
        {
            Assert.False(await db.KeyExistsAsync(key));
        }

        Assert.True(await db.KeyExistsAsync(shared));
    }
}
