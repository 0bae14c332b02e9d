using BlazorRedis.Core;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.Core.Classroom;

/// <summary>The class in the real Redis: open, join, presence, page, rename, remove, close.</summary>
public class ClassServiceTests(RedisServerFixture redis)
{
    [Fact]
    public async Task Opening_gives_a_code_and_opening_again_returns_the_same_open_class()
    {
        var classes = ClassTestKit.NewService(redis);

        var first = (await classes.OpenAsync()).Value;
        var again = (await classes.OpenAsync()).Value;

        Assert.True(JoinCode.TryNormalize(first.Code, out _));
        Assert.Equal(first.Code, again.Code);
        Assert.Equal(first.Code, (await classes.CurrentAsync())!.Code);
    }

    [Fact]
    public async Task A_class_keys_share_one_hash_tag_under_the_prefix()
    {
        var keyspace = redis.NewKeyspace();
        var classes = ClassTestKit.NewService(redis, keyspace: keyspace);
        var code = (await classes.OpenAsync()).Value.Code;

        Assert.Equal($"{keyspace.Prefix}{{class:{code}}}:meta", (string)classes.ClassKey(code, "meta")!);
        Assert.True(await redis.Multiplexer.GetDatabase().KeyExistsAsync(classes.ClassKey(code, "meta")));
    }

    [Fact]
    public async Task A_learner_joins_with_a_lower_case_code_and_is_in_the_roster_and_remembered()
    {
        var classes = ClassTestKit.NewService(redis);
        var code = (await classes.OpenAsync()).Value.Code;
        var learner = LearnerId.New();

        var joined = await classes.JoinAsync(code.ToLowerInvariant(), "  Ada 🚀 ", learner, ClassTestKit.Client());

        Assert.Equal(new ClassMembership(code, learner.Value, "Ada 🚀"), joined.Value);
        Assert.Contains(joined.Trace.Commands, c => c.Text.StartsWith("EVALSHA", StringComparison.Ordinal));
        Assert.Equal(joined.Value, await classes.GetMembershipAsync(learner));
        var row = Assert.Single((await classes.GetRosterAsync(code)).Value);
        Assert.Equal("Ada 🚀", row.Nickname);
        Assert.Null(row.LastSeen);
    }

    [Fact]
    public async Task An_empty_nickname_gets_a_suggested_one()
    {
        var classes = ClassTestKit.NewService(redis);
        var code = (await classes.OpenAsync()).Value.Code;

        var joined = (await classes.JoinAsync(code, "  ", LearnerId.New(), ClassTestKit.Client())).Value;

        Assert.True(Nickname.TryNormalize(joined.Nickname, out _, out _));
        Assert.Matches(@"^\w+ \w+ \d\d$", joined.Nickname);
    }

    [Fact]
    public async Task A_wrong_code_is_not_found_and_changes_nothing()
    {
        var classes = ClassTestKit.NewService(redis);
        await classes.OpenAsync();
        var learner = LearnerId.New();

        await Assert.ThrowsAsync<ClassNotFoundException>(() => classes.JoinAsync("ZZZZZZ", "Ada", learner, ClassTestKit.Client()));
        var malformed = await Assert.ThrowsAsync<LearnerInputException>(() => classes.JoinAsync("0OIL", "Ada", learner, ClassTestKit.Client()));

        Assert.Contains("6 letters and digits", malformed.Message, StringComparison.Ordinal);
        Assert.Null(await classes.GetMembershipAsync(learner));
    }

    [Fact]
    public async Task A_nickname_taken_in_any_case_is_refused_and_the_first_learner_keeps_it()
    {
        var classes = ClassTestKit.NewService(redis);
        var code = (await classes.OpenAsync()).Value.Code;
        await classes.JoinAsync(code, "Ada", LearnerId.New(), ClassTestKit.Client());
        var second = LearnerId.New();

        var refused = await Assert.ThrowsAsync<LearnerInputException>(() => classes.JoinAsync(code, "ADA", second, ClassTestKit.Client()));

        Assert.Contains("already called", refused.Message, StringComparison.Ordinal);
        Assert.Single((await classes.GetRosterAsync(code)).Value);
        Assert.Null(await classes.GetMembershipAsync(second));
    }

