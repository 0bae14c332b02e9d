using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Lessons;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Lessons;

public class LessonProgressStoreTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Progress_is_kept_in_redis_so_a_restarted_app_with_a_new_connection_sees_it()
    {
        var keyspace = redis.NewKeyspace();
        var options = Options.Create(new LessonOptions { ProgressDays = 30 });
        var learner = LearnerId.New();
        var quiz = new Quiz("Q?", [new("a", true, "yes"), new("b", false, "no")]);
        var before = new LessonProgressStore(redis.Multiplexer, keyspace, redis.Tracer, options);
        await before.SetLastAsync(learner, "streams");
        await before.RecordCheckPassedAsync(learner, "streams", 1);
        await before.RecordQuizAsync(learner, "streams", 0, quiz.Grade([1]));
        await before.RecordQuizAsync(learner, "streams", 2, quiz.Grade([0]));

        await using var restarted = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var after = new LessonProgressStore(restarted, keyspace, new BlazorRedis.Core.Tracing.RedisTracer(restarted), options);
        var progress = (await after.GetAsync(learner)).Value;

        Assert.Equal("streams", progress.LastLesson);
        Assert.True(progress.CheckPassed("streams", 1));
        Assert.False(progress.CheckPassed("streams", 0));
        var first = progress.QuizAnswer("streams", 0)!.Value;
        Assert.Equal([1], first.Chosen);
        Assert.False(first.Correct);
        Assert.True(progress.QuizAnswer("streams", 2)!.Value.Correct);
        var ttl = await restarted.GetDatabase().KeyTimeToLiveAsync(after.KeyFor(learner));
        Assert.InRange(ttl!.Value.TotalDays, 29.9, 30);
        Assert.Equal(LessonProgress.None.Fields.Count, (await after.GetAsync(LearnerId.New())).Value.Fields.Count);
    }

    [Fact]
    public async Task A_saved_lab_result_is_one_hset_and_an_expire_and_says_it_was_saved()
    {
        var store = new LessonProgressStore(redis.Multiplexer, redis.NewKeyspace(), redis.Tracer, Options.Create(new LessonOptions()));
        var learner = LearnerId.New();

        var recorded = await store.RecordLabAsync(learner, [("stampede.lock.loads", 1)]);

        Assert.True(recorded.Value);
        Assert.Equal(["HSET", "EXPIRE"], recorded.Trace.Commands.Select(c => c.Text.Split(' ')[0]));
        Assert.Equal(1, (await store.GetAsync(learner)).Value.LabResult("stampede.lock.loads"));
    }

    // A lab run is real whether or not its result is kept: a failed save used to throw out of the run that had just worked.
    [Fact]
    public async Task Saving_a_lab_result_with_redis_down_throws_nothing_and_says_nothing_was_saved()
    {
        await using var dead = await UnreachableRedis.ConnectAsync();
        var store = new LessonProgressStore(dead, redis.NewKeyspace(), new BlazorRedis.Core.Tracing.RedisTracer(dead), Options.Create(new LessonOptions()));

        var recorded = await store.RecordLabAsync(LearnerId.New(), [("stampede.lock.loads", 1)]);

        Assert.False(recorded.Value);
        var hset = Assert.Single(recorded.Trace.Commands);
        Assert.StartsWith("HSET ", hset.Text, StringComparison.Ordinal);
        Assert.True(hset.Failed);
    }

    [Fact]
    public async Task Saving_a_lab_result_redis_refuses_throws_nothing_and_shows_the_refusal()
    {
        var keyspace = redis.NewKeyspace();
        var store = new LessonProgressStore(redis.Multiplexer, keyspace, redis.Tracer, Options.Create(new LessonOptions()));
        var learner = LearnerId.New();
        await redis.Multiplexer.GetDatabase().StringSetAsync(store.KeyFor(learner), "not a hash");

        var recorded = await store.RecordLabAsync(learner, [("stampede.lock.loads", 1)]);

        Assert.False(recorded.Value);
        var hset = Assert.Single(recorded.Trace.Commands);
        Assert.True(hset.Failed);
        Assert.Contains("WRONGTYPE", hset.Result, StringComparison.Ordinal);
    }
}
