using System.Threading.Channels;
using BlazorRedis.Core;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.Stampede;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.Core.Classroom;

/// <summary>
/// The class stampede on the real Redis: concurrent learners' reads of one cold key of the class, with no protection
/// (every reader loads) and with the lock (exactly one load), counted in Redis and at the database; refusals.
/// </summary>
public class ClassStampedeTests(RedisServerFixture redis)
{
    private const int Window = 2;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(ClassService Classes, ClassStampede Stampede, InMemoryProductDatabase Database, string Code, ClassMembership[] Learners)> ClassAsync(RedisServerFixture redis, int learners)
    {
        var classes = ClassTestKit.NewService(redis);
        var database = new InMemoryProductDatabase(10, TimeSpan.FromMilliseconds(150));
        var code = (await classes.OpenAsync()).Value.Code;
        var members = new ClassMembership[learners];
        for (var i = 0; i < learners; i++)
        {
            members[i] = (await classes.JoinAsync(code, "L" + i, LearnerId.New(), ClassTestKit.Client())).Value;
        }

        return (classes, ClassTestKit.NewStampede(redis, classes, database), database, code, members);
    }

    private static Task<ClassStampedeRead[]> EveryoneReadsAsync(ClassStampede stampede, IEnumerable<ClassMembership> learners, string roundId) =>
        Task.WhenAll(learners.Select(l => Task.Run(async () => (await stampede.ReadAsync(l, roundId, Ct)).Value, Ct)));

    [Fact]
    public async Task With_no_protection_every_concurrent_reader_loads_the_database()
    {
        var (classes, stampede, database, code, learners) = await ClassAsync(redis, 5);
        await using var hub = ClassTestKit.NewHub(redis, classes);
        var inbox = Channel.CreateUnbounded<ClassEvent>();
        using var sub = await hub.SubscribeAsync(code, e => inbox.Writer.WriteAsync(e).AsTask());
        var round = (await stampede.ArmAsync(code, StampedeProtection.None, Window)).Value;
        Assert.Equal(ClassEventKind.StampedeArmed, (await inbox.Reader.ReadAsync(Ct).AsTask().WaitAsync(Wait, Ct)).Kind);
        var loadsBefore = database.Loads;

        var reads = await EveryoneReadsAsync(stampede, learners, round.Id);

        var done = (await stampede.GetAsync(code, round.Id))!;
        Assert.Equal(5, done.Readers);
        Assert.True(done.DatabaseLoads > 1, $"{done.DatabaseLoads} loads");
        Assert.Equal(5, done.DatabaseLoads);
        Assert.Equal(done.DatabaseLoads, database.Loads - loadsBefore);
        Assert.All(reads, r => Assert.Equal(StampedeReadSource.Database, r.Source));
        Assert.All(reads, r => Assert.InRange(r.WaitMs, 150, 15_000));
        Assert.Equal(5, done.Done);
        Assert.Equal(reads.Max(r => r.WaitMs), done.WaitMaxMs);
        Assert.Equal(5L, (long)await redis.Multiplexer.GetDatabase().HashGetAsync(classes.ClassKey(code, "stampede:" + round.Id), "loads"));
        Assert.Equal(reads[0], await stampede.GetReadAsync(code, round.Id, learners[0].Learner));
        var kinds = new List<ClassEventKind>();
        while (kinds.Count(k => k == ClassEventKind.StampedeDone) < 5)
        {
            kinds.Add((await inbox.Reader.ReadAsync(Ct).AsTask().WaitAsync(Wait, Ct)).Kind);
        }

        Assert.Equal(5, kinds.Count(k => k == ClassEventKind.StampedeRead));
        Assert.Equal(5, kinds.Count(k => k == ClassEventKind.StampedeLoaded));
    }

