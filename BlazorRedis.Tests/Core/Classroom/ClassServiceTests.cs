using BlazorRedis.Core;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Infrastructure;
using StackExchange.Redis;

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

    // Learners sent to /teacher read "This page is for the teacher", and "catch up" led back there; /api answers JSON.
    [Theory]
    [InlineData("/teacher", "teacher's page")]
    [InlineData("/Teacher/", "teacher's page")]
    [InlineData("/teacher?tab=polls", "teacher's page")]
    [InlineData("/%74eacher", "teacher's page")]
    [InlineData("/api/classroom/class", "not a page for people")]
    [InlineData("/health", "not a page for people")]
    [InlineData("/hubs/pubsub", "not a page for people")]
    [InlineData("/openapi/v1.json", "not a page for people")]
    public async Task The_class_is_not_brought_to_the_teachers_page_or_a_machine_path_and_nothing_changes(string path, string reason)
    {
        var classes = ClassTestKit.NewService(redis);
        var code = (await classes.OpenAsync()).Value.Code;
        await classes.BringEveryoneAsync(code, "/caching/stampede");

        var refused = await Assert.ThrowsAsync<LearnerInputException>(() => classes.BringEveryoneAsync(code, path));

        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", refused.Message, StringComparison.Ordinal);
        Assert.Equal("/caching/stampede", (await classes.GetInfoAsync(code))!.TeacherPage);
        Assert.Null(ClassService.WhyLearnersCannotGoTo("/teachers-guide")); // a whole segment, not a prefix of one
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

    [Theory]
    [InlineData("Ada", "A\u200Cda")]
    [InlineData("alice", "\uFF21\uFF4C\uFF49\uFF43\uFF45")] // full-width "Ａｌｉｃｅ"
    [InlineData("alice", "al\u0131ce")] // dotless i
    [InlineData("\u0645\u06CC\u062E\u0648\u0627\u0647\u0645", "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645")]
    public async Task A_nickname_that_differs_only_by_a_joiner_or_a_look_alike_letter_is_taken_and_the_first_learner_keeps_it(string first, string lookalike)
    {
        var classes = ClassTestKit.NewService(redis);
        var code = (await classes.OpenAsync()).Value.Code;
        await classes.JoinAsync(code, first, LearnerId.New(), ClassTestKit.Client());
        var second = LearnerId.New();

        var refused = await Assert.ThrowsAsync<LearnerInputException>(() => classes.JoinAsync(code, lookalike, second, ClassTestKit.Client()));

        Assert.Contains("already called", refused.Message, StringComparison.Ordinal);
        Assert.Equal(first, Assert.Single((await classes.GetRosterAsync(code)).Value).Nickname);
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
        var removed = await classes.RemoveAsync(code, ada.Learner);
        Assert.True(removed.Value);
        TraceAssert.NamesWhatWasSent(removed.Trace);

        Assert.False(await classes.HeartbeatAsync(ada));
        Assert.False(await classes.ReportPageAsync(ada, "/"));
        Assert.Null(await classes.GetMembershipAsync(LearnerIdOf(ada)));
        Assert.Equal(["Bob"], (await classes.GetRosterAsync(code)).Value.Select(r => r.Nickname));
        Assert.False((await classes.RemoveAsync(code, ada.Learner)).Value);
    }

    [Fact]
    public async Task A_removed_learner_is_told_why_later_and_joining_again_or_leaving_by_themselves_says_nothing()
    {
        var classes = ClassTestKit.NewService(redis);
        var code = (await classes.OpenAsync()).Value.Code;
        var ada = LearnerId.New();
        var bob = LearnerId.New();
        await classes.JoinAsync(code, "Ada", ada, ClassTestKit.Client());
        await classes.JoinAsync(code, "Bob", bob, ClassTestKit.Client());
        Assert.Null(await classes.WhyNoLongerInClassAsync(ada)); // in the class

        await classes.RemoveAsync(code, ada.Value);
        await classes.LeaveAsync(bob);

        Assert.Null(await classes.GetMembershipAsync(ada));
        Assert.Equal($"The teacher removed you from class {code}. Type a code to join again.", await classes.WhyNoLongerInClassAsync(ada));
        Assert.Null(await classes.WhyNoLongerInClassAsync(bob)); // left by themselves: nothing to explain
        Assert.Null(await classes.WhyNoLongerInClassAsync(LearnerId.New())); // never joined

        var back = (await classes.JoinAsync(code, "Ada", ada, ClassTestKit.Client())).Value;
        Assert.Equal(code, back.Code);
        Assert.Null(await classes.WhyNoLongerInClassAsync(ada));
        Assert.Equal(code, (await classes.GetMembershipAsync(ada))?.Code);
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

        TraceAssert.NamesWhatWasSent((await classes.CloseAsync(code)).Trace);

        // The class's keys share its hash tag: on a Redis Cluster they all live on the primary that owns its slot.
        var server = KeyScanner.ServerOwning(redis.Multiplexer, $"{keyspace.Prefix}{{class:{code}}}");
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

    [Fact]
    public async Task Simultaneous_opens_give_one_class_and_leave_only_its_keys()
    {
        var keyspace = redis.NewKeyspace();
        var classes = ClassTestKit.NewService(redis, keyspace: keyspace);

        var opened = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => classes.OpenAsync()));

        var code = opened[0].Value.Code;
        Assert.Equal([code], opened.Select(o => o.Value.Code).Distinct());
        Assert.Equal(code, (await classes.CurrentAsync())!.Code);
        var metas = ClassKeys(keyspace, "*").Where(k => k.EndsWith("}:meta", StringComparison.Ordinal)).ToList();
        Assert.Equal([(string)classes.ClassKey(code, "meta")!], metas);
    }

    [Fact]
    public async Task A_join_late_in_the_lifetime_gives_current_and_every_class_key_the_full_lifetime()
    {
        var keyspace = redis.NewKeyspace();
        var classes = ClassTestKit.NewService(redis, keyspace: keyspace);
        var code = (await classes.OpenAsync()).Value.Code;
        var db = redis.Multiplexer.GetDatabase();
        var current = keyspace.Key("classroom", "current");

        // As if the class had been open for most of its lifetime: every key has 100 s left.
        await ShortenAsync(keyspace, code, TimeSpan.FromSeconds(100), current);
        await classes.JoinAsync(code, "Ada", LearnerId.New(), ClassTestKit.Client());

        var lifetime = classes.Options.ClassLifetime.TotalSeconds;
        var meta = (await db.KeyTimeToLiveAsync(classes.ClassKey(code, "meta")))!.Value.TotalSeconds;
        Assert.InRange(meta, lifetime - 10, lifetime);
        Assert.InRange((await db.KeyTimeToLiveAsync(current))!.Value.TotalSeconds, meta - 1, lifetime);
        Assert.InRange((await db.KeyTimeToLiveAsync(classes.ClassKey(code, "joined")))!.Value.TotalSeconds, meta - 1, lifetime);
    }

    [Fact]
    public async Task A_heartbeat_keeps_a_class_in_use_alive_with_its_polls_after_its_keys_would_have_expired()
    {
        var keyspace = redis.NewKeyspace();
        var classes = ClassTestKit.NewService(redis, keyspace: keyspace);
        var code = (await classes.OpenAsync()).Value.Code;
        var learner = LearnerId.New();
        var me = (await classes.JoinAsync(code, "Ada", learner, ClassTestKit.Client())).Value;
        var poll = (await new ClassPolls(classes, redis.Tracer).PushAsync(code, "Ready?", ["Yes", "No"], multiple: false)).Value;
        var db = redis.Multiplexer.GetDatabase();
        var current = keyspace.Key("classroom", "current");
        var member = keyspace.Key("classroom", "member", me.Learner);

        // Every key of the class, current and the learner's membership have 2 s left, as if the lifetime were nearly over.
        await ShortenAsync(keyspace, code, TimeSpan.FromSeconds(2), current, member);
        Assert.True(await classes.HeartbeatAsync(me));

        var lifetime = classes.Options.ClassLifetime.TotalSeconds;
        RedisKey[] kept = [classes.ClassKey(code, "meta"), classes.ClassKey(code, "roster"), classes.ClassKey(code, "names"), classes.ClassKey(code, "polls"), classes.ClassKey(code, "poll:" + poll.Id), current, member];
        foreach (var key in kept)
        {
            var ttl = await db.KeyTimeToLiveAsync(key);
            Assert.True(ttl is { } t && t.TotalSeconds >= lifetime - 10 && t.TotalSeconds <= lifetime, $"{key}: TTL {ttl}");
        }

        await Task.Delay(TimeSpan.FromSeconds(2.5), TestContext.Current.CancellationToken);
        Assert.True(await classes.HeartbeatAsync(me));
        Assert.Equal(code, (await classes.CurrentAsync())?.Code);
        Assert.Equal(me, await classes.GetMembershipAsync(learner));
    }

    [Fact]
    public async Task A_teachers_action_keeps_the_class_alive_and_a_fresh_class_is_not_written_on_every_heartbeat()
    {
        var keyspace = redis.NewKeyspace();
        var classes = ClassTestKit.NewService(redis, keyspace: keyspace);
        var code = (await classes.OpenAsync()).Value.Code;
        var me = (await classes.JoinAsync(code, "Ada", LearnerId.New(), ClassTestKit.Client())).Value;
        var db = redis.Multiplexer.GetDatabase();
        var current = keyspace.Key("classroom", "current");
        var meta = classes.ClassKey(code, "meta");
        var lifetime = classes.Options.ClassLifetime.TotalSeconds;

        // Fresh (within the refresh interval): a heartbeat leaves the class's TTLs alone.
        await db.KeyExpireAsync(meta, TimeSpan.FromSeconds(lifetime - 100));
        Assert.True(await classes.HeartbeatAsync(me));
        Assert.InRange((await db.KeyTimeToLiveAsync(meta))!.Value.TotalSeconds, lifetime - 110, lifetime - 99);

        await ShortenAsync(keyspace, code, TimeSpan.FromSeconds(60), current);
        await classes.SetPausedAsync(code, true);

        Assert.InRange((await db.KeyTimeToLiveAsync(meta))!.Value.TotalSeconds, lifetime - 10, lifetime);
        Assert.InRange((await db.KeyTimeToLiveAsync(current))!.Value.TotalSeconds, lifetime - 10, lifetime);
        Assert.InRange((await db.KeyTimeToLiveAsync(classes.ClassKey(code, "roster")))!.Value.TotalSeconds, lifetime - 10, lifetime);
    }

    /// <summary>Every key of the class under <paramref name="keyspace"/>, on every master (a cluster spreads classes over nodes).</summary>
    private List<string> ClassKeys(RedisKeyspace keyspace, string code) =>
        [.. redis.Multiplexer.GetServers().Where(s => !s.IsReplica)
            .SelectMany(s => s.Keys(pattern: RedisKeyspace.PrefixPattern(keyspace.Prefix + "{class:")[..^1] + code + "}*"))
            .Select(k => (string)k!)];

    /// <summary>Gives every key of the class and <paramref name="others"/> <paramref name="left"/> to live.</summary>
    private async Task ShortenAsync(RedisKeyspace keyspace, string code, TimeSpan left, params RedisKey[] others)
    {
        var db = redis.Multiplexer.GetDatabase();
        foreach (var key in ClassKeys(keyspace, code).Select(k => (RedisKey)k).Concat(others))
        {
            Assert.True(await db.KeyExpireAsync(key, left), $"{key} exists");
        }
    }

    private static LearnerId LearnerIdOf(ClassMembership m) => LearnerId.TryParse(m.Learner, out var id) ? id : throw new InvalidOperationException();
}
