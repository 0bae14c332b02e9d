using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorRedis.App.Classroom;
using BlazorRedis.App.Hosting;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Metrics;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.App.Classroom;

/// <summary>
/// Roles on the real app (Kestrel, real Redis): the teacher link makes one browser the teacher; every class-wide
/// control answers anyone else with 403 problem+json and changes nothing; forged, copied and earlier cookies prove nothing.
/// </summary>
public class TeacherAccessTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private BlazorRedisAppFactory StartApp(params (string Key, string? Value)[] settings) =>
        new BlazorRedisAppFactory(redis.Configuration, settings.ToDictionary(s => s.Key, s => s.Value)).Start();

    private static async Task AssertTeacherOnlyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(403, problem.GetProperty("status").GetInt32());
        Assert.Equal("The teacher controls this.", problem.GetProperty("title").GetString());
    }

    private static void AssertNoErrorLogged(BlazorRedisAppFactory app) =>
        Assert.DoesNotContain(app.Logs.Entries, e => e.Level >= LogLevel.Error);

    [Fact]
    public async Task A_learner_cannot_change_any_class_wide_setting_through_the_api()
    {
        await using var app = StartApp(("Catalog:DatabaseLatencyMs", "40"));
        using var learner = app.CreateHttpClient();
        (await learner.GetAsync("/", Ct)).Dispose(); // a browser that has been here: it holds a learner cookie
        var feed = app.Services.GetRequiredService<ICacheMetricsFeed>();
        var since = feed.Totals.Since;
        var someone = app.Services.GetRequiredService<RedisKeyspace>().ForLearner(LearnerId.New()).Key("strings", "kept");
        await redis.Multiplexer.GetDatabase().StringSetAsync(someone, "v");

        using var latency = await learner.PutAsJsonAsync("/api/catalog/latency", new { latencyMs = 30_000 }, Ct);
        using var reset = await learner.PostAsync("/api/cache/stats/reset", null, Ct);
        using var wipe = await learner.PostAsync("/api/classroom/reset-learner-keys", null, Ct);

        await AssertTeacherOnlyAsync(latency);
        await AssertTeacherOnlyAsync(reset);
        await AssertTeacherOnlyAsync(wipe);
        Assert.Equal(40, (await learner.GetFromJsonAsync<JsonElement>("/api/catalog/latency", Ct)).GetProperty("latencyMs").GetInt32());
        Assert.Equal(since, feed.Totals.Since);
        Assert.True(await redis.Multiplexer.GetDatabase().KeyExistsAsync(someone));
        AssertNoErrorLogged(app);
    }

    [Fact]
    public async Task The_teacher_link_makes_a_browser_the_teacher_once_by_default()
    {
        await using var app = StartApp(("Classroom:ReusableTeacherLink", "false"));
        using var teacher = app.CreateHttpClient();
        using var second = app.CreateHttpClient();

        using var first = await teacher.GetAsync(app.TeacherLinkPath, Ct);
        using var replay = await second.GetAsync(app.TeacherLinkPath, Ct);
        using var asTeacher = await teacher.PutAsJsonAsync("/api/catalog/latency", new { latencyMs = 7 }, Ct);
        using var asSecond = await second.PutAsJsonAsync("/api/catalog/latency", new { latencyMs = 9 }, Ct);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal("/teacher", first.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Forbidden, replay.StatusCode);
        Assert.Equal("application/problem+json", replay.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, asTeacher.StatusCode);
        await AssertTeacherOnlyAsync(asSecond);
        Assert.Equal(7, (await teacher.GetFromJsonAsync<JsonElement>("/api/catalog/latency", Ct)).GetProperty("latencyMs").GetInt32());
        AssertNoErrorLogged(app);
    }

    [Fact]
    public async Task A_configured_teacher_link_works_once_across_instances_and_restarts()
    {
        (string, string?)[] settings =
        [
            ("Keyspace:Prefix", $"brclaim{Guid.NewGuid():N}"[..15] + ":"),
            ("Classroom:TeacherToken", $"shared-teacher-{Guid.NewGuid():N}"),
            ("Classroom:ReusableTeacherLink", "false"),
        ];
        await using var first = StartApp(settings);
        await using var second = StartApp(settings);
        using var teacher = first.CreateHttpClient();
        using var other = second.CreateHttpClient();

        using var claim = await teacher.GetAsync(first.TeacherLinkPath, Ct);
        using var replay = await other.GetAsync(second.TeacherLinkPath, Ct);

        Assert.Equal(HttpStatusCode.Redirect, claim.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, replay.StatusCode);
        Assert.False(replay.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(TeacherAccess.CookieName + "=", StringComparison.Ordinal)));

        // The same configured token after a restart: the link stays spent.
        await first.DisposeAsync();
        await using var restarted = StartApp(settings);
        using var later = restarted.CreateHttpClient();
        using var afterRestart = await later.GetAsync(restarted.TeacherLinkPath, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, afterRestart.StatusCode);

        // The claim is remembered under a hash of the token, never the token itself, for as long as the teacher cookie lives.
        var token = restarted.TeacherToken!;
        var server = redis.Multiplexer.GetServers().First();
        var claimKeys = new List<RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: restarted.Prefix + "classroom:teacher-claimed:*").WithCancellation(Ct))
        {
            claimKeys.Add(key);
        }

        var claimed = Assert.Single(claimKeys);
        Assert.DoesNotContain(token, claimed.ToString(), StringComparison.Ordinal);
        var ttl = await redis.Multiplexer.GetDatabase().KeyTimeToLiveAsync(claimed);
        Assert.InRange(ttl!.Value, TeacherAccess.CookieMaxAge - TimeSpan.FromMinutes(5), TeacherAccess.CookieMaxAge);
        AssertNoErrorLogged(restarted);
    }

    private static (string, string?)[] SingleUseSettings() =>
    [
        ("Keyspace:Prefix", $"brlost{Guid.NewGuid():N}"[..14] + ":"),
        ("Classroom:TeacherToken", $"lost-teacher-{Guid.NewGuid():N}"),
        ("Classroom:ReusableTeacherLink", "false"),
    ];

    private static RedisKey ClaimKey(BlazorRedisAppFactory app) =>
        app.Services.GetRequiredService<RedisKeyspace>().Key("classroom", "teacher-claimed",
            Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(app.TeacherToken!)))[..16]);

    private static async Task AssertLinkSpentAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("This teacher link does not work.", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("title").GetString());
        Assert.Null(TeacherCookieHeader(response));
    }

    [Fact]
    public async Task A_used_link_stays_refused_when_Redis_loses_the_claim_and_the_claim_is_written_back()
    {
        await using var app = StartApp(SingleUseSettings());
        using var teacher = app.CreateHttpClient();
        using var stranger = app.CreateHttpClient();
        using var claim = await teacher.GetAsync(app.TeacherLinkPath, Ct);
        Assert.Equal(HttpStatusCode.Redirect, claim.StatusCode);

        // What a Redis restart without persistence, or a flush, does to the claim.
        var db = redis.Multiplexer.GetDatabase();
        Assert.True(await db.KeyDeleteAsync(ClaimKey(app)));
        using var replay = await stranger.GetAsync(app.TeacherLinkPath, Ct);
        using var asTeacher = await teacher.PutAsJsonAsync("/api/catalog/latency", new { latencyMs = 7 }, Ct);
        using var asStranger = await stranger.PutAsJsonAsync("/api/catalog/latency", new { latencyMs = 9 }, Ct);

        await AssertLinkSpentAsync(replay);
        Assert.Equal(HttpStatusCode.OK, asTeacher.StatusCode);
        await AssertTeacherOnlyAsync(asStranger);
        var ttl = await db.KeyTimeToLiveAsync(ClaimKey(app));
        Assert.InRange(ttl!.Value, TeacherAccess.CookieMaxAge - TimeSpan.FromMinutes(5), TeacherAccess.CookieMaxAge);
        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("was missing from Redis", StringComparison.Ordinal));
        AssertNoErrorLogged(app);
    }

    [Fact]
    public async Task An_instance_that_saw_another_instances_claim_refuses_the_link_after_Redis_loses_it()
    {
        var settings = SingleUseSettings();
        await using var first = StartApp(settings);
        await using var second = StartApp(settings);
        using var teacher = first.CreateHttpClient();
        using var stranger = second.CreateHttpClient();
        using var claim = await teacher.GetAsync(first.TeacherLinkPath, Ct);
        Assert.Equal(HttpStatusCode.Redirect, claim.StatusCode);

        // The second instance's regular look (every LookInterval) reads the claim; run it now instead of waiting.
        var seconds = second.Services.GetRequiredService<TeacherAccess>();
        await seconds.LookAsync();
        Assert.True(seconds.KnowsClaim);
        var db = redis.Multiplexer.GetDatabase();
        Assert.True(await db.KeyDeleteAsync(ClaimKey(first)));
        using var replay = await stranger.GetAsync(second.TeacherLinkPath, Ct);

        await AssertLinkSpentAsync(replay);
        Assert.True(await db.KeyExistsAsync(ClaimKey(first)));

        // The instance that made the claim writes it back on its own look, before anyone tries the link.
        Assert.True(await db.KeyDeleteAsync(ClaimKey(first)));
        await first.Services.GetRequiredService<TeacherAccess>().LookAsync();
        Assert.True(await db.KeyExistsAsync(ClaimKey(first)));
        AssertNoErrorLogged(first);
        AssertNoErrorLogged(second);
    }

    [Fact]
    public async Task A_configured_token_with_no_trace_in_Redis_is_a_warning_at_start_and_one_Redis_remembers_is_not()
    {
        const string NoTrace = "Redis holds no trace of the teacher link";
        var settings = SingleUseSettings();
        var app = StartApp(settings);
        try
        {
            await WaitForAsync(() => app.Logs.Entries.Any(e => e.Level == LogLevel.Warning && e.Message.Contains(NoTrace, StringComparison.Ordinal)));
            using var teacher = app.CreateHttpClient();
            using var claim = await teacher.GetAsync(app.TeacherLinkPath, Ct);
            Assert.Equal(HttpStatusCode.Redirect, claim.StatusCode);
        }
        finally
        {
            await app.DisposeAsync();
        }

        // Redis kept its data: the restarted instance learns the claim at start and warns of nothing.
        await using (var kept = StartApp(settings))
        {
            await WaitForAsync(() => kept.Services.GetRequiredService<TeacherAccess>().KnowsClaim);
            Assert.DoesNotContain(kept.Logs.Entries, e => e.Message.Contains(NoTrace, StringComparison.Ordinal));
            AssertNoErrorLogged(kept);
        }

        // Redis lost every key of the app while no instance ran: the next start says so, and what to do.
        var server = redis.Multiplexer.GetServers().First();
        await foreach (var key in server.KeysAsync(pattern: settings[0].Item2 + "*").WithCancellation(Ct))
        {
            await redis.Multiplexer.GetDatabase().KeyDeleteAsync(key);
        }

        await using var lost = StartApp(settings);
        await WaitForAsync(() => lost.Logs.Entries.Any(e => e.Level == LogLevel.Warning && e.Message.Contains(NoTrace, StringComparison.Ordinal)
            && e.Message.Contains("set a new Classroom:TeacherToken", StringComparison.Ordinal)));
        AssertNoErrorLogged(lost);
    }

    [Fact]
    public async Task Without_a_configured_token_the_app_logs_a_random_teacher_link_that_works()
    {
        await using var app = StartApp(("Classroom:TeacherToken", ""), ("Classroom:ReusableTeacherLink", "false"));
        var access = app.Services.GetRequiredService<TeacherAccess>();
        using var client = app.CreateHttpClient();
        await WaitForAsync(() => app.Logs.Entries.Any(e => e.Message.Contains(access.LinkPath, StringComparison.Ordinal)));

        using var claim = await client.GetAsync(access.LinkPath, Ct);

        Assert.False(access.IsConfigured);
        Assert.True(access.Token.Length >= ClassroomOptions.MinTokenLength);
        Assert.Contains(app.Logs.Entries, e => e.Message.Contains($"{app.BaseAddress.ToString().TrimEnd('/')}{access.LinkPath}", StringComparison.Ordinal)
            || e.Message.Contains($"127.0.0.1:{app.BaseAddress.Port}{access.LinkPath}", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Redirect, claim.StatusCode);
    }

    [Theory]
    [InlineData("wrong-token-0123456789")]
    [InlineData("")]
    [InlineData("x4000")]
    [InlineData("%00%0d%0a<script>")]
    public async Task A_wrong_teacher_token_gets_403_and_changes_nothing(string token)
    {
        await using var app = StartApp();
        using var client = app.CreateHttpClient();
        var sent = token == "x4000" ? new string('x', 4_000) : token;

        using var claim = await client.GetAsync($"/teacher/claim?token={sent}", Ct);
        using var latency = await client.PutAsJsonAsync("/api/catalog/latency", new { latencyMs = 5 }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, claim.StatusCode);
        Assert.False(claim.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(TeacherAccess.CookieName + "=", StringComparison.Ordinal)));
        await AssertTeacherOnlyAsync(latency);
        AssertNoErrorLogged(app);
    }

    [Fact]
    public async Task A_forged_copied_or_earlier_teacher_cookie_is_refused()
    {
        await using var app = StartApp();
        var access = app.Services.GetRequiredService<TeacherAccess>();
        var learners = app.Services.GetRequiredService<LearnerTokens>();
        var alice = LearnerId.New();
        var bob = LearnerId.New();

        // A token of an earlier start (another teacher token) under the same key ring.
        await using var earlierApp = StartApp();
        var earlier = earlierApp.Services.GetRequiredService<TeacherAccess>().ForCookie(alice);

        var cases = new (string Name, string Learner, string Teacher)[]
        {
            ("garbage", learners.ForCookie(alice), "garbage"),
            ("the learner cookie as a teacher cookie", learners.ForCookie(alice), learners.ForCookie(alice)),
            ("alice's teacher cookie beside bob's learner cookie", learners.ForCookie(bob), access.ForCookie(alice)),
            ("an earlier start's teacher cookie", learners.ForCookie(alice), earlier),
            ("8 KB", learners.ForCookie(alice), new string('A', 8 * 1024)),
        };
        foreach (var (name, learner, teacher) in cases)
        {
            using var client = new HttpClient { BaseAddress = app.BaseAddress };
            using var request = new HttpRequestMessage(HttpMethod.Put, "/api/catalog/latency") { Content = JsonContent.Create(new { latencyMs = 3 }) };
            request.Headers.Add("Cookie", $"{LearnerCookieMiddleware.CookieName}={learner}; {TeacherAccess.CookieName}={teacher}");
            using var response = await client.SendAsync(request, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{name}: {(int)response.StatusCode}");
        }

        // The genuine pair works, so the refusals above are about the cookie and nothing else.
        using var genuine = new HttpClient { BaseAddress = app.BaseAddress };
        using var ok = new HttpRequestMessage(HttpMethod.Put, "/api/catalog/latency") { Content = JsonContent.Create(new { latencyMs = 3 }) };
        ok.Headers.Add("Cookie", $"{LearnerCookieMiddleware.CookieName}={learners.ForCookie(alice)}; {TeacherAccess.CookieName}={access.ForCookie(alice)}");
        Assert.Equal(HttpStatusCode.OK, (await genuine.SendAsync(ok, Ct)).StatusCode);
        AssertNoErrorLogged(app);
    }

    [Fact]
    public async Task The_teacher_resets_every_learners_keys_and_the_shared_keys_stay()
    {
        await using var app = StartApp();
        using var teacher = await app.CreateTeacherClientAsync(Ct);
        var keyspace = app.Services.GetRequiredService<RedisKeyspace>();
        var db = redis.Multiplexer.GetDatabase();
        var learnerKeys = Enumerable.Range(0, 3).Select(_ => keyspace.ForLearner(LearnerId.New()).Key("strings", "k")).ToArray();
        var shared = keyspace.Key("product", "1");
        foreach (var key in learnerKeys.Append(shared))
        {
            await db.StringSetAsync(key, "v");
        }

        using var response = await teacher.PostAsync("/api/classroom/reset-learner-keys", null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("deleted").GetInt64());
        foreach (var key in learnerKeys)
        {
            Assert.False(await db.KeyExistsAsync(key));
        }

        Assert.True(await db.KeyExistsAsync(shared));
    }

    [Theory]
    [InlineData("short")]
    [InlineData("sixteen-chars-but spaces")]
    public void A_bad_configured_teacher_token_stops_the_app_naming_the_setting(string token)
    {
        var app = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?> { ["Classroom:TeacherToken"] = token });
        var ex = Assert.ThrowsAny<Exception>(() => app.Start());
        Assert.Contains("Classroom:TeacherToken", ex + app.Logs.Text, StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < until)
        {
            await Task.Delay(20, Ct);
        }

        Assert.True(condition());
    }

    [Fact]
    public async Task The_teacher_cookie_slides_once_a_day_for_the_same_learner_like_the_learner_cookie()
    {
        var clock = new ManualTimeProvider();
        await using var app = new ClockedAppFactory(redis.Configuration, clock).Start();
        using var teacher = await app.CreateTeacherClientAsync(Ct);
        using (var sameDay = await teacher.GetAsync("/", Ct))
        {
            Assert.Null(TeacherCookieHeader(sameDay));
        }

        clock.Advance(LearnerTokens.CookieRefreshAfter + TimeSpan.FromMinutes(1));
        using var nextDay = await teacher.GetAsync("/", Ct);
        using var later = await teacher.GetAsync("/", Ct);
        using var asTeacher = await teacher.PutAsJsonAsync("/api/catalog/latency", new { latencyMs = 7 }, Ct);

        var header = TeacherCookieHeader(nextDay);
        Assert.True(header is not null, "The teacher cookie was not issued again after a day.");
        Assert.Contains(FormattableString.Invariant($"max-age={(long)TeacherAccess.CookieMaxAge.TotalSeconds}"), header, StringComparison.OrdinalIgnoreCase);
        Assert.Null(TeacherCookieHeader(later)); // once a day at most
        Assert.Equal(HttpStatusCode.OK, asTeacher.StatusCode); // the new cookie is bound to the same learner
        AssertNoErrorLogged(app);
    }

    [Fact]
    public async Task A_teacher_who_only_uses_the_api_gets_both_cookies_slid_once_a_day_and_a_learner_gets_none()
    {
        var clock = new ManualTimeProvider();
        await using var app = new ClockedAppFactory(redis.Configuration, clock).Start();
        using var teacher = await app.CreateTeacherClientAsync(Ct);
        using var learner = app.CreateHttpClient();
        (await learner.GetAsync("/", Ct)).Dispose();
        using (var sameDay = await teacher.PutAsJsonAsync("/api/catalog/latency", new { latencyMs = 5 }, Ct))
        {
            Assert.Null(TeacherCookieHeader(sameDay));
        }

        clock.Advance(LearnerTokens.CookieRefreshAfter + TimeSpan.FromMinutes(1));
        using var nextDay = await teacher.PutAsJsonAsync("/api/catalog/latency", new { latencyMs = 6 }, Ct);
        using var later = await teacher.PostAsync("/api/cache/stats/reset", null, Ct);
        using var refused = await learner.PutAsJsonAsync("/api/catalog/latency", new { latencyMs = 7 }, Ct);
        using var page = await teacher.GetAsync("/", Ct);

        Assert.Equal(HttpStatusCode.OK, nextDay.StatusCode);
        var header = TeacherCookieHeader(nextDay);
        Assert.True(header is not null, "An API request the teacher cookie authorised did not issue it again after a day.");
        Assert.Contains(FormattableString.Invariant($"max-age={(long)TeacherAccess.CookieMaxAge.TotalSeconds}"), header, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(CookieHeader(nextDay, LearnerCookieMiddleware.CookieName)); // the learner cookie it is bound to slides too
        Assert.True(later.IsSuccessStatusCode, $"The slid cookies no longer make the teacher: {(int)later.StatusCode}.");
        Assert.Null(TeacherCookieHeader(later)); // once a day at most
        Assert.Null(CookieHeader(later, LearnerCookieMiddleware.CookieName));
        Assert.Null(TeacherCookieHeader(page));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Set-Cookie")); // machine callers get no cookies
        AssertNoErrorLogged(app);
    }

    private static string? CookieHeader(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.SingleOrDefault(c => c.StartsWith(name + "=", StringComparison.Ordinal))
            : null;

    private static string? TeacherCookieHeader(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.SingleOrDefault(c => c.StartsWith(TeacherAccess.CookieName + "=", StringComparison.Ordinal))
            : null;

    /// <summary>The real app on a clock the test moves.</summary>
    private sealed class ClockedAppFactory(string redisConfiguration, TimeProvider clock) : BlazorRedisAppFactory(redisConfiguration)
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            Microsoft.AspNetCore.TestHost.WebHostBuilderExtensions.ConfigureTestServices(builder, services => services.AddSingleton(clock));
        }
    }
}
