using BlazorRedis.Core.Lists;
using BlazorRedis.Tests.Core.DataStructures;
using BlazorRedis.Tests.Infrastructure;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Lists;

public class ListsDemoTests(RedisServerFixture redis)
{
    private readonly IDatabase _db = redis.Multiplexer.GetDatabase();

    private (ListsDemoService Demo, BlazorRedis.Core.Keys.LearnerId Learner, string Area) NewDemo()
    {
        var (keys, learner, janitor) = DemoTestKit.NewLearner(redis);
        return (new ListsDemoService(redis.Multiplexer, redis.Tracer, keys, janitor, TimeProvider.System), learner, keys.ForLearner(learner).AreaPrefix(ListsDemoService.Area));
    }

    [Fact]
    public async Task Concurrent_pushes_never_take_the_queue_past_its_cap_and_the_refused_are_told_it_is_full()
    {
        var (demo, learner, area) = NewDemo();
        for (var pushed = 0; pushed < IListsDemo.MaxQueueLength - 5; pushed += 19)
        {
            await demo.EnqueueAsync(learner, [.. Enumerable.Range(pushed, 19).Select(i => $"job{i}")]);
        }

        var attempts = await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            try
            {
                await demo.EnqueueAsync(learner, [$"late{i}"]);
                return null;
            }
            catch (BlazorRedis.Core.LearnerInputException refused)
            {
                return refused.Message;
            }
        }));

        Assert.Equal(IListsDemo.MaxQueueLength, await _db.ListLengthAsync(area + "queue:tasks"));
        Assert.Equal(5, attempts.Count(a => a is null));
        Assert.All(attempts.Where(a => a is not null), a => Assert.Contains($"holds at most {IListsDemo.MaxQueueLength} jobs and has {IListsDemo.MaxQueueLength}", a, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Workers_take_jobs_in_the_order_the_producer_pushed_them()
    {
        var (demo, learner, area) = NewDemo();
        await demo.EnqueueAsync(learner, ["email_signup"]);
        await demo.EnqueueAsync(learner, ["send_notification"]);
        var pushed = await demo.EnqueueAsync(learner, ["resize_avatar"]);

        Assert.Equal(["resize_avatar", "send_notification", "email_signup"], pushed.Value.Items);
        Assert.Equal(3, pushed.Value.Length);
        Assert.Equal(["LLEN", "EXEC", "EXPIRE", "LRANGE", "LLEN"], pushed.Trace.WireNames);
        DemoTestKit.TextMatchesWire(pushed.Trace);
        await DemoTestKit.AssertExpiresAsync(_db, area + "queue:tasks", TimeSpan.FromDays(1));

        var taken = new List<string?>();
        foreach (var worker in new[] { "worker-1", "worker-2", "worker-1", "worker-2" })
        {
            taken.Add((await demo.WorkOnceAsync(learner, worker)).Value.Job);
        }

        Assert.Equal(["email_signup", "send_notification", "resize_avatar", null], taken);
    }

    [Fact]
    public async Task Waiting_worker_picks_up_a_job_pushed_while_it_polls_without_blocking_commands()
    {
        var (demo, learner, _) = NewDemo();

        var waiting = demo.WaitForJobAsync(learner, "night-shift", TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        await demo.EnqueueAsync(learner, ["late_job"]);
        var result = await waiting;

        Assert.Equal("late_job", result.Value.Job);
        Assert.True(result.Value.Polls >= 2);
        Assert.All(result.Trace.WireNames, n => Assert.DoesNotContain(n, new[] { "BRPOP", "BLPOP" }));
        Assert.Equal(result.Value.Polls, result.Trace.WireNames.Count(n => n == "RPOP"));
        Assert.Equal(0, result.Value.Queue.Length);
    }

    [Fact]
    public async Task Waiting_worker_gives_up_empty_handed_after_its_timeout()
    {
        var (demo, learner, _) = NewDemo();

        var result = await demo.WaitForJobAsync(learner, "idle", TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);

        Assert.Null(result.Value.Job);
        Assert.True(result.Value.Polls >= 1);
    }

    [Fact]
    public async Task Activity_list_keeps_only_the_newest_entries_with_LTRIM()
    {
        var (demo, learner, _) = NewDemo();

        for (var i = 1; i <= 12; i++)
        {
            await demo.RecordActivityAsync(learner, $"event {i}", 5);
        }

        var state = await demo.ReadActivityAsync(learner);
        Assert.Equal(5, state.Value.Length);
        Assert.Equal(["event 12", "event 11", "event 10", "event 9", "event 8"], state.Value.Items);
        var last = await demo.RecordActivityAsync(learner, "event 13", 5);
        Assert.Equal(["LPUSH", "LTRIM", "EXPIRE", "LRANGE", "LLEN"], last.Trace.WireNames);
        DemoTestKit.TextMatchesWire(last.Trace);
    }

    public static TheoryData<string> BadInputs() => ["no jobs", "blank job", "job with newline", "too many jobs", "long job", "keep zero", "keep too many", "blank worker", "wait too long", "wait zero"];

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_is_refused_and_writes_nothing(string input)
    {
        var (demo, learner, area) = NewDemo();
        Func<Task> call = input switch
        {
            "no jobs" => () => demo.EnqueueAsync(learner, []),
            "blank job" => () => demo.EnqueueAsync(learner, ["ok", " "]),
            "job with newline" => () => demo.EnqueueAsync(learner, ["a\r\nb"]),
            "too many jobs" => () => demo.EnqueueAsync(learner, Enumerable.Range(0, 21).Select(i => $"j{i}").ToList()),
            "long job" => () => demo.EnqueueAsync(learner, [new string('j', 65)]),
            "keep zero" => () => demo.RecordActivityAsync(learner, "x", 0),
            "keep too many" => () => demo.RecordActivityAsync(learner, "x", 51),
            "blank worker" => () => demo.WorkOnceAsync(learner, ""),
            "wait too long" => () => demo.WaitForJobAsync(learner, "w", TimeSpan.FromMinutes(5)),
            "wait zero" => () => demo.WaitForJobAsync(learner, "w", TimeSpan.Zero),
            _ => throw new InvalidOperationException(input),
        };

        await Assert.ThrowsAnyAsync<ArgumentException>(call);
        Assert.Empty(await DemoTestKit.KeysUnderAsync(redis, area));
    }

    [Fact]
    public async Task The_queue_holds_at_most_MaxQueueLength_jobs_and_a_push_past_it_is_refused_and_writes_nothing()
    {
        var (demo, learner, area) = NewDemo();
        for (var pushed = 0; pushed < IListsDemo.MaxQueueLength; pushed += IListsDemo.MaxJobsPerPush)
        {
            await demo.EnqueueAsync(learner, [.. Enumerable.Range(pushed, IListsDemo.MaxJobsPerPush).Select(i => $"job-{i}")]);
        }

        var refused = await Assert.ThrowsAsync<BlazorRedis.Core.LearnerInputException>(() => demo.EnqueueAsync(learner, ["one-too-many"]));

        Assert.Contains($"at most {IListsDemo.MaxQueueLength} jobs", refused.Message, StringComparison.Ordinal);
        Assert.Equal(IListsDemo.MaxQueueLength, await _db.ListLengthAsync(area + "queue:tasks"));
        await demo.WorkOnceAsync(learner, "worker-1");
        Assert.Equal(IListsDemo.MaxQueueLength, (await demo.EnqueueAsync(learner, ["fits-again"])).Value.Length);
    }
}
