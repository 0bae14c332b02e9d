using System.Net;
using BlazorRedis.App.Hosting;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Security;

/// <summary>
/// The learner id is printed in every trace (and was in the rate-limiting page's curl line), so it must not be what
/// the cookie carries: the cookie holds a Data Protection token, and a bare id is answered with a new learner.
/// </summary>
public class LearnerCookieTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LearnerTokens Tokens => app.Factory.Services.GetRequiredService<LearnerTokens>();

    [Fact]
    public async Task The_cookie_holds_a_protected_token_and_not_the_id_the_traces_show()
    {
        using var response = await GetAsync("/rate-limiting", cookie: null);

        var token = IssuedCookie(response);
        Assert.NotNull(token);
        Assert.False(LearnerId.TryParse(token, out _));
        Assert.True(Tokens.TryReadCookie(token, out var learner));
        Assert.False(Tokens.TryReadRateLimit(token, out _));

        // The page works for the learner the token names.
        Assert.Contains("learner-" + learner.Value, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_token_keeps_its_learner_and_issues_nothing_new()
    {
        var learner = LearnerId.New();

        using var response = await GetAsync("/rate-limiting", Tokens.ForCookie(learner));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(IssuedCookie(response));
        Assert.Contains("learner-" + learner.Value, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bare_learner_id_read_off_a_projector_does_not_act_as_that_learner()
    {
        var victim = LearnerId.New();

        using var response = await GetAsync("/rate-limiting", victim.Value);

        var issued = IssuedCookie(response);
        Assert.NotNull(issued);
        Assert.True(Tokens.TryReadCookie(issued, out var fresh));
        Assert.NotEqual(victim, fresh);
        var page = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain(victim.Value, page, StringComparison.Ordinal);
        Assert.Contains("learner-" + fresh.Value, page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("rate-limit token")]
    [InlineData("garbage")]
    [InlineData("huge")]
    [InlineData("bad issue time")]
    [InlineData("extra field")]
    public async Task A_cookie_this_app_did_not_issue_gets_a_new_learner(string kind)
    {
        var learner = LearnerId.New();
        var token = Tokens.ForCookie(learner);
        var protector = app.Factory.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(LearnerTokens.CookiePurpose);
        var cookie = kind switch
        {
            "tampered" => token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1],
            "rate-limit token" => Tokens.ForRateLimit(learner),
            "garbage" => "CfDJ8%%%not-base64",
            "bad issue time" => protector.Protect(learner.Value + "|yesterday"),
            "extra field" => protector.Protect(learner.Value + "|1|2"),
            _ => new string('A', 3000),
        };

        using var response = await GetAsync("/rate-limiting", cookie);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Tokens.TryReadCookie(IssuedCookie(response), out var fresh));
        Assert.NotEqual(learner, fresh);
    }

    [Fact]
    public async Task A_cookie_older_than_a_day_is_issued_again_for_the_same_learner_with_the_full_lifetime()
    {
        var learner = LearnerId.New();
        var old = Tokens.ForCookie(learner, DateTimeOffset.UtcNow - LearnerTokens.CookieRefreshAfter - TimeSpan.FromMinutes(1));

        using var response = await GetAsync("/rate-limiting", old);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("learner-" + learner.Value, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var issued = IssuedCookie(response);
        Assert.NotEqual(old, issued);
        Assert.True(Tokens.TryReadCookie(issued, out var same, out var stale));
        Assert.Equal(learner, same);
        Assert.False(stale);
        AssertFullLifetime(response);
    }

    [Fact]
    public async Task A_cookie_issued_before_it_carried_its_issue_time_keeps_its_learner_and_is_issued_again()
    {
        var learner = LearnerId.New();
        var provider = app.Factory.Services.GetRequiredService<IDataProtectionProvider>();
        var earlier = provider.CreateProtector(LearnerTokens.CookiePurpose).Protect(learner.Value);

        using var response = await GetAsync("/rate-limiting", earlier);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("learner-" + learner.Value, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.True(Tokens.TryReadCookie(IssuedCookie(response), out var same, out var stale));
        Assert.Equal(learner, same);
        Assert.False(stale);
    }

    [Fact]
    public async Task The_cookie_outlives_a_browser_restart_as_long_as_progress_and_the_teacher_cookie()
    {
        using var response = await GetAsync("/", cookie: null);

        AssertFullLifetime(response);
    }

    private void AssertFullLifetime(HttpResponseMessage response)
    {
        var header = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(LearnerCookieMiddleware.CookieName + "=", StringComparison.Ordinal));
        var maxAge = header.Split(';').Select(p => p.Trim()).SingleOrDefault(p => p.StartsWith("max-age=", StringComparison.OrdinalIgnoreCase));
        Assert.True(maxAge is not null, $"A session cookie, gone when the browser closes: {header}");
        var seconds = long.Parse(maxAge["max-age=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var progressDays = app.Factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<BlazorRedis.Core.Lessons.LessonOptions>>().Value.ProgressDays;
        Assert.True(seconds >= TimeSpan.FromDays(progressDays).TotalSeconds, header);
        Assert.True(seconds >= BlazorRedis.App.Classroom.TeacherAccess.CookieMaxAge.TotalSeconds, header);
        Assert.Contains("expires=", header, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? cookie)
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"{LearnerCookieMiddleware.CookieName}={cookie}");
        }

        return await client.SendAsync(request, Ct);
    }

    private static string? IssuedCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Where(c => c.StartsWith(LearnerCookieMiddleware.CookieName + "=", StringComparison.Ordinal))
                .Select(c => c[(LearnerCookieMiddleware.CookieName.Length + 1)..].Split(';')[0])
                .SingleOrDefault()
            : null;
}
