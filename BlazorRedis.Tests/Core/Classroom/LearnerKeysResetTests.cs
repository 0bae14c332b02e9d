using BlazorRedis.Core.Caching;
using BlazorRedis.Core.Caching.Libraries;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Lessons;
using BlazorRedis.Core.Strings;
using BlazorRedis.Core.Workbench;
using BlazorRedis.Tests.Core.Lessons;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.Core.Classroom;

/// <summary>
/// The teacher's "reset every learner's keys" deletes the learners' demo, lab and workbench keys on the real Redis, and
/// keeps their course progress and quiz answers (kept for Lessons:ProgressDays, where demo keys last a day).
/// </summary>
public class LearnerKeysResetTests(RedisServerFixture redis)
{
    [Fact]
    public async Task The_reset_deletes_every_demo_key_and_keeps_each_learners_course_progress()
    {
        var keyspace = redis.NewKeyspace();
        var db = redis.Multiplexer.GetDatabase();
        var progress = new LessonProgressStore(redis.Multiplexer, keyspace, redis.Tracer, Options.Create(new LessonOptions()));
        var quiz = new Quiz("Q?", [new("a", true, "yes"), new("b", false, "no")]);
        var learners = new[] { LearnerId.New(), LearnerId.New() };
        var demoKeys = new List<StackExchange.Redis.RedisKey>();
        foreach (var learner in learners)
        {
            await progress.SetLastAsync(learner, "strings");
            await progress.RecordCheckPassedAsync(learner, "strings", LessonProgressStoreTests.Check(0, "EXISTS greeting == 1"));
            await progress.RecordQuizAsync(learner, "strings", 1, quiz.Grade([0]));
            var keys = keyspace.ForLearner(learner);
            demoKeys.Add(keys.Key(StringsDemoService.Area, "kv", "greeting"));
            demoKeys.Add(keys.Key(WorkbenchKeyRewriter.Area, "user", "1"));
            demoKeys.Add(keys.Key(WorkbenchKeyRewriter.Area, "course", "progress")); // a workbench key named like progress is still a workbench key
            demoKeys.Add(keys.Key("wbhistory", "lines"));
            demoKeys.Add(keys.Key(CacheKeys.LearnerArea, "product", "1"));
            demoKeys.Add(keys.Key(LibrariesLab.Area, "product", "1"));
        }

        foreach (var key in demoKeys)
        {
            await db.StringSetAsync(key, "v", TimeSpan.FromDays(1));
        }

        var reset = new LearnerKeysReset(new KeyspaceJanitor(redis.Multiplexer, redis.Tracer), keyspace);
        var deleted = await reset.ResetEveryLearnerAsync();

        Assert.Equal(demoKeys.Count, deleted.Value);
        foreach (var key in demoKeys)
        {
            Assert.False(await db.KeyExistsAsync(key), $"{key} should be gone");
        }

        foreach (var learner in learners)
        {
            var kept = (await progress.GetAsync(learner)).Value;
            Assert.Equal("strings", kept.LastLesson);
            Assert.True(kept.CheckPassed("strings", LessonProgressStoreTests.Check(0, "EXISTS greeting == 1")));
            Assert.True(kept.QuizAnswer("strings", 1)!.Value.Correct);
        }

        Assert.Contains(deleted.Trace.Commands, c => c.Text.StartsWith("UNLINK", StringComparison.Ordinal));
        Assert.DoesNotContain(deleted.Trace.Commands, c => c.Text.StartsWith("KEYS", StringComparison.Ordinal));
    }
}
