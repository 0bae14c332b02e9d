using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorRedis.App.Api;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Sessions;
using BlazorRedis.Tests.Core.Sessions;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace BlazorRedis.Tests.App.Api;

public class SessionApiTests(RedisServerFixture redis, AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IDatabase Db => redis.Multiplexer.GetDatabase();

    [Fact]
    public async Task Login_sets_an_http_only_lax_root_cookie_and_me_answers_200()
    {
        using var client = app.Factory.CreateHttpClient();

        var login = await client.PostAsJsonAsync("/api/session/login", new { username = "alice" }, Ct);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"), h => h.StartsWith(SessionApi.CookieName + "=", StringComparison.Ordinal));
        var attributes = setCookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=lax", attributes);
        Assert.Contains("path=/", attributes);
        Assert.DoesNotContain("secure", attributes); // plain HTTP here; see the HTTPS test below
        var id = CookieValue(setCookie);
        Assert.Equal(32, Base64Url.DecodeFromChars(id).Length);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", id);
        var body = await login.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain(id, body, StringComparison.Ordinal); // the id lives only in the HttpOnly cookie

        var me = await client.GetAsync("/api/session/me", Ct);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var facts = await me.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("alice", facts.GetProperty("username").GetString());
        Assert.True(facts.GetProperty("expiresAt").GetDateTimeOffset() <= facts.GetProperty("absoluteExpiresAt").GetDateTimeOffset());
        Assert.Equal(30 * 60, facts.GetProperty("idleTimeoutSeconds").GetDouble());
        Assert.Equal(8 * 3600, facts.GetProperty("absoluteTimeoutSeconds").GetDouble());
    }

    [Fact]
    public void The_cookie_is_secure_whenever_the_request_came_over_https()
    {
        var https = new DefaultHttpContext();
        https.Request.Scheme = "https";
        var http = new DefaultHttpContext();
        http.Request.Scheme = "http";

        var secure = SessionApi.CookieOptionsFor(https.Request);
        var plain = SessionApi.CookieOptionsFor(http.Request);

        Assert.True(secure.Secure);
        Assert.False(plain.Secure);
        Assert.All([secure, plain], o =>
        {
            Assert.True(o.HttpOnly);
            Assert.Equal(SameSiteMode.Lax, o.SameSite);
            Assert.Equal("/", o.Path);
        });
        https.Response.Cookies.Append(SessionApi.CookieName, "x", secure);
        var header = https.Response.Headers.SetCookie.ToString().ToLowerInvariant();
        Assert.Contains("secure", header, StringComparison.Ordinal);
        Assert.Contains("httponly", header, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_login_rotates_the_id_and_the_old_cookie_gets_401()
    {
        using var client = app.Factory.CreateHttpClient();
        var first = CookieValue(await LoginAsync(client, "bob"));
        var oldKey = Store.SessionKey(first);
        Assert.True(await Db.KeyExistsAsync(oldKey));

        var second = CookieValue(await LoginAsync(client, "bob"));

        Assert.NotEqual(first, second);
        Assert.False(await Db.KeyExistsAsync(oldKey));
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeWithCookieAsync(first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await MeWithCookieAsync(second)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/session/me", Ct)).StatusCode);
    }

    [Fact]
    public async Task Logout_answers_204_removes_the_key_and_me_then_answers_401()
    {
        using var client = app.Factory.CreateHttpClient();
        var id = CookieValue(await LoginAsync(client, "carol"));
        var key = Store.SessionKey(id);
        Assert.True(await Db.KeyExistsAsync(key));

        var logout = await client.PostAsync("/api/session/logout", JsonContent.Create(new { }), Ct);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.False(await Db.KeyExistsAsync(key));
        Assert.False(await Db.SetContainsAsync(Store.UserIndexKey("carol"), id));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/session/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeWithCookieAsync(id)).StatusCode);
    }

    [Fact]
    public async Task Logout_with_a_json_content_type_and_no_body_answers_204()
    {
        using var client = app.Factory.CreateHttpClient();
        var id = CookieValue(await LoginAsync(client, "cora"));
        using var content = new ByteArrayContent([]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var logout = await client.PostAsync("/api/session/logout", content, Ct);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.False(await Db.KeyExistsAsync(Store.SessionKey(id)));
    }

    /// <summary>
    /// What another page (another port of the same host is the same site, so the Lax cookie goes along) can send
    /// without a CORS preflight: a form or a no-cors fetch, so text/plain, a form type, or no content type at all.
    /// </summary>
    [Theory]
    [InlineData("text/plain", "x")]
    [InlineData("application/x-www-form-urlencoded", "a=b")]
    [InlineData("multipart/form-data; boundary=b", "--b--")]
    [InlineData(null, null)]
    public async Task A_cross_site_logout_without_a_json_content_type_gets_415_and_the_session_lives(string? contentType, string? body)
    {
        using var client = app.Factory.CreateHttpClient();
        var id = CookieValue(await LoginAsync(client, "dora"));
        using var content = body is null ? null : new StringContent(body);
        if (content is not null)
        {
            content.Headers.Remove("Content-Type");
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        var logout = await client.PostAsync("/api/session/logout", content, Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, logout.StatusCode);
        Assert.Equal("application/problem+json", logout.Content.Headers.ContentType?.MediaType);
        Assert.True(await Db.KeyExistsAsync(Store.SessionKey(id)));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/session/me", Ct)).StatusCode);
    }

    /// <summary>43 base64url characters whose last one has stray low bits: once a 500 on login, /me and logout.</summary>
    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")]
    [InlineData("___________________________________________")]
    [InlineData("not-a-session")]
    public async Task A_browser_holding_a_malformed_session_cookie_is_logged_out_and_can_log_in_again(string cookie)
    {
        var before = app.Factory.Logs.Entries.Count;
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = app.BaseAddress };
        async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            request.Headers.Add("Cookie", $"{SessionApi.CookieName}={cookie}");
            return await client.SendAsync(request, Ct);
        }

        var me = await SendAsync(HttpMethod.Get, "/api/session/me");
        var logout = await SendAsync(HttpMethod.Post, "/api/session/logout", JsonContent.Create(new { }));
        var login = await SendAsync(HttpMethod.Post, "/api/session/login", JsonContent.Create(new { username = "erin" }));

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.NotEqual(cookie, CookieValue(login));
        Assert.Equal(HttpStatusCode.OK, (await MeWithCookieAsync(CookieValue(login))).StatusCode);
        Assert.DoesNotContain(app.Factory.Logs.Entries.Skip(before), e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-session")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Me_without_a_live_session_answers_401_problem(string? cookie)
    {
        var response = cookie is null
            ? await app.Factory.CreateHttpClient().GetAsync("/api/session/me", Ct)
            : await MeWithCookieAsync(cookie);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("line\nbreak")]
    [InlineData("nul\u0000char")]
    [InlineData("tab\tchar")]
    public async Task Bad_usernames_answer_400_with_a_field_error(string username)
    {
        using var client = app.Factory.CreateHttpClient();

        var response = await client.PostAsJsonAsync("/api/session/login", new { username }, Ct);

        await AssertFieldErrorAsync(response, "username");
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(SessionApi.CookieName, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_username_sent_twice_is_a_400_naming_it_and_logs_nobody_in()
    {
        using var client = app.Factory.CreateHttpClient();
        using var body = new StringContent("""{"username":"ada","username":"bob"}""", System.Text.Encoding.UTF8, "application/json");

        using var response = await client.PostAsync("/api/session/login", body, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"username\" appears more than once", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(SessionApi.CookieName, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_username_over_64_characters_or_missing_answers_400()
    {
        using var client = app.Factory.CreateHttpClient();

        await AssertFieldErrorAsync(await client.PostAsJsonAsync("/api/session/login", new { username = new string('a', 65) }, Ct), "username");
        await AssertFieldErrorAsync(await client.PostAsJsonAsync("/api/session/login", new { }, Ct), "username");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/session/login", new { username = new string('a', 64) }, Ct)).StatusCode);
    }

    [Fact]
    public async Task An_idle_session_expires_after_the_configured_idle_timeout()
    {
        await using var factory = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?>
        {
            ["Sessions:IdleTimeoutSeconds"] = "2",
            ["Sessions:AbsoluteTimeoutSeconds"] = "600",
        }).Start();
        using var client = factory.CreateHttpClient();
        var id = CookieValue(await LoginAsync(client, "dave"));
        var key = factory.Services.GetRequiredService<ISessionStore>().SessionKey(id);
        var ttl = await Db.KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.True(ttl <= TimeSpan.FromSeconds(2));

        // Nothing touches the session now; Redis drops the key when its TTL runs out.
        await RedisSessionStoreTests.Eventually(async () => !await Db.KeyExistsAsync(key));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/session/me", Ct)).StatusCode);
    }

    [Fact]
    public async Task Requests_slide_the_idle_timeout_but_not_past_the_absolute_deadline()
    {
        await using var factory = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?>
        {
            ["Sessions:IdleTimeoutSeconds"] = "3",
            ["Sessions:AbsoluteTimeoutSeconds"] = "6",
        }).Start();
        using var client = factory.CreateHttpClient();
        var login = await LoginAsync(client, "erin");
        var facts = await login.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var createdAt = facts.GetProperty("createdAt").GetDateTimeOffset();
        var absolute = facts.GetProperty("absoluteExpiresAt").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromSeconds(6), absolute - createdAt);

        // A busy client: a request every 300 ms keeps the idle timeout from ever running out...
        DateTimeOffset lastAlive = createdAt;
        var previousExpiry = createdAt;
        while (true)
        {
            var me = await client.GetAsync("/api/session/me", Ct);
            if (me.StatusCode == HttpStatusCode.Unauthorized)
            {
                break;
            }

            var now = await me.Content.ReadFromJsonAsync<JsonElement>(Ct);
            lastAlive = now.GetProperty("lastSeenAt").GetDateTimeOffset();
            var expiry = now.GetProperty("expiresAt").GetDateTimeOffset();
            // ExpiresAt is Redis TIME (µs) + PTTL (whole ms), so once pinned at the deadline it may wobble by under 1 ms.
            Assert.True(expiry >= previousExpiry - TimeSpan.FromMilliseconds(1), $"each request moves the idle expiry forward (or holds it at the deadline): {previousExpiry:O} -> {expiry:O}");
            Assert.True(expiry <= absolute, "the idle expiry never passes the absolute deadline");
            previousExpiry = expiry;
            Assert.True(DateTimeOffset.UtcNow < absolute + TimeSpan.FromSeconds(30), "the session outlived its absolute deadline");
            await Task.Delay(300, Ct);
        }

        // ...so it outlived the idle timeout, and still ended at the absolute deadline.
        Assert.True(lastAlive - createdAt > TimeSpan.FromSeconds(3), $"alive until {lastAlive - createdAt} after login");
        Assert.True(lastAlive < absolute);
    }

    [Fact]
    public async Task A_session_works_on_another_app_instance_and_survives_an_app_restart()
    {
        var shared = new Dictionary<string, string?> { ["Keyspace:Prefix"] = $"brshared{Guid.NewGuid():N}"[..16] + ":" };
        string id;
        await using (var first = new BlazorRedisAppFactory(redis.Configuration, shared).Start())
        {
            using var client = first.CreateHttpClient();
            id = CookieValue(await LoginAsync(client, "gina"));

            // A second instance behind the same load balancer reads the same session from Redis.
            await using var second = new BlazorRedisAppFactory(redis.Configuration, shared).Start();
            Assert.Equal(HttpStatusCode.OK, (await MeWithCookieAsync(second.BaseAddress, id)).StatusCode);
        }

        // Both instances are gone; a fresh one (a restart or a deploy) still knows the session.
        await using var restarted = new BlazorRedisAppFactory(redis.Configuration, shared).Start();
        var me = await MeWithCookieAsync(restarted.BaseAddress, id);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("gina", (await me.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("username").GetString());
    }

    [Fact]
    public async Task Redis_down_answers_503_problem()
    {
        var server = await EmbeddedRedisServer.StartAsync(new EmbeddedRedisOptions(), cancellationToken: Ct);
        await using var factory = new BlazorRedisAppFactory($"{server.EndPoint},abortConnect=false,asyncTimeout=1500,syncTimeout=1500,connectTimeout=1500").Start();
        using var client = factory.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(client, "frank")).StatusCode);

        server.Dispose();
        var response = await client.PostAsJsonAsync("/api/session/login", new { username = "frank" }, Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task An_id_the_sessions_page_shows_is_not_a_working_api_cookie()
    {
        var user = "alice@" + BlazorRedis.Core.Keys.LearnerId.New().Value;
        var demo = (await DemoStore.CreateAsync(user)).Value;

        var me = await MeWithCookieAsync(demo.Id);
        var logout = await LogoutWithCookieAsync(demo.Id);

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.True(await Db.KeyExistsAsync(demo.Key)); // the learner on the page is still logged in
        Assert.Single((await DemoStore.ListForUserAsync(user)).Value);
        Assert.Equal(demo.LastSeenAt, (await DemoStore.ReadAsync(demo.Id)).Value?.LastSeenAt); // nor was their idle timer reset
    }

    [Fact]
    public async Task Api_logins_under_a_page_users_name_do_not_add_to_that_learners_list()
    {
        var user = "alice@" + BlazorRedis.Core.Keys.LearnerId.New().Value;
        var demo = (await DemoStore.CreateAsync(user)).Value;

        for (var i = 0; i < 3; i++)
        {
            using var client = app.Factory.CreateHttpClient();
            await LoginAsync(client, user);
        }

        var listed = (await DemoStore.ListForUserAsync(user)).Value;
        Assert.Equal(demo.Id, Assert.Single(listed).Id);
        Assert.Equal(3, (await Store.ListForUserAsync(user)).Value.Count); // the API's own user of that name, kept apart
    }

    private ISessionStore Store => app.Factory.Services.GetRequiredService<ISessionStore>();

    private ISessionStore DemoStore => app.Factory.Services.GetRequiredKeyedService<ISessionStore>(RedisSessionStore.DemoArea);

    private async Task<HttpResponseMessage> LogoutWithCookieAsync(string id)
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/session/logout") { Content = JsonContent.Create(new { }) };
        request.Headers.Add("Cookie", $"{SessionApi.CookieName}={id}");
        return await client.SendAsync(request, Ct);
    }

    private static async Task<HttpResponseMessage> LoginAsync(HttpClient client, string username)
    {
        var response = await client.PostAsJsonAsync("/api/session/login", new { username }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    private static string CookieValue(HttpResponseMessage response) =>
        CookieValue(response.Headers.GetValues("Set-Cookie").Single(h => h.StartsWith(SessionApi.CookieName + "=", StringComparison.Ordinal)));

    private static string CookieValue(string setCookie) => setCookie.Split(';')[0][(SessionApi.CookieName.Length + 1)..];

    private Task<HttpResponseMessage> MeWithCookieAsync(string id) => MeWithCookieAsync(app.BaseAddress, id);

    private static async Task<HttpResponseMessage> MeWithCookieAsync(Uri baseAddress, string id)
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = baseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/session/me");
        request.Headers.Add("Cookie", $"{SessionApi.CookieName}={id}");
        return await client.SendAsync(request, Ct);
    }

    internal static async Task AssertFieldErrorAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var errors = problem.GetProperty("errors").GetProperty(field);
        Assert.True(errors.GetArrayLength() > 0);
        Assert.False(string.IsNullOrWhiteSpace(errors[0].GetString()));
    }
}
