using System.Buffers.Text;
using BlazorRedis.Core;
using BlazorRedis.Core.Sessions;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Sessions;

public class RedisSessionStoreTests(RedisServerFixture redis)
{
    private IDatabase Db => redis.Multiplexer.GetDatabase();

    private RedisSessionStore NewStore(int idleSeconds = 60, int absoluteSeconds = 3600) =>
        new(redis.Multiplexer, redis.NewKeyspace(), redis.Tracer, Options.Create(new SessionOptions { IdleTimeoutSeconds = idleSeconds, AbsoluteTimeoutSeconds = absoluteSeconds }));

    [Fact]
    public async Task Create_stores_a_hash_with_ttl_and_adds_the_id_to_the_users_set_in_one_script()
    {
        var store = NewStore(idleSeconds: 60);

        var created = await store.CreateAsync("alice");

        var s = created.Value;
        var hash = (await Db.HashGetAllAsync(s.Key)).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
        Assert.Equal(["absoluteExpiry", "createdAt", "lastSeen", "username"], hash.Keys.Order());
        Assert.Equal("alice", hash["username"]);
        Assert.Equal(s.CreatedAt.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), hash["createdAt"]);
        var ttl = await Db.KeyTimeToLiveAsync(s.Key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.True(await Db.SetContainsAsync(store.UserIndexKey("alice"), s.Id));
        Assert.Contains("{sessions}", s.Key, StringComparison.Ordinal);
        Assert.Contains("{sessions}", store.UserIndexKey("alice"), StringComparison.Ordinal);
        var command = Assert.Single(created.Trace.Commands);
        Assert.StartsWith("EVALSHA " + SessionScripts.Create.Sha1, command.Text, StringComparison.Ordinal);
        Assert.Equal(["EVAL"], created.Trace.WireNames); // the profiler names script calls EVAL, whether the SHA-1 or the text went out
    }

