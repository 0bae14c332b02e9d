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
}
