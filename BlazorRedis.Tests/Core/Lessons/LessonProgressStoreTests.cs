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
        await before.RecordCheckPassedAsync(learner, "streams", Check(1, "XLEN orders >= 1"));
        await before.RecordQuizAsync(learner, "streams", 0, quiz.Grade([1]));
        await before.RecordQuizAsync(learner, "streams", 2, quiz.Grade([0]));

        await using var restarted = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var after = new LessonProgressStore(restarted, keyspace, new BlazorRedis.Core.Tracing.RedisTracer(restarted), options);
        var progress = (await after.GetAsync(learner)).Value;

        Assert.Equal("streams", progress.LastLesson);
        Assert.True(progress.CheckPassed("streams", Check(1, "XLEN orders >= 1")));
        Assert.False(progress.CheckPassed("streams", Check(0, "XLEN orders >= 1")));
        var first = progress.QuizAnswer("streams", 0)!.Value;
        Assert.Equal([1], first.Chosen);
        Assert.False(first.Correct);
        Assert.True(progress.QuizAnswer("streams", 2)!.Value.Correct);
        var ttl = await restarted.GetDatabase().KeyTimeToLiveAsync(after.KeyFor(learner));
        Assert.InRange(ttl!.Value.TotalDays, 29.9, 30);
        Assert.Equal(LessonProgress.None.Fields.Count, (await after.GetAsync(LearnerId.New())).Value.Fields.Count);
    }

    /// <summary>A check block at <paramref name="index"/> of <paramref name="lines"/>, as a lesson file would parse it.</summary>
    public static CheckSegment Check(int index, params string[] lines) => new(1, index, [.. lines.Select((l, i) => CheckParser.Parse(l, i + 2))]);

    // Passes were kept by block number alone: a check the teacher changed, or one shifted by a block inserted before it,
    // still counted as passed.
    [Fact]
    public async Task A_pass_counts_only_for_the_block_as_it_was_when_it_passed()
    {
        var store = new LessonProgressStore(redis.Multiplexer, redis.NewKeyspace(), redis.Tracer, Options.Create(new LessonOptions()));
        var learner = LearnerId.New();
        await store.RecordCheckPassedAsync(learner, "ttl", Check(0, "EXISTS session == 1"));
        await store.RecordCheckPassedAsync(learner, "ttl", Check(1, "TTL session in 1..60 -- Set an expiry first."));

        var progress = (await store.GetAsync(learner)).Value;

        Assert.True(progress.CheckPassed("ttl", Check(0, "EXISTS  session  ==  1"))); // spacing changes nothing checked
        Assert.True(progress.CheckPassed("ttl", Check(1, "TTL session in 1..60 -- Use EXPIRE."))); // nor does the hint
        Assert.False(progress.CheckPassed("ttl", Check(0, "EXISTS session == 1", "TYPE session == hash"))); // a line added
        Assert.False(progress.CheckPassed("ttl", Check(1, "TTL session in 1..30"))); // the expectation changed
        Assert.False(progress.CheckPassed("ttl", Check(1, "EXISTS session == 1"))); // block 0 now sits at 1
        Assert.False(progress.CheckPassed("ttl", Check(2, "TTL session in 1..60"))); // block 1 moved down: passed at 1, not 2
    }

    [Fact]
    public async Task A_pass_kept_before_passes_were_fingerprinted_does_not_count()
    {
        var store = new LessonProgressStore(redis.Multiplexer, redis.NewKeyspace(), redis.Tracer, Options.Create(new LessonOptions()));
        var learner = LearnerId.New();
        await redis.Multiplexer.GetDatabase().HashSetAsync(store.KeyFor(learner), "ttl:check:0", "2026-01-01T00:00:00.0000000+00:00");

        Assert.False((await store.GetAsync(learner)).Value.CheckPassed("ttl", Check(0, "EXISTS session == 1")));
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

    private static readonly Quiz Ttl = new("TTL of a missing key?", [new("-1", false, "no expiry"), new("-2", true, "no key"), new("0", false, "expired")]);

    // A right answer could be undone: answering wrong after it (in the same tab, or in a stale second one) replaced the
    // kept answer, and the step done was done no more.
    [Fact]
    public async Task A_wrong_answer_after_a_right_one_is_a_try_but_never_undoes_the_pass()
    {
        var store = new LessonProgressStore(redis.Multiplexer, redis.NewKeyspace(), redis.Tracer, Options.Create(new LessonOptions { ProgressDays = 30 }));
        var learner = LearnerId.New();

        await store.RecordQuizAsync(learner, "ttl", 0, Ttl.Grade([0]));
        await store.RecordQuizAsync(learner, "ttl", 0, Ttl.Grade([2]));
        var trace = await store.RecordQuizAsync(learner, "ttl", 0, Ttl.Grade([1]));
        await store.RecordQuizAsync(learner, "ttl", 0, Ttl.Grade([0])); // after the pass

        var progress = (await store.GetAsync(learner)).Value;
        var kept = progress.QuizAnswer("ttl", 0)!.Value;
        Assert.Equal([1], kept.Chosen);
        Assert.True(kept.Correct);
        Assert.Equal<(int, int?)?>((4, 3), progress.QuizTries("ttl", 0));
        var eval = Assert.Single(trace.Commands);
        Assert.StartsWith("EVAL ", eval.Text, StringComparison.Ordinal);
        Assert.Equal("(integer) 3", eval.Result);
        var ttl = await redis.Multiplexer.GetDatabase().KeyTimeToLiveAsync(store.KeyFor(learner));
        Assert.InRange(ttl!.Value.TotalDays, 29.9, 30);
    }

    // Two tabs at once: the read of the kept answer and the write are one script, so no wrong answer slips in between.
    [Fact]
    public async Task Many_tabs_answering_at_once_keep_the_right_answer_and_count_every_try()
    {
        var store = new LessonProgressStore(redis.Multiplexer, redis.NewKeyspace(), redis.Tracer, Options.Create(new LessonOptions()));
        var learner = LearnerId.New();
        await store.RecordQuizAsync(learner, "ttl", 0, Ttl.Grade([1]));

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => store.RecordQuizAsync(learner, "ttl", 0, Ttl.Grade([i % 2 == 0 ? 0 : 2]))));

        var progress = (await store.GetAsync(learner)).Value;
        Assert.True(progress.QuizAnswer("ttl", 0)!.Value.Correct);
        Assert.Equal<(int, int?)?>((51, 1), progress.QuizTries("ttl", 0));
    }

    // The kept answer is right or not as the quiz is now: one right before the teacher changed the quiz gives way.
    [Fact]
    public async Task A_kept_answer_no_longer_right_after_the_quiz_changed_gives_way_to_the_next_answer()
    {
        var store = new LessonProgressStore(redis.Multiplexer, redis.NewKeyspace(), redis.Tracer, Options.Create(new LessonOptions()));
        var learner = LearnerId.New();
        await store.RecordQuizAsync(learner, "ttl", 0, Ttl.Grade([1]));
        var changed = new Quiz("TTL of a missing key?", [new("-1", false, "no expiry"), new("-2", false, "no key"), new("0", true, "changed")]);

        await store.RecordQuizAsync(learner, "ttl", 0, changed.Grade([0]));
        var wrong = (await store.GetAsync(learner)).Value;
        await store.RecordQuizAsync(learner, "ttl", 0, changed.Grade([2]));
        var right = (await store.GetAsync(learner)).Value;

        Assert.Equal([0], wrong.QuizAnswer("ttl", 0)!.Value.Chosen);
        Assert.Equal([2], right.QuizAnswer("ttl", 0)!.Value.Chosen);
        Assert.Equal<(int, int?)?>((3, 3), right.QuizTries("ttl", 0));
    }

    // "Show me the answer" was not recorded: the teacher saw "on try 2" for a learner who had been shown the answer.
    [Fact]
    public async Task An_answer_shown_is_kept_with_the_tries_before_it_and_is_not_an_answer()
    {
        var store = new LessonProgressStore(redis.Multiplexer, redis.NewKeyspace(), redis.Tracer, Options.Create(new LessonOptions { ProgressDays = 30 }));
        var learner = LearnerId.New();
        await store.RecordQuizAsync(learner, "ttl", 0, Ttl.Grade([0]));

        var trace = await store.RecordAnswerShownAsync(learner, "ttl", 0);
        var shown = (await store.GetAsync(learner)).Value;
        await store.RecordQuizAsync(learner, "ttl", 0, Ttl.Grade([2]));
        await store.RecordAnswerShownAsync(learner, "ttl", 0); // a second showing changes nothing
        await store.RecordQuizAsync(learner, "ttl", 0, Ttl.Grade([1]));
        var right = (await store.GetAsync(learner)).Value;

        Assert.Equal(1, shown.QuizShownAfter("ttl", 0));
        Assert.False(shown.QuizAnswer("ttl", 0)!.Value.Correct); // seeing the answer does not answer it
        Assert.Equal<(int, int?)?>((1, null), shown.QuizTries("ttl", 0));
        Assert.Null(shown.QuizShownAfter("ttl", 1));
        Assert.Equal(1, right.QuizShownAfter("ttl", 0));
        Assert.Equal<(int, int?)?>((3, 3), right.QuizTries("ttl", 0));
        var eval = Assert.Single(trace.Commands);
        Assert.StartsWith("EVAL ", eval.Text, StringComparison.Ordinal);
        Assert.Equal("(integer) 1", eval.Result);
        var ttl = await redis.Multiplexer.GetDatabase().KeyTimeToLiveAsync(store.KeyFor(learner));
        Assert.InRange(ttl!.Value.TotalDays, 29.9, 30);

        var answer = new QuizAnswer([1], true, 3, 3, 1);
        Assert.True(answer.RightAfterShown);
        Assert.False(answer.RightFirstTime);
        Assert.False(new QuizAnswer([1], true, 1, 1).RightAfterShown);
        Assert.True(new QuizAnswer([1], true, 1, 1).RightFirstTime);
    }

    [Fact]
    public void Tries_are_unknown_for_an_answer_kept_before_they_were_counted()
    {
        var progress = new LessonProgress(new Dictionary<string, string>(StringComparer.Ordinal) { ["ttl:quiz:0"] = "1|right" });

        Assert.Null(progress.QuizTries("ttl", 0));
        Assert.True(progress.QuizAnswer("ttl", 0)!.Value.Correct);
    }
}