    [Fact]
    public async Task Concurrent_creates_under_a_cap_never_pass_it_and_the_refused_are_told_the_user_is_full()
    {
        var store = NewStore();

        var attempts = await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
        {
            try
            {
                return (Created: (await store.CreateAsync("crowd", maxSessions: 10)).Value, Refused: (SessionLimitException?)null);
            }
            catch (SessionLimitException refused)
            {
                return (Created: (SessionInfo?)null, Refused: refused);
            }
        }));

        Assert.Equal(10, attempts.Count(a => a.Created is not null));
        Assert.All(attempts.Where(a => a.Refused is not null), a =>
        {
            Assert.Equal(10, a.Refused!.Count);
            Assert.Contains("already holds 10 sessions", a.Refused.Message, StringComparison.Ordinal);
            Assert.Contains("refused: 10 sessions held", Assert.Single(a.Refused.Trace.Commands).Result, StringComparison.Ordinal);
        });
        Assert.Equal(10, await Db.SetLengthAsync(store.UserIndexKey("crowd")));

        // At the cap, a rotation swaps one id for another: the user still holds 10.
        var rotated = (await store.CreateAsync("crowd", attempts.First(a => a.Created is not null).Created!.Id, maxSessions: 10)).Value;
        Assert.True(await Db.SetContainsAsync(store.UserIndexKey("crowd"), rotated.Id));
        Assert.Equal(10, await Db.SetLengthAsync(store.UserIndexKey("crowd")));
    }

    [Fact]
    public async Task A_store_with_an_area_keeps_its_sessions_and_users_apart_from_the_api_store()
    {
        var keys = redis.NewKeyspace();
        var options = Options.Create(new SessionOptions { IdleTimeoutSeconds = 60, AbsoluteTimeoutSeconds = 3600 });
        var api = new RedisSessionStore(redis.Multiplexer, keys, redis.Tracer, options);
        var demo = new RedisSessionStore(redis.Multiplexer, keys, redis.Tracer, options, area: RedisSessionStore.DemoArea);

        var shown = (await demo.CreateAsync("alice")).Value;
        await api.CreateAsync("alice");
        await api.CreateAsync("alice", replacingId: shown.Id); // a demo id offered as the old cookie is not rotated away

        Assert.Contains("{sessions}:demo:session:", shown.Key, StringComparison.Ordinal);
        Assert.Contains("{sessions}:demo:user:", demo.UserIndexKey("alice"), StringComparison.Ordinal);
        Assert.DoesNotContain(":demo:", api.SessionKey(shown.Id), StringComparison.Ordinal);
        Assert.Null((await api.TouchAsync(shown.Id)).Value);
        Assert.False((await api.DeleteAsync(shown.Id)).Value);
        Assert.Equal(shown.Id, Assert.Single((await demo.ListForUserAsync("alice")).Value).Id);
        Assert.Equal(2, (await api.ListForUserAsync("alice")).Value.Count);
        Assert.Equal(0, (await api.DeleteAllForUserAsync("nobody")).Value);
        Assert.True(await Db.KeyExistsAsync(shown.Key));
        Assert.Throws<ArgumentException>(() => new RedisSessionStore(redis.Multiplexer, keys, redis.Tracer, options, area: "Demo:x"));
    }

    [Fact]
    public void Session_ids_are_256_random_bits_in_url_safe_base64()
    {
        var ids = Enumerable.Range(0, 200).Select(_ => SessionId.New()).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id =>
        {
            Assert.Equal(43, id.Length);
            Assert.Matches("^[A-Za-z0-9_-]{43}$", id);
            Assert.Equal(32, Base64Url.DecodeFromChars(id).Length);
            Assert.True(SessionId.IsWellFormed(id));
        });
        Assert.False(SessionId.IsWellFormed(ids[0][..42]));
        Assert.False(SessionId.IsWellFormed(ids[0][..42] + "="));
        Assert.False(SessionId.IsWellFormed("x:{sessions}:user:alice" + new string('a', 20)));
    }

    [Fact]
    public async Task Touch_slides_the_idle_timeout_and_records_last_seen()
    {
        var store = NewStore(idleSeconds: 60);
        var s = (await store.CreateAsync("bob")).Value;
        await Task.Delay(300, TestContext.Current.CancellationToken);
        var before = (await Db.KeyTimeToLiveAsync(s.Key))!.Value;

        var touched = (await store.TouchAsync(s.Id)).Value;

        Assert.NotNull(touched);
        var after = (await Db.KeyTimeToLiveAsync(s.Key))!.Value;
        Assert.True(after > before, $"TTL after touch {after} should exceed {before}");
        Assert.True(touched.LastSeenAt > s.LastSeenAt);
        Assert.Equal(s.CreatedAt, touched.CreatedAt);
        Assert.Equal(s.AbsoluteExpiresAt, touched.AbsoluteExpiresAt);
    }

    [Fact]
    public async Task Read_does_not_slide_the_timeout()
    {
        var store = NewStore(idleSeconds: 60);
        var s = (await store.CreateAsync("bob")).Value;
        await Task.Delay(300, TestContext.Current.CancellationToken);

        var read = (await store.ReadAsync(s.Id)).Value;

        Assert.NotNull(read);
        Assert.Equal(s.LastSeenAt, read.LastSeenAt);
        Assert.True(read.TimeToLive < TimeSpan.FromSeconds(60) - TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public async Task Ttl_is_capped_by_the_time_left_to_the_absolute_deadline()
    {
        var store = NewStore(idleSeconds: 600, absoluteSeconds: 30);
        var s = (await store.CreateAsync("carol")).Value;
        Assert.True(s.TimeToLive <= TimeSpan.FromSeconds(30));

        var touched = (await store.TouchAsync(s.Id)).Value!;

        Assert.True(touched.TimeToLive <= touched.AbsoluteExpiresAt - touched.ServerTime);
        Assert.True(touched.EndsAtAbsoluteDeadline);
        Assert.True((await Db.KeyTimeToLiveAsync(s.Key))!.Value <= TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Idle_session_expires_by_ttl()
    {
        var store = NewStore(idleSeconds: 1, absoluteSeconds: 60);
        var s = (await store.CreateAsync("dave")).Value;
        Assert.True(s.TimeToLive <= TimeSpan.FromSeconds(1));

        await Eventually(async () => (await store.ReadAsync(s.Id)).Value is null);

        Assert.False(await Db.KeyExistsAsync(s.Key));
    }

    [Fact]
    public async Task Idle_timeout_is_checked_on_read_even_when_the_ttl_was_removed()
    {
        var store = NewStore(idleSeconds: 1, absoluteSeconds: 60);
        var s = (await store.CreateAsync("erin")).Value;
        await Db.KeyPersistAsync(s.Key); // as if someone had removed the TTL by hand

        await Task.Delay(1300, TestContext.Current.CancellationToken);
        var read = (await store.TouchAsync(s.Id)).Value;

        Assert.Null(read);
        Assert.False(await Db.KeyExistsAsync(s.Key));
    }

    [Fact]
    public async Task Absolute_deadline_ends_a_busy_session()
    {
        var store = NewStore(idleSeconds: 60, absoluteSeconds: 2);
        var s = (await store.CreateAsync("frank")).Value;
        await Db.KeyPersistAsync(s.Key); // the read check must hold even without the TTL

        // Keep the session busy: every touch succeeds until the deadline, none moves it.
        var deadline = s.AbsoluteExpiresAt;
        SessionInfo? last = s;
        while (last is not null)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
            last = (await store.TouchAsync(s.Id)).Value;
            if (last is not null)
            {
                Assert.Equal(deadline, last.AbsoluteExpiresAt);
                Assert.True(last.ServerTime < deadline);
            }

            Assert.True(DateTimeOffset.UtcNow < deadline + TimeSpan.FromSeconds(30), "the session outlived its absolute deadline");
        }

        Assert.False(await Db.KeyExistsAsync(s.Key));
    }

    [Fact]
    public async Task Create_replacing_an_id_rotates_it_and_the_old_id_stops_working()
    {
        var store = NewStore();
        var first = (await store.CreateAsync("gina")).Value;

        var second = await store.CreateAsync("gina", replacingId: first.Id);

        Assert.NotEqual(first.Id, second.Value.Id);
        Assert.Null((await store.ReadAsync(first.Id)).Value);
        Assert.False(await Db.KeyExistsAsync(first.Key));
        Assert.NotNull((await store.ReadAsync(second.Value.Id)).Value);
        var members = (await Db.SetMembersAsync(store.UserIndexKey("gina"))).Select(m => m.ToString()).ToList();
        Assert.Equal([second.Value.Id], members);
        Assert.Equal(["HGET", "EVALSHA"], second.Trace.Commands.Select(c => c.Text.Split(' ')[0]));
        Assert.Equal(first.Id, second.Value.RotatedFrom);
    }

    [Fact]
    public async Task Create_replacing_a_session_that_already_ended_says_it_rotated_nothing()
    {
        var store = NewStore();
        var first = (await store.CreateAsync("hana")).Value;
        Assert.True((await store.DeleteAsync(first.Id)).Value);

        var second = (await store.CreateAsync("hana", replacingId: first.Id)).Value;

        Assert.Null(second.RotatedFrom);
        Assert.Null((await store.CreateAsync("hana")).Value.RotatedFrom);
        Assert.NotNull((await store.ReadAsync(second.Id)).Value);
    }

    [Fact]
    public async Task Rotating_to_another_user_removes_the_id_from_the_old_users_set()
    {
        var store = NewStore();
        var alice = (await store.CreateAsync("alice")).Value;

        var bob = (await store.CreateAsync("bob", replacingId: alice.Id)).Value;

        Assert.False(await Db.KeyExistsAsync(alice.Key));
        Assert.False(await Db.SetContainsAsync(store.UserIndexKey("alice"), alice.Id));
        Assert.True(await Db.SetContainsAsync(store.UserIndexKey("bob"), bob.Id));
    }

    [Fact]
    public async Task Delete_removes_the_hash_and_the_index_entry()
    {
        var store = NewStore();
        var keep = (await store.CreateAsync("hank")).Value;
        var s = (await store.CreateAsync("hank")).Value;

        var deleted = await store.DeleteAsync(s.Id);

        Assert.True(deleted.Value);
        Assert.False(await Db.KeyExistsAsync(s.Key));
        Assert.False(await Db.SetContainsAsync(store.UserIndexKey("hank"), s.Id));
        Assert.True(await Db.SetContainsAsync(store.UserIndexKey("hank"), keep.Id));
        Assert.False((await store.DeleteAsync(s.Id)).Value);
    }

    [Fact]
    public async Task Delete_all_for_user_ends_every_session_of_that_user_only()
    {
        var store = NewStore();
        var mine = new List<SessionInfo>();
        for (var i = 0; i < 3; i++)
        {
            mine.Add((await store.CreateAsync("ivy")).Value);
        }

        var other = (await store.CreateAsync("jack")).Value;

        var result = await store.DeleteAllForUserAsync("ivy");

        Assert.Equal(3, result.Value);
        foreach (var s in mine)
        {
            Assert.False(await Db.KeyExistsAsync(s.Key));
        }

        Assert.False(await Db.KeyExistsAsync(store.UserIndexKey("ivy")));
        Assert.True(await Db.KeyExistsAsync(other.Key));
        Assert.Empty((await store.ListForUserAsync("ivy")).Value);
    }

    [Fact]
    public async Task List_returns_live_sessions_and_cleans_expired_ids_out_of_the_set()
    {
        var store = NewStore();
        var a = (await store.CreateAsync("kim")).Value;
        var b = (await store.CreateAsync("kim")).Value;
        var gone = (await store.CreateAsync("kim")).Value;
        await Db.KeyDeleteAsync(gone.Key); // as if its TTL had run out

        var list = (await store.ListForUserAsync("kim")).Value;

        Assert.Equal(new[] { a.Id, b.Id }.Order(), list.Select(s => s.Id).Order());
        Assert.All(list, s => Assert.Equal("kim", s.Username));
        Assert.False(await Db.SetContainsAsync(store.UserIndexKey("kim"), gone.Id));
        Assert.Equal(2, await Db.SetLengthAsync(store.UserIndexKey("kim")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a\nb")]
    [InlineData("tab\there")]
    [InlineData("bell\u0007")]
    [InlineData(" leading")]
    [InlineData("line\u2028sep")]
    public async Task Bad_usernames_are_refused_before_anything_is_written(string username)
    {
        var store = NewStore();

        var ex = await Assert.ThrowsAsync<LearnerInputException>(() => store.CreateAsync(username));

        Assert.Equal("username", ex.ParamName);
        Assert.False(await Db.KeyExistsAsync(store.UserIndexKey("x")));
    }

    [Fact]
    public async Task A_username_longer_than_64_characters_is_refused()
    {
        var store = NewStore();
        Assert.NotNull((await store.CreateAsync(new string('a', 64))).Value);

        var ex = await Assert.ThrowsAsync<LearnerInputException>(() => store.CreateAsync(new string('a', 65)));

        Assert.Contains("64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Braces_in_a_username_cannot_open_another_hash_tag()
    {
        var store = NewStore();

        var s = (await store.CreateAsync("evil}{other")).Value;

        var index = store.UserIndexKey("evil}{other");
        Assert.EndsWith(":user:evil%7D%7Bother", index, StringComparison.Ordinal);
        Assert.True(await Db.SetContainsAsync(index, s.Id));
        Assert.Equal("evil}{other", s.Username);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-session-id")]
    [InlineData("*")]
    public async Task Malformed_ids_read_as_no_session_without_asking_redis(string? id)
    {
        var store = NewStore();

        var read = await store.TouchAsync(id);

        Assert.Null(read.Value);
        Assert.Empty(read.Trace.Commands);
        Assert.False((await store.DeleteAsync(id)).Value);
    }

    [Fact]
    public void Options_refuse_an_idle_timeout_longer_than_the_absolute_lifetime()
    {
        var options = new SessionOptions { IdleTimeoutSeconds = 7200, AbsoluteTimeoutSeconds = 3600 };

        var errors = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        var valid = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), errors, validateAllProperties: true);

        Assert.False(valid);
        Assert.Contains(errors, e => e.ErrorMessage!.Contains("Sessions:IdleTimeout", StringComparison.Ordinal));
        Assert.Equal(TimeSpan.FromMinutes(30), new SessionOptions().IdleTimeout);
        Assert.Equal(TimeSpan.FromHours(8), new SessionOptions().AbsoluteTimeout);
    }

    internal static async Task Eventually(Func<Task<bool>> condition, int timeoutSeconds = 20)
    {
        var until = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "the condition did not become true in time");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