    [Fact]
    public async Task With_the_lock_exactly_one_reader_loads_and_the_others_wait_on_it()
    {
        var (_, stampede, database, code, learners) = await ClassAsync(redis, 6);
        var round = (await stampede.ArmAsync(code, StampedeProtection.Lock, Window)).Value;
        var loadsBefore = database.Loads;

        var reads = await EveryoneReadsAsync(stampede, learners, round.Id);

        var done = (await stampede.GetAsync(code, round.Id))!;
        Assert.Equal(StampedeProtection.Lock, done.Protection);
        Assert.Equal(6, done.Readers);
        Assert.Equal(1, done.DatabaseLoads);
        Assert.Equal(1, database.Loads - loadsBefore);
        Assert.Single(reads, r => r.Source == StampedeReadSource.Database);
        Assert.Equal(5, reads.Count(r => r.Source == StampedeReadSource.Lock));
        Assert.Equal(5, done.LockWaits);
        Assert.All(reads, r => Assert.True(r.WaitMs > 0));
    }

    [Fact]
    public async Task Rounds_are_kept_newest_first_so_none_and_lock_show_side_by_side()
    {
        var (_, stampede, _, code, learners) = await ClassAsync(redis, 3);
        var none = (await stampede.ArmAsync(code, StampedeProtection.None, Window)).Value;
        await EveryoneReadsAsync(stampede, learners, none.Id);
        await Task.Delay(200, Ct);
        var locked = (await stampede.ArmAsync(code, StampedeProtection.Lock, Window)).Value;
        await EveryoneReadsAsync(stampede, learners, locked.Id);

        var rounds = (await stampede.ListAsync(code)).Value;

        Assert.Equal([locked.Id, none.Id], rounds.Select(r => r.Id));
        Assert.Equal([1L, 3L], rounds.Select(r => r.DatabaseLoads));
        Assert.Equal(locked.Id, (await stampede.LatestAsync(code))!.Id);
    }

    [Fact]
    public async Task A_read_without_an_armed_round_after_the_window_or_twice_is_refused_and_counts_nothing()
    {
        var (classes, stampede, database, code, learners) = await ClassAsync(redis, 2);

        var none = await Assert.ThrowsAsync<LearnerInputException>(() => stampede.ReadAsync(learners[0], null, Ct));
        Assert.StartsWith("No class stampede round is armed", none.Message, StringComparison.Ordinal);
        var forged = await Assert.ThrowsAsync<LearnerInputException>(() => stampede.ReadAsync(learners[0], "../../x", Ct));
        Assert.StartsWith("No class stampede round is armed", forged.Message, StringComparison.Ordinal);

        var round = (await stampede.ArmAsync(code, StampedeProtection.None, Window)).Value;
        var first = (await stampede.ReadAsync(learners[0], null, Ct)).Value;
        var again = await Assert.ThrowsAsync<LearnerInputException>(() => stampede.ReadAsync(learners[0], round.Id, Ct));
        Assert.StartsWith("You already read in this round", again.Message, StringComparison.Ordinal);

        await Task.Delay(TimeSpan.FromSeconds(Window) + TimeSpan.FromMilliseconds(100), Ct);
        var loads = database.Loads;
        var late = await Assert.ThrowsAsync<LearnerInputException>(() => stampede.ReadAsync(learners[1], round.Id, Ct));
        Assert.StartsWith("This round's window has closed", late.Message, StringComparison.Ordinal);

        var done = (await stampede.GetAsync(code, round.Id))!;
        Assert.Equal(StampedeReadSource.Database, first.Source);
        Assert.Equal(1, done.Readers);
        Assert.Equal(1, done.DatabaseLoads);
        Assert.Equal(loads, database.Loads);
        Assert.Null(await stampede.GetReadAsync(code, round.Id, learners[1].Learner));
        Assert.False(round.IsOpen(DateTimeOffset.UtcNow));
        _ = classes;
    }