    [Fact]
    public async Task Fifty_simultaneous_joins_with_one_nickname_let_exactly_one_win()
    {
        var classes = ClassTestKit.NewService(redis);
        var code = (await classes.OpenAsync()).Value.Code;

        var attempts = Enumerable.Range(0, 50).Select(async _ =>
        {
            try
            {
                await classes.JoinAsync(code, "Grace", LearnerId.New(), ClassTestKit.Client());
                return true;
            }
            catch (LearnerInputException)
            {
                return false;
            }
        });
        var won = await Task.WhenAll(attempts);

        Assert.Equal(1, won.Count(w => w));
        Assert.Single((await classes.GetRosterAsync(code)).Value);
    }

    [Fact]
    public async Task Joining_again_with_another_name_renames_and_frees_the_old_name()
    {
        var classes = ClassTestKit.NewService(redis);
        var code = (await classes.OpenAsync()).Value.Code;
        var learner = LearnerId.New();
        await classes.JoinAsync(code, "Ada", learner, ClassTestKit.Client());

        await classes.JoinAsync(code, "Countess", learner, ClassTestKit.Client());
        await classes.JoinAsync(code, "ada", LearnerId.New(), ClassTestKit.Client());

        Assert.Equal(["Countess", "ada"], (await classes.GetRosterAsync(code)).Value.Select(r => r.Nickname).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_malformed_code_or_nickname_is_refused_without_spending_a_join_attempt()
    {
        var classes = ClassTestKit.NewService(redis, new ClassOptions { JoinAttemptLimit = 2, JoinAttemptWindowSeconds = 60 });
        var code = (await classes.OpenAsync()).Value.Code;
        var client = ClassTestKit.Client();
        foreach (var (badCode, nickname) in new[] { ((string?)null, "Eve"), ("ABC", "Eve"), ("ABC*EF", "Eve"), (code, "Eve\r\nSET x 1"), (code, new string('n', 500)) })
        {
            await Assert.ThrowsAsync<LearnerInputException>(() => classes.JoinAsync(badCode, nickname, LearnerId.New(), client));
        }

        // Two well-formed guesses spend the budget of two; only then is the client refused.
        await Assert.ThrowsAsync<ClassNotFoundException>(() => classes.JoinAsync("ZZZZZZ", "Eve", LearnerId.New(), client));
        Assert.Equal("Eve", (await classes.JoinAsync(code, "Eve", LearnerId.New(), client)).Value.Nickname);
        await Assert.ThrowsAsync<TooManyJoinAttemptsException>(() => classes.JoinAsync(code, "Bob", LearnerId.New(), client));
    }

    [Fact]
    public async Task Too_many_join_attempts_from_one_client_are_refused_with_a_wait_and_change_nothing()
    {
        var classes = ClassTestKit.NewService(redis, new ClassOptions { JoinAttemptLimit = 3, JoinAttemptWindowSeconds = 60 });
        var code = (await classes.OpenAsync()).Value.Code;
        var client = ClassTestKit.Client();
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<ClassNotFoundException>(() => classes.JoinAsync("ZZZZZZ", "Eve", LearnerId.New(), client));
        }

        var learner = LearnerId.New();
        var refused = await Assert.ThrowsAsync<TooManyJoinAttemptsException>(() => classes.JoinAsync(code, "Eve", learner, client));

        Assert.InRange(refused.RetryAfterSeconds, 1, 60);
        Assert.Contains("Too many attempts; try again in", refused.Message, StringComparison.Ordinal);
        Assert.Null(await classes.GetMembershipAsync(learner));
        Assert.Equal("Eve", (await classes.JoinAsync(code, "Eve", learner, ClassTestKit.Client())).Value.Nickname);
    }

    [Fact]
    public async Task A_heartbeat_makes_a_learner_online_with_a_ttl_and_going_offline_removes_it()
    {
        var classes = ClassTestKit.NewService(redis, new ClassOptions { PresenceSeconds = 30, HeartbeatSeconds = 10 });
        var code = (await classes.OpenAsync()).Value.Code;
        var me = (await classes.JoinAsync(code, "Ada", LearnerId.New(), ClassTestKit.Client())).Value;

        Assert.True(await classes.HeartbeatAsync(me));
        var seen = await classes.GetPresenceAsync(code, [me.Learner]);
        Assert.NotNull(seen[me.Learner]);
        var ttl = await redis.Multiplexer.GetDatabase().KeyTimeToLiveAsync(classes.ClassKey(code, "presence:" + me.Learner));
        Assert.InRange(ttl!.Value.TotalSeconds, 1, 30);

        await classes.GoOfflineAsync(me);
        Assert.Null((await classes.GetPresenceAsync(code, [me.Learner]))[me.Learner]);
    }

    [Fact]
    public async Task Page_and_action_reach_the_roster()
    {
        var classes = ClassTestKit.NewService(redis);
        var code = (await classes.OpenAsync()).Value.Code;
        var me = (await classes.JoinAsync(code, "Ada", LearnerId.New(), ClassTestKit.Client())).Value;

        Assert.True(await classes.ReportPageAsync(me, "/caching"));
        Assert.True(await classes.ReportActionAsync(me, "Read product 1"));

        var row = Assert.Single((await classes.GetRosterAsync(code)).Value);
        Assert.Equal("/caching", row.Page);
        Assert.Equal("Read product 1", row.LastAction);
        Assert.NotNull(row.LastActionAt);
    }

    [Fact]
    public async Task The_teacher_renames_and_removes_and_a_removed_learner_can_no_longer_heartbeat()
    {
        var classes = ClassTestKit.NewService(redis);
        var code = (await classes.OpenAsync()).Value.Code;
        var ada = (await classes.JoinAsync(code, "Ada", LearnerId.New(), ClassTestKit.Client())).Value;
        await classes.JoinAsync(code, "Bob", LearnerId.New(), ClassTestKit.Client());

        await Assert.ThrowsAsync<LearnerInputException>(() => classes.RenameAsync(code, ada.Learner, "bob"));
        Assert.Equal("Ada L.", (await classes.RenameAsync(code, ada.Learner, "Ada L.")).Value);
        Assert.True((await classes.RemoveAsync(code, ada.Learner)).Value);

        Assert.False(await classes.HeartbeatAsync(ada));
        Assert.False(await classes.ReportPageAsync(ada, "/"));
        Assert.Null(await classes.GetMembershipAsync(LearnerIdOf(ada)));
        Assert.Equal(["Bob"], (await classes.GetRosterAsync(code)).Value.Select(r => r.Nickname));
        Assert.False((await classes.RemoveAsync(code, ada.Learner)).Value);
    }

    [Fact]
    public async Task Closing_deletes_every_key_of_the_class_and_its_code_no_longer_joins()
    {
        var keyspace = redis.NewKeyspace();
        var classes = ClassTestKit.NewService(redis, keyspace: keyspace);
        var code = (await classes.OpenAsync()).Value.Code;
        var me = (await classes.JoinAsync(code, "Ada", LearnerId.New(), ClassTestKit.Client())).Value;
        await classes.HeartbeatAsync(me);
        await classes.ReportPageAsync(me, "/");

        await classes.CloseAsync(code);

        var server = redis.Multiplexer.GetServers()[0];
        var left = server.Keys(pattern: RedisKeyspace.PrefixPattern($"{keyspace.Prefix}{{class:{code}}}")).ToList();
        Assert.Empty(left);
        Assert.Null(await classes.CurrentAsync());
        Assert.Null(await classes.GetMembershipAsync(LearnerIdOf(me)));
        await Assert.ThrowsAsync<ClassNotFoundException>(() => classes.JoinAsync(code, "Bob", LearnerId.New(), ClassTestKit.Client()));
    }

    [Fact]
    public async Task Joining_another_class_leaves_the_first()
    {
        var first = ClassTestKit.NewService(redis);
        var codeA = (await first.OpenAsync()).Value.Code;
        await first.CloseAsync(codeA);
        codeA = (await first.OpenAsync()).Value.Code;
        var learner = LearnerId.New();
        await first.JoinAsync(codeA, "Ada", learner, ClassTestKit.Client());
        await first.CloseAsync(codeA);
        var codeB = (await first.OpenAsync()).Value.Code;

        await first.JoinAsync(codeB, "Ada", learner, ClassTestKit.Client());

        Assert.Equal(codeB, (await first.GetMembershipAsync(learner))!.Code);
    }

    private static LearnerId LearnerIdOf(ClassMembership m) => LearnerId.TryParse(m.Learner, out var id) ? id : throw new InvalidOperationException();
}
