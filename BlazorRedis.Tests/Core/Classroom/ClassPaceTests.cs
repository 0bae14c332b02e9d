using System.Threading.Channels;
using BlazorRedis.Core;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.Core.Classroom;

/// <summary>The teacher's pace controls on the real Redis: pause, "bring everyone here", rename.</summary>
public class ClassPaceTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pausing_is_kept_in_the_class_and_published_and_resuming_clears_it()
    {
        var classes = ClassTestKit.NewService(redis);
        await using var hub = ClassTestKit.NewHub(redis, classes);
        var code = (await classes.OpenAsync()).Value.Code;
        var inbox = Channel.CreateUnbounded<ClassEvent>();
        using var sub = await hub.SubscribeAsync(code, e => inbox.Writer.WriteAsync(e).AsTask());

        var paused = await classes.SetPausedAsync(code, true);

        Assert.True(paused.Value);
        Assert.Contains(paused.Trace.Commands, c => c.Text.StartsWith("HSET", StringComparison.Ordinal));
        Assert.True(await classes.IsPausedAsync(code));
        Assert.True((await classes.GetInfoAsync(code))!.Paused); // a learner who loads a page now sees the overlay
        Assert.Equal(ClassEventKind.Paused, (await inbox.Reader.ReadAsync(Ct).AsTask().WaitAsync(Wait, Ct)).Kind);

        await classes.SetPausedAsync(code, false);

        Assert.False(await classes.IsPausedAsync(code));
        Assert.Equal(ClassEventKind.Resumed, (await inbox.Reader.ReadAsync(Ct).AsTask().WaitAsync(Wait, Ct)).Kind);
    }

    [Fact]
    public async Task Bring_everyone_here_publishes_the_page_and_keeps_it_for_catching_up()
    {
        var classes = ClassTestKit.NewService(redis);
        await using var hub = ClassTestKit.NewHub(redis, classes);
        var code = (await classes.OpenAsync()).Value.Code;
        var inbox = Channel.CreateUnbounded<ClassEvent>();
        using var sub = await hub.SubscribeAsync(code, e => inbox.Writer.WriteAsync(e).AsTask());

        await classes.BringEveryoneAsync(code, "/caching/stampede?x=1");

        var evt = await inbox.Reader.ReadAsync(Ct).AsTask().WaitAsync(Wait, Ct);
        Assert.Equal((ClassEventKind.BringHere, "/caching/stampede?x=1"), (evt.Kind, evt.Text));
        Assert.Equal("/caching/stampede?x=1", (await classes.GetInfoAsync(code))!.TeacherPage);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil")]
    [InlineData("")]
    [InlineData("relative")]
    public async Task Bring_everyone_refuses_anything_but_a_page_of_this_app_and_changes_nothing(string path)
    {
        var classes = ClassTestKit.NewService(redis);
        var code = (await classes.OpenAsync()).Value.Code;

        await Assert.ThrowsAsync<LearnerInputException>(() => classes.BringEveryoneAsync(code, path));
        await Assert.ThrowsAsync<LearnerInputException>(() => classes.BringEveryoneAsync(code, "/" + new string('a', 10_000)));

        Assert.Null((await classes.GetInfoAsync(code))!.TeacherPage);
    }

    [Fact]
    public async Task Pause_and_bring_on_a_closed_class_are_not_found_and_create_no_key()
    {
        var keyspace = redis.NewKeyspace();
        var classes = ClassTestKit.NewService(redis, keyspace: keyspace);
        var code = (await classes.OpenAsync()).Value.Code;
        await classes.CloseAsync(code);

        await Assert.ThrowsAsync<ClassNotFoundException>(() => classes.SetPausedAsync(code, true));
        await Assert.ThrowsAsync<ClassNotFoundException>(() => classes.BringEveryoneAsync(code, "/"));

        Assert.False(await redis.Multiplexer.GetDatabase().KeyExistsAsync(classes.ClassKey(code, "meta")));
    }

    [Fact]
    public async Task The_teacher_renames_a_learner_everyone_hears_it_and_bad_names_change_nothing()
    {
        var classes = ClassTestKit.NewService(redis);
        await using var hub = ClassTestKit.NewHub(redis, classes);
        var code = (await classes.OpenAsync()).Value.Code;
        var ada = (await classes.JoinAsync(code, "Ada", LearnerId.New(), ClassTestKit.Client())).Value;
        await classes.JoinAsync(code, "Bob", LearnerId.New(), ClassTestKit.Client());
        var inbox = Channel.CreateUnbounded<ClassEvent>();
        using var sub = await hub.SubscribeAsync(code, e => inbox.Writer.WriteAsync(e).AsTask());

        foreach (var bad in new[] { "", "BOB", new string('x', 10_000), "\u202Eevil", "<b>" })
        {
            await Assert.ThrowsAsync<LearnerInputException>(() => classes.RenameAsync(code, ada.Learner, bad));
        }

        await Assert.ThrowsAsync<LearnerInputException>(() => classes.RenameAsync(code, LearnerId.New().Value, "Zed"));
        Assert.Equal(["Ada", "Bob"], (await classes.GetRosterAsync(code)).Value.Select(r => r.Nickname));

        await classes.RenameAsync(code, ada.Learner, "Countess");

        var evt = await inbox.Reader.ReadAsync(Ct).AsTask().WaitAsync(Wait, Ct);
        Assert.Equal((ClassEventKind.Renamed, ada.Learner, "Countess"), (evt.Kind, evt.Learner, evt.Nickname));
        Assert.Equal(["Bob", "Countess"], (await classes.GetRosterAsync(code)).Value.Select(r => r.Nickname));
    }
}