    [Fact]
    public async Task A_learner_not_in_the_class_is_refused()
    {
        var (classes, stampede, database, code, learners) = await ClassAsync(redis, 1);
        var round = (await stampede.ArmAsync(code, StampedeProtection.Lock, Window)).Value;
        var stranger = new ClassMembership(code, LearnerId.New().ToString(), "Mallory");
        await classes.RemoveAsync(code, learners[0].Learner);
        var loads = database.Loads;

        var outsider = await Assert.ThrowsAsync<LearnerInputException>(() => stampede.ReadAsync(stranger, round.Id, Ct));
        var removed = await Assert.ThrowsAsync<LearnerInputException>(() => stampede.ReadAsync(learners[0], round.Id, Ct));

        Assert.Equal("Only learners in the class can read in its stampede round.", outsider.Message.Split(" (Parameter", StringSplitOptions.None)[0]);
        Assert.StartsWith("Only learners in the class", removed.Message, StringComparison.Ordinal);
        var after = (await stampede.GetAsync(code, round.Id))!;
        Assert.Equal(0, after.Readers);
        Assert.Equal(0, after.DatabaseLoads);
        Assert.Equal(loads, database.Loads);
    }

    [Fact]
    public async Task Arming_takes_none_or_lock_a_window_of_2_to_60_s_and_one_open_round_at_a_time()
    {
        var (classes, stampede, _, code, _) = await ClassAsync(redis, 0);

        var coalescing = await Assert.ThrowsAsync<LearnerInputException>(() => stampede.ArmAsync(code, StampedeProtection.Coalescing, 10));
        var shortWindow = await Assert.ThrowsAsync<LearnerInputException>(() => stampede.ArmAsync(code, StampedeProtection.None, 1));
        var longWindow = await Assert.ThrowsAsync<LearnerInputException>(() => stampede.ArmAsync(code, StampedeProtection.None, 61));
        Assert.Contains("no protection or with the lock", coalescing.Message, StringComparison.Ordinal);
        Assert.Contains("between 2 and 60 seconds", shortWindow.Message, StringComparison.Ordinal);
        Assert.Contains("between 2 and 60 seconds", longWindow.Message, StringComparison.Ordinal);
        Assert.Null(await stampede.LatestAsync(code));

        var first = (await stampede.ArmAsync(code, StampedeProtection.None, 30)).Value;
        var second = await Assert.ThrowsAsync<LearnerInputException>(() => stampede.ArmAsync(code, StampedeProtection.Lock, 10));
        Assert.StartsWith("The current round is still open: its window closes in ", second.Message, StringComparison.Ordinal);
        Assert.Equal(first.Id, (await stampede.LatestAsync(code))!.Id);
        Assert.Single((await stampede.ListAsync(code)).Value);
        Assert.Equal(30, first.WindowSeconds);

        await Assert.ThrowsAsync<ClassNotFoundException>(() => stampede.ArmAsync("ZZZZZZ", StampedeProtection.None, 10));
        Assert.True(ClassStampede.TryParseProtection("LOCK", out var parsed) && parsed == StampedeProtection.Lock);
        Assert.False(ClassStampede.TryParseProtection("xfetch", out _));

        // Closing the class deletes the rounds with it.
        await classes.CloseAsync(code);
        Assert.False(await redis.Multiplexer.GetDatabase().KeyExistsAsync(classes.ClassKey(code, "stampede:" + first.Id)));
        Assert.False(await redis.Multiplexer.GetDatabase().KeyExistsAsync(classes.ClassKey(code, "stampedes")));
    }

    [Fact]
    public async Task Rounds_armed_at_once_leave_one_round_and_refuse_the_others()
    {
        var (_, stampede, _, code, _) = await ClassAsync(redis, 0);

        var armed = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            try
            {
                return (await stampede.ArmAsync(code, StampedeProtection.None, Window)).Value.Id;
            }
            catch (LearnerInputException ex)
            {
                Assert.StartsWith("The current round is still open", ex.Message, StringComparison.Ordinal);
                return null;
            }
        }));

        var round = Assert.Single((await stampede.ListAsync(code)).Value);
        Assert.Equal([round.Id], armed.OfType<string>());
        Assert.Equal(round.Id, (await stampede.LatestAsync(code))!.Id);
    }
}
