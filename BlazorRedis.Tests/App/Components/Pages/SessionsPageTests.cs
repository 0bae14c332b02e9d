using BlazorRedis.App.Components.Pages.Sessions;
using BlazorRedis.Core;
using BlazorRedis.Core.Sessions;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.App.Components.Pages;

public class SessionsPageTests : MudTestContext
{
    private static TimeSpan Wait => TimeSpan.FromSeconds(15);

    private readonly RedisServerFixture _redis;
    private readonly RedisSessionStore _store;
    private readonly RedisSessionStore _apiStore;

    public SessionsPageTests(RedisServerFixture redis)
    {
        _redis = redis;
        var keys = redis.NewKeyspace();
        var options = Options.Create(new SessionOptions { IdleTimeoutSeconds = 120, AbsoluteTimeoutSeconds = 3600 });

        // As the app registers them: the HTTP API's store, and the page's demo store in its own key area.
        _store = new RedisSessionStore(redis.Multiplexer, keys, redis.Tracer, options, area: RedisSessionStore.DemoArea);
        _apiStore = new RedisSessionStore(redis.Multiplexer, keys, redis.Tracer, options);
        Services.AddKeyedSingleton<ISessionStore>(RedisSessionStore.DemoArea, _store);
        Services.AddSingleton<ISessionStore>(_apiStore);
        Services.AddSingleton(TimeProvider.System);
    }

    private IDatabase Db => _redis.Multiplexer.GetDatabase();

    private string User => Sessions.ScopedUsername("alice", Learner.Id.Value);

