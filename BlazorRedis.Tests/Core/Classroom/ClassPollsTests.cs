using System.Threading.Channels;
using BlazorRedis.Core;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.Core.Classroom;

/// <summary>Live polls on the real Redis: push, answer once, tally, close, reveal, and the history of a class.</summary>
public class ClassPollsTests(RedisServerFixture redis)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(ClassService Classes, ClassPolls Polls, string Code, ClassMembership[] Learners)> ClassAsync(RedisServerFixture redis, int learners, RedisKeyspace? keyspace = null)
    {
        var classes = ClassTestKit.NewService(redis, keyspace: keyspace);
        var code = (await classes.OpenAsync()).Value.Code;
        var members = new ClassMembership[learners];
        for (var i = 0; i < learners; i++)
        {
            members[i] = (await classes.JoinAsync(code, "L" + i, LearnerId.New(), ClassTestKit.Client())).Value;
        }

        return (classes, new ClassPolls(classes, redis.Tracer), code, members);
    }

    [Fact]
    public async Task Answers_are_tallied_in_the_polls_hash_and_published_to_the_teacher()
    {
        var (classes, polls, code, learners) = await ClassAsync(redis, 3);
        await using var hub = ClassTestKit.NewHub(redis, classes);
        var inbox = Channel.CreateUnbounded<ClassEvent>();
        using var sub = await hub.SubscribeAsync(code, e => inbox.Writer.WriteAsync(e).AsTask());

        var poll = (await polls.PushAsync(code, " Which command reads a hash field? ", ["GET", "HGET", "LPOP"], multiple: false)).Value;
        Assert.Equal(ClassEventKind.PollOpened, (await inbox.Reader.ReadAsync(Ct).AsTask().WaitAsync(Wait, Ct)).Kind);

        await polls.AnswerAsync(learners[0], poll.Id, [1]);
        await polls.AnswerAsync(learners[1], poll.Id, [1]);
        var answered = await polls.AnswerAsync(learners[2], poll.Id, [0]);

        Assert.Contains(answered.Trace.Commands, c => c.Text.StartsWith("EVALSHA", StringComparison.Ordinal));
        var read = (await polls.GetAsync(code, poll.Id))!;
        Assert.Equal("Which command reads a hash field?", read.Question);
        Assert.Equal([1L, 2L, 0L], read.Counts);
        Assert.Equal(3, read.Voters);
        Assert.Equal(2L, (long)await redis.Multiplexer.GetDatabase().HashGetAsync(classes.ClassKey(code, "poll:" + poll.Id), "c1"));
        Assert.Equal([1], await polls.GetAnswerAsync(code, poll.Id, learners[0].Learner));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(ClassEventKind.PollAnswered, (await inbox.Reader.ReadAsync(Ct).AsTask().WaitAsync(Wait, Ct)).Kind);
        }
    }

    [Fact]
    public async Task A_learner_answers_once_even_with_fifty_simultaneous_tries()
    {
        var (_, polls, code, learners) = await ClassAsync(redis, 1);
        var poll = (await polls.PushAsync(code, "Q", ["a", "b"], multiple: false)).Value;

        var tries = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            try
            {
                await polls.AnswerAsync(learners[0], poll.Id, [i % 2]);
                return true;
            }
            catch (LearnerInputException ex)
            {
                Assert.Contains("already answered", ex.Message, StringComparison.Ordinal);
                return false;
            }
        }));

        Assert.Equal(1, tries.Count(t => t));
        var read = (await polls.GetAsync(code, poll.Id))!;
        Assert.Equal(1, read.Voters);
        Assert.Equal(1, read.Counts.Sum());
    }

    [Fact]
    public async Task Bad_answers_are_refused_with_their_reason_and_count_nothing()
    {
        var (classes, polls, code, learners) = await ClassAsync(redis, 2);
        var single = (await polls.PushAsync(code, "One", ["a", "b", "c"], multiple: false)).Value;
        var outsider = new ClassMembership(code, LearnerId.New().Value, "Eve");

        async Task RefusedAsync(ClassMembership who, string? id, int[] choices, string reason) =>
            Assert.Contains(reason, (await Assert.ThrowsAsync<LearnerInputException>(() => polls.AnswerAsync(who, id, choices))).Message, StringComparison.Ordinal);

        await RefusedAsync(learners[0], single.Id, [], "Pick an answer");
        await RefusedAsync(learners[0], single.Id, [0, 1], "pick a single option");
        await RefusedAsync(learners[0], single.Id, [3], "not one of the poll's options");
        await RefusedAsync(learners[0], single.Id, [-1], "not one of the poll's options");
        await RefusedAsync(learners[0], "deadbeef", [0], "no such poll");
        await RefusedAsync(learners[0], new string('x', 10_000), [0], "no such poll");
        await RefusedAsync(outsider, single.Id, [0], "Only learners in the class");
        Assert.Equal(0, (await polls.GetAsync(code, single.Id))!.Voters);

        await polls.AnswerAsync(learners[0], single.Id, [2]);
        await RefusedAsync(learners[0], single.Id, [1], "already answered");
        await polls.CloseAsync(code, single.Id);
        await RefusedAsync(learners[1], single.Id, [1], "closed");

        var read = (await polls.GetAsync(code, single.Id))!;
        Assert.Equal([0L, 0L, 1L], read.Counts);
        Assert.Equal(PollState.Closed, read.State);
        _ = classes;
    }

    [Theory]
    [InlineData(null, 2, "empty")]
    [InlineData("   ", 2, "empty")]
    [InlineData("TENK", 2, "too long")]
    [InlineData("Q\nline", 2, "control characters")]
    [InlineData("Q", 1, "at least 2")]
    [InlineData("Q", 7, "at most 6")]
    public async Task A_bad_poll_is_refused_with_a_clear_message_and_nothing_is_pushed(string? question, int options, string reason)
    {
        var (_, polls, code, _) = await ClassAsync(redis, 0);
        var text = question == "TENK" ? new string('q', 10_000) : question;

        var ex = await Assert.ThrowsAsync<LearnerInputException>(() => polls.PushAsync(code, text, Enumerable.Range(0, options).Select(i => (string?)("o" + i)).ToArray(), false));

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Empty((await polls.ListAsync(code)).Value);
        Assert.Null(await polls.LatestAsync(code));
    }

    [Fact]
    public async Task Empty_repeated_or_huge_options_are_refused()
    {
        var (_, polls, code, _) = await ClassAsync(redis, 0);

        Assert.Contains("at least 2", (await Assert.ThrowsAsync<LearnerInputException>(() => polls.PushAsync(code, "Q", ["a", " ", ""], false))).Message, StringComparison.Ordinal);
        Assert.Contains("same thing", (await Assert.ThrowsAsync<LearnerInputException>(() => polls.PushAsync(code, "Q", ["Yes", "yes"], false))).Message, StringComparison.Ordinal);
        Assert.Contains("too long", (await Assert.ThrowsAsync<LearnerInputException>(() => polls.PushAsync(code, "Q", ["a", new string('b', 10_000)], false))).Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ClassNotFoundException>(() => polls.PushAsync("ZZZZZZ", "Q", ["a", "b"], false));
        Assert.Empty((await polls.ListAsync(code)).Value);
    }

    [Fact]
    public async Task Reveal_marks_the_right_answer_closes_the_poll_and_a_new_poll_closes_the_old_one_and_history_keeps_both()
    {
        var (_, polls, code, learners) = await ClassAsync(redis, 2);
        var first = (await polls.PushAsync(code, "Which are Redis types?", ["List", "Table", "Set"], multiple: true)).Value;
        await polls.AnswerAsync(learners[0], first.Id, [0, 2]);
        await polls.AnswerAsync(learners[1], first.Id, [0, 1]);

        await Assert.ThrowsAsync<LearnerInputException>(() => polls.RevealAsync(code, first.Id, []));
        await Assert.ThrowsAsync<LearnerInputException>(() => polls.RevealAsync(code, first.Id, [5]));
        var revealed = (await polls.RevealAsync(code, first.Id, [2, 0])).Value;

        Assert.Equal(PollState.Revealed, revealed.State);
        Assert.Equal([0, 2], revealed.Correct);
        var second = (await polls.PushAsync(code, "Single?", ["a", "b"], multiple: false)).Value;
        await Assert.ThrowsAsync<LearnerInputException>(() => polls.RevealAsync(code, second.Id, [0, 1]));
        var third = (await polls.PushAsync(code, "Third", ["a", "b"], multiple: false)).Value;

        Assert.Equal(PollState.Closed, (await polls.GetAsync(code, second.Id))!.State);
        var history = (await polls.ListAsync(code)).Value;
        Assert.Equal([third.Id, second.Id, first.Id], history.Select(p => p.Id));
        Assert.Equal([2L, 1L, 1L], history[2].Counts);
        Assert.Equal(PollState.Revealed, history[2].State);
        Assert.Equal(third.Id, (await polls.LatestAsync(code))!.Id);
    }

    [Fact]
    public async Task Closing_the_class_deletes_its_polls()
    {
        var keyspace = redis.NewKeyspace();
        var (classes, polls, code, learners) = await ClassAsync(redis, 1, keyspace);
        var poll = (await polls.PushAsync(code, "Q", ["a", "b"], false)).Value;
        await polls.AnswerAsync(learners[0], poll.Id, [0]);

        await classes.CloseAsync(code);

        // The class's keys share its hash tag: on a Redis Cluster they all live on the primary that owns its slot.
        var left = KeyScanner.ServerOwning(redis.Multiplexer, $"{keyspace.Prefix}{{class:{code}}}").Keys(pattern: RedisKeyspace.PrefixPattern($"{keyspace.Prefix}{{class:{code}}}")).ToList();
        Assert.Empty(left);
    }

    [Fact]
    public async Task A_polls_keys_are_the_ones_keep_alive_refreshes_and_close_deletes()
    {
        var keyspace = redis.NewKeyspace();
        var (classes, polls, code, learners) = await ClassAsync(redis, 1, keyspace);
        var poll = (await polls.PushAsync(code, "Q", ["a", "b"], false)).Value;
        await polls.AnswerAsync(learners[0], poll.Id, [0]);
        await polls.HideAsync(learners[0], poll);
        var db = redis.Multiplexer.GetDatabase();
        var pattern = RedisKeyspace.PrefixPattern($"{keyspace.Prefix}{{class:{code}}}");
        var classPrefix = $"{keyspace.Prefix}{{class:{code}}}:";
        var owner = KeyScanner.ServerOwning(redis.Multiplexer, classPrefix);
        List<string> Keys() => [.. owner.Keys(pattern: pattern).Select(k => (string)k!)];

        // The keys the push, the answer and the hiding made, beside the class's keys of fixed name, are exactly the poll's names.
        var made = Keys().Select(k => k[classPrefix.Length..]).Except(ClassService.FixedKeyNames).Order(StringComparer.Ordinal);
        Assert.Equal(ClassPolls.PollKeyNames(poll.Id).Order(StringComparer.Ordinal), made);

        // Every key of the class nearly expired: a teacher's action gives every one of them the full lifetime again.
        foreach (var key in Keys())
        {
            Assert.True(await db.KeyExpireAsync(key, TimeSpan.FromSeconds(60)));
        }

        await classes.SetPausedAsync(code, true);
        var lifetime = classes.Options.ClassLifetime.TotalSeconds;
        foreach (var key in Keys())
        {
            var ttl = await db.KeyTimeToLiveAsync(key);
            Assert.True(ttl is { } t && t.TotalSeconds >= lifetime - 10, $"{key}: TTL {ttl}");
        }

        await classes.CloseAsync(code);

        Assert.Empty(Keys());
    }

    [Fact]
    public async Task Polls_pushed_at_once_leave_exactly_one_open()
    {
        var (_, polls, code, _) = await ClassAsync(redis, 0);
        await polls.PushAsync(code, "Q0", ["A", "B"], multiple: false);

        var pushed = await Task.WhenAll(
            polls.PushAsync(code, "Q1", ["A", "B"], multiple: false),
            polls.PushAsync(code, "Q2", ["A", "B"], multiple: false),
            polls.PushAsync(code, "Q3", ["A", "B"], multiple: false));

        var all = (await polls.ListAsync(code)).Value;
        Assert.Equal(4, all.Count);
        var open = Assert.Single(all, p => p.State == PollState.Open);
        Assert.Equal((await polls.LatestAsync(code))!.Id, open.Id);
        Assert.Contains(pushed, p => p.Value.Id == open.Id);
    }
}