    [Fact]
    public async Task Logging_in_shows_the_key_the_hash_a_ttl_countdown_and_the_trace()
    {
        var cut = RenderWithProviders<Sessions>();
        cut.WaitForElement("[data-testid=no-sessions]", Wait);

        await cut.Find("[data-testid=login]").ClickAsync(new());

        var key = cut.WaitForElement("[data-testid=session-key]", Wait).TextContent;
        Assert.Contains("{sessions}:demo:session:", key, StringComparison.Ordinal);
        Assert.True(await Db.KeyExistsAsync(key));
        Assert.Matches(@"^0[12]:\d\d$", cut.Find("[data-testid=ttl]").TextContent.Trim());
        Assert.Equal(4, cut.FindAll("[data-testid=hash-field]").Count);
        Assert.Contains(User, cut.Find("[data-testid=session-hash]").TextContent, StringComparison.Ordinal);
        Assert.Single(cut.FindAll("[data-testid=session-row]"));
        Assert.Contains("EVALSHA", cut.Find("[data-testid=command-trace]").TextContent, StringComparison.Ordinal);
        Assert.Contains("UTC", cut.Find("[data-testid=absolute-deadline]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pages_sessions_live_in_the_demo_area_so_an_id_on_screen_is_no_api_session()
    {
        var cut = RenderWithProviders<Sessions>();
        cut.WaitForElement("[data-testid=no-sessions]", Wait);

        await cut.Find("[data-testid=login]").ClickAsync(new());

        var key = cut.WaitForElement("[data-testid=session-key]", Wait).TextContent;
        Assert.Contains("{sessions}:demo:session:", key, StringComparison.Ordinal);
        var id = key[(key.LastIndexOf(':') + 1)..];
        Assert.True(SessionId.IsWellFormed(id));
        Assert.Null((await _apiStore.TouchAsync(id)).Value); // what GET /api/session/me does with a cookie holding it
        Assert.False((await _apiStore.DeleteAsync(id)).Value); // what POST /api/session/logout does
        Assert.True(await Db.KeyExistsAsync(key));
        Assert.Contains("not a cookie the HTTP API accepts", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_device_is_refused_once_the_demo_user_holds_the_maximum_and_the_message_says_how_to_free_one()
    {
        for (var i = 0; i < Sessions.MaxSessionsPerUser - 1; i++)
        {
            await _store.CreateAsync(User);
        }

        var cut = RenderWithProviders<Sessions>();
        cut.WaitForAssertion(() => Assert.Equal(Sessions.MaxSessionsPerUser - 1, cut.FindAll("[data-testid=session-row]").Count), Wait);
        await cut.Find("[data-testid=login]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal(Sessions.MaxSessionsPerUser, cut.FindAll("[data-testid=session-row]").Count), Wait);

        await cut.Find("[data-testid=second-device]").ClickAsync(new());
        await cut.Find("[data-testid=second-device]").ClickAsync(new());

        var error = cut.WaitForElement("[data-testid=form-error]", Wait).TextContent;
        Assert.Contains($"{Sessions.MaxSessionsPerUser} sessions", error, StringComparison.Ordinal);
        Assert.Contains("Revoke one", error, StringComparison.Ordinal);
        Assert.Equal(Sessions.MaxSessionsPerUser, cut.FindAll("[data-testid=session-row]").Count);
        Assert.Equal(Sessions.MaxSessionsPerUser, await Db.SetLengthAsync(_store.UserIndexKey(User)));

        // Freeing one slot lets the next device in.
        await cut.FindAll("[data-testid=revoke]")[0].ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal(Sessions.MaxSessionsPerUser - 1, cut.FindAll("[data-testid=session-row]").Count), Wait);
        await cut.Find("[data-testid=second-device]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal(Sessions.MaxSessionsPerUser, cut.FindAll("[data-testid=session-row]").Count), Wait);
        Assert.Empty(cut.FindAll("[data-testid=form-error]"));
    }

    [Fact]
    public async Task A_fresh_login_is_refused_when_the_demo_user_already_holds_the_maximum()
    {
        for (var i = 0; i < Sessions.MaxSessionsPerUser; i++)
        {
            await _store.CreateAsync(User);
        }

        var cut = RenderWithProviders<Sessions>();
        cut.WaitForAssertion(() => Assert.Equal(Sessions.MaxSessionsPerUser, cut.FindAll("[data-testid=session-row]").Count), Wait);

        await cut.Find("[data-testid=login]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains($"{Sessions.MaxSessionsPerUser} sessions", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(cut.FindAll("[data-testid=session-key]"));
        Assert.Equal(Sessions.MaxSessionsPerUser, await Db.SetLengthAsync(_store.UserIndexKey(User)));
        // The refusal is the create script's: after the list's script, its call is in the trace (a check of the list alone
        // refused before it ran, and the trace held the list's script only).
        Assert.Equal(2, cut.FindAll("[data-testid=trace-row] code.br-cmd").Count(c => c.TextContent.StartsWith("EVAL", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_login_in_another_tab_after_the_page_read_the_list_cannot_take_the_user_past_the_maximum()
    {
        for (var i = 0; i < Sessions.MaxSessionsPerUser - 1; i++)
        {
            await _store.CreateAsync(User);
        }

        // The page reads 9 sessions; before its create runs, another tab takes the 10th slot.
        var racing = new SteeredStore(_store);
        Services.AddKeyedSingleton<ISessionStore>(RedisSessionStore.DemoArea, racing);
        var cut = RenderWithProviders<Sessions>();
        cut.WaitForAssertion(() => Assert.Equal(Sessions.MaxSessionsPerUser - 1, cut.FindAll("[data-testid=session-row]").Count), Wait);
        racing.AfterNextList = () => _store.CreateAsync(User);

        await cut.Find("[data-testid=login]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains($"{Sessions.MaxSessionsPerUser} sessions", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(cut.FindAll("[data-testid=session-key]"));
        Assert.Equal(Sessions.MaxSessionsPerUser, await Db.SetLengthAsync(_store.UserIndexKey(User)));
        // The refusal is the create script's: after the list's script, its call is in the trace (a check of the list alone
        // refused before it ran, and the trace held the list's script only).
        Assert.Equal(2, cut.FindAll("[data-testid=trace-row] code.br-cmd").Count(c => c.TextContent.StartsWith("EVAL", StringComparison.Ordinal)));
    }

    /// <summary>
    /// The real store, steered by the test: every list read waits for <see cref="BeforeList"/> (a gate), and after the
    /// next one <see cref="AfterNextList"/> (another tab's login) runs once.
    /// </summary>
    private sealed class SteeredStore(ISessionStore inner) : ISessionStore
    {
        public Func<Task>? BeforeList { get; init; }

        public Func<Task>? AfterNextList { get; set; }

        public SessionTimeouts Timeouts => inner.Timeouts;

        public string SessionKey(string id) => inner.SessionKey(id);

        public string UserIndexKey(string username) => inner.UserIndexKey(username);

        public Task<Traced<SessionInfo>> CreateAsync(string username, string? replacingId = null, int maxSessions = 0) => inner.CreateAsync(username, replacingId, maxSessions);

        public Task<Traced<SessionInfo?>> ReadAsync(string? id) => inner.ReadAsync(id);

        public Task<Traced<SessionInfo?>> TouchAsync(string? id) => inner.TouchAsync(id);

        public Task<Traced<bool>> DeleteAsync(string? id) => inner.DeleteAsync(id);

        public Task<Traced<long>> DeleteAllForUserAsync(string username) => inner.DeleteAllForUserAsync(username);

        public async Task<Traced<IReadOnlyList<SessionInfo>>> ListForUserAsync(string username)
        {
            if (BeforeList is { } gate)
            {
                await gate();
            }

            var list = await inner.ListForUserAsync(username);
            if (AfterNextList is { } race)
            {
                AfterNextList = null;
                await race();
            }

            return list;
        }
    }

    [Fact]
    public void The_http_example_calls_the_address_the_page_was_opened_at()
    {
        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("http://localhost/sessions");

        var cut = RenderWithProviders<Sessions>();

        var curl = cut.FindAll("[data-testid=code-block] code").Single(c => c.TextContent.Contains("curl", StringComparison.Ordinal)).TextContent;
        Assert.Contains("http://localhost/api/session/login", curl, StringComparison.Ordinal);
        Assert.DoesNotContain("localhost:5000", curl, StringComparison.Ordinal);
    }

    [Fact]
    public void The_http_logout_example_names_the_json_content_type_the_api_requires()
    {
        var cut = RenderWithProviders<Sessions>();

        var curl = cut.FindAll("[data-testid=code-block] code").Single(c => c.TextContent.Contains("curl", StringComparison.Ordinal)).TextContent;
        var logout = Assert.Single(curl.Split('\n'), l => l.Contains("api/session/logout", StringComparison.Ordinal));
        Assert.Contains("-H 'Content-Type: application/json'", logout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Making_a_request_touches_the_session_and_says_how_far_the_ttl_jumped_back()
    {
        var cut = RenderWithProviders<Sessions>();
        cut.WaitForElement("[data-testid=no-sessions]", Wait);
        await cut.Find("[data-testid=login]").ClickAsync(new());
        var key = cut.WaitForElement("[data-testid=session-key]", Wait).TextContent;
        var lastSeen = (string?)await Db.HashGetAsync(key, "lastSeen");
        await Task.Delay(50, Xunit.TestContext.Current.CancellationToken);

        await cut.Find("[data-testid=touch]").ClickAsync(new());

        Assert.Empty(cut.FindAll("[data-testid=form-error]").Select(e => e.TextContent));
        cut.WaitForAssertion(() => Assert.Contains("TTL went from", cut.Find("[data-testid=narration]").TextContent, StringComparison.Ordinal), Wait);
        Assert.NotEqual(lastSeen, (string?)await Db.HashGetAsync(key, "lastSeen"));
        Assert.Contains("Make a request", cut.Find("[data-testid=trace-operation]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logging_in_again_rotates_the_id_and_deletes_the_old_key()
    {
        var cut = RenderWithProviders<Sessions>();
        cut.WaitForElement("[data-testid=no-sessions]", Wait);
        await cut.Find("[data-testid=login]").ClickAsync(new());
        var oldKey = cut.WaitForElement("[data-testid=session-key]", Wait).TextContent;

        await cut.Find("[data-testid=login]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.NotEqual(oldKey, cut.Find("[data-testid=session-key]").TextContent), Wait);
        Assert.False(await Db.KeyExistsAsync(oldKey));
        Assert.Contains("rotated", cut.Find("[data-testid=narration]").TextContent, StringComparison.Ordinal);
        Assert.Single(cut.FindAll("[data-testid=session-row]"));
    }

    /// <summary>
    /// The review's case: another tab logged this user out everywhere, then "Log in again" here. Nothing was left to
    /// rotate, and the page said the old id "was deleted in the same script" all the same.
    /// </summary>
    [Fact]
    public async Task Logging_in_again_after_the_session_ended_elsewhere_says_nothing_was_rotated()
    {
        var cut = RenderWithProviders<Sessions>();
        cut.WaitForElement("[data-testid=no-sessions]", Wait);
        await cut.Find("[data-testid=login]").ClickAsync(new());
        var oldKey = cut.WaitForElement("[data-testid=session-key]", Wait).TextContent;
        Assert.True(await Db.KeyDeleteAsync(oldKey)); // ended elsewhere: another tab's log out, or its idle timeout

        await cut.Find("[data-testid=login]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.NotEqual(oldKey, cut.Find("[data-testid=session-key]").TextContent), Wait);
        var narration = cut.Find("[data-testid=narration]").TextContent;
        Assert.Contains("had already ended", narration, StringComparison.Ordinal);
        Assert.DoesNotContain("rotated", narration, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_out_everywhere_ends_every_session_of_the_demo_user()
    {
        var cut = RenderWithProviders<Sessions>();
        cut.WaitForElement("[data-testid=no-sessions]", Wait);
        await cut.Find("[data-testid=login]").ClickAsync(new());
        cut.WaitForElement("[data-testid=session-key]", Wait);
        await cut.Find("[data-testid=second-device]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=session-row]").Count), Wait);

        await cut.Find("[data-testid=logout-everywhere]").ClickAsync(new());

        cut.WaitForElement("[data-testid=no-session]", Wait);
        cut.WaitForElement("[data-testid=no-sessions]", Wait);
        Assert.Contains("2 session(s)", cut.Find("[data-testid=narration]").TextContent, StringComparison.Ordinal);
        Assert.False(await Db.KeyExistsAsync(_store.UserIndexKey(User)));
    }

    [Fact]
    public async Task Logging_out_deletes_the_session_on_the_server()
    {
        var cut = RenderWithProviders<Sessions>();
        cut.WaitForElement("[data-testid=no-sessions]", Wait);
        await cut.Find("[data-testid=login]").ClickAsync(new());
        var key = cut.WaitForElement("[data-testid=session-key]", Wait).TextContent;

        await cut.Find("[data-testid=logout]").ClickAsync(new());

        cut.WaitForElement("[data-testid=no-session]", Wait);
        Assert.False(await Db.KeyExistsAsync(key));
    }

    [Fact]
    public async Task Sessions_left_by_an_earlier_visit_are_listed_and_can_be_resumed()
    {
        var earlier = (await _store.CreateAsync(User)).Value;

        var cut = RenderWithProviders<Sessions>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=session-row]")), Wait);
        await cut.Find("[data-testid=resume]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal(earlier.Key, cut.Find("[data-testid=session-key]").TextContent), Wait);
    }

    [Fact]
    public void Until_the_first_list_arrives_the_page_says_it_is_reading_not_that_there_are_no_sessions()
    {
        var gate = new TaskCompletionSource();
        Services.AddKeyedSingleton<ISessionStore>(RedisSessionStore.DemoArea, new SteeredStore(_store) { BeforeList = () => gate.Task });

        var cut = RenderWithProviders<Sessions>();

        cut.WaitForAssertion(() => Assert.Contains("Reading your sessions", cut.Find("[data-testid=sessions-loading]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(cut.FindAll("[data-testid=no-sessions]"));

        gate.SetResult();
        cut.WaitForElement("[data-testid=no-sessions]", Wait);
        Assert.Empty(cut.FindAll("[data-testid=sessions-loading]"));
    }

    [Fact]
    public async Task An_empty_username_shows_an_error_and_writes_nothing()
    {
        var cut = RenderWithProviders<Sessions>();
        cut.WaitForElement("[data-testid=no-sessions]", Wait);
        cut.Find("input[data-testid=username]").Input("   ");

        await cut.Find("[data-testid=login]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("Enter a username", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(cut.FindAll("[data-testid=session-key]"));
    }

    [Fact]
    public void Demo_usernames_are_scoped_to_the_learner()
    {
        var a = Sessions.ScopedUsername("alice", "0123456789abcdef0123456789abcdef");
        var b = Sessions.ScopedUsername("alice", "fedcba9876543210fedcba9876543210");

        Assert.Equal("alice@0123456789abcdef0123456789abcdef", a);
        Assert.NotEqual(a, b);
        Assert.Throws<LearnerInputException>(() => Sessions.ScopedUsername(new string('a', Sessions.MaxNameLength + 1), "0123456789abcdef"));
        Assert.Throws<LearnerInputException>(() => Sessions.ScopedUsername("a\nb", "0123456789abcdef"));
        Assert.True(SessionUsername.TryValidate(Sessions.ScopedUsername(new string('a', Sessions.MaxNameLength), "0123456789abcdef0123456789abcdef"), out _));
        Assert.Equal("00:00", Sessions.Countdown(TimeSpan.FromSeconds(-3)));
        Assert.Equal("1:02:03", Sessions.Countdown(new TimeSpan(1, 2, 3)));
    }

    [Fact]
    public async Task A_learner_whose_id_shares_the_first_eight_characters_sees_and_ends_none_of_this_learners_sessions()
    {
        var other = Learner.Id.Value[..8] + new string(Learner.Id.Value[8] == '0' ? '1' : '0', 24);
        var theirs = (await _store.CreateAsync(Sessions.ScopedUsername("alice", other))).Value;

        var cut = RenderWithProviders<Sessions>();
        cut.WaitForElement("[data-testid=no-sessions]", Wait);
        await cut.Find("[data-testid=login]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=session-row]")), Wait);
        await cut.Find("[data-testid=logout-everywhere]").ClickAsync(new());
        cut.WaitForElement("[data-testid=no-sessions]", Wait);

        Assert.NotEqual(Sessions.ScopedUsername("alice", other), User);
        Assert.True(await Db.KeyExistsAsync(theirs.Key));
        Assert.NotNull((await _store.ReadAsync(theirs.Id)).Value);
    }
}
