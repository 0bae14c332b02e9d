using System.Net;
using System.Net.Http.Json;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Api;

/// <summary>The class API on the real app: learners join by code; opening, the roster, removing and closing are the teacher's.</summary>
public class ClassroomApiTests(AppFixture app, RedisServerFixture redis) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ClassService Classes => app.Factory.Services.GetRequiredService<ClassService>();

    private async Task<string> OpenAsync()
    {
        using var teacher = await app.Factory.CreateTeacherClientAsync(Ct);
        var response = await teacher.PostAsync("/api/classroom/class", null, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ClassInfo>(Ct))!.Code;
    }

    [Fact]
    public async Task A_learner_joins_by_code_and_the_teacher_sees_them_and_removes_them()
    {
        var code = await OpenAsync();
        using var learner = app.Factory.CreateHttpClient();

        var joined = await learner.PostAsJsonAsync("/api/classroom/join", new { code = code.ToLowerInvariant(), nickname = "Ada 🚀" }, Ct);

        Assert.Equal(HttpStatusCode.OK, joined.StatusCode);
        var membership = (await joined.Content.ReadFromJsonAsync<ClassMembership>(Ct))!;
        Assert.Equal("Ada 🚀", membership.Nickname);
        using var teacher = await app.Factory.CreateTeacherClientAsync(Ct);
        var roster = await teacher.GetFromJsonAsync<List<RosterEntry>>("/api/classroom/class/roster", Ct);
        Assert.Contains(roster!, r => r.Learner == membership.Learner && r.Nickname == "Ada 🚀");

        Assert.Equal(HttpStatusCode.NoContent, (await teacher.DeleteAsync($"/api/classroom/class/learners/{membership.Learner}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await teacher.DeleteAsync($"/api/classroom/class/learners/{membership.Learner}", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("", "400")]
    [InlineData("0OIL11", "400")]
    [InlineData("ZZZZZZ", "404")]
    public async Task A_bad_or_unknown_code_is_a_problem_and_nothing_joins(string code, string status)
    {
        await OpenAsync();
        using var learner = app.Factory.CreateHttpClient();

        var response = await learner.PostAsJsonAsync("/api/classroom/join", new { code, nickname = "Eve" }, Ct);

        Assert.Equal(status, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(app.Factory.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Theory]
    [InlineData("Ada\nLovelace", "control characters")]
    [InlineData("\u202Enimda", "text direction")]
    [InlineData("<script>alert(1)</script>", "< or >")]
    [InlineData("TENK", "at most 24")]
    public async Task A_bad_nickname_is_400_with_its_reason_and_changes_nothing(string nickname, string reason)
    {
        var code = await OpenAsync();
        var before = (await Classes.GetRosterAsync(code)).Value.Count;
        using var learner = app.Factory.CreateHttpClient();

        var response = await learner.PostAsJsonAsync("/api/classroom/join", new { code, nickname = nickname == "TENK" ? new string('x', 10_000) : nickname }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(before, (await Classes.GetRosterAsync(code)).Value.Count);
    }

    [Fact]
    public async Task A_duplicate_nickname_is_400()
    {
        var code = await OpenAsync();
        using var first = app.Factory.CreateHttpClient();
        using var second = app.Factory.CreateHttpClient();
        var name = "Dup" + Guid.NewGuid().ToString("N")[..6];
        Assert.Equal(HttpStatusCode.OK, (await first.PostAsJsonAsync("/api/classroom/join", new { code, nickname = name }, Ct)).StatusCode);

        var response = await second.PostAsJsonAsync("/api/classroom/join", new { code, nickname = name.ToUpperInvariant() }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("already called", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/api/classroom/class")]
    [InlineData("GET", "/api/classroom/class/roster")]
    [InlineData("DELETE", "/api/classroom/class")]
    [InlineData("DELETE", "/api/classroom/class/learners/0123456789abcdef0123456789abcdef")]
    public async Task A_learner_or_a_forged_teacher_cookie_gets_403_on_the_teachers_class_api(string method, string path)
    {
        var code = await OpenAsync();
        using var learner = app.Factory.CreateHttpClient();
        using var forged = new HttpRequestMessage(new HttpMethod(method), path);
        forged.Headers.Add("Cookie", "br-teacher=CfDJ8forgedforgedforged");

        var refused = await learner.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await learner.SendAsync(forged, Ct)).StatusCode);
        Assert.Equal(code, (await Classes.CurrentAsync())!.Code);

        // A read is refused as a read, a write as a write.
        var detail = (await refused.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>(Ct))!.Detail!;
        Assert.Contains(method == "GET" ? "only the teacher's browser can see it" : "only the teacher's browser can change it", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guessing_codes_from_one_address_soon_gets_429_with_retry_after()
    {
        await using var limited = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?> { ["Classroom:JoinAttemptLimit"] = "3" }).Start();
        using var guesser = limited.CreateHttpClient();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await guesser.PostAsJsonAsync("/api/classroom/join", new { code = "ZZZZZZ", nickname = "Eve" }, Ct)).StatusCode);
        }

        var refused = await guesser.PostAsJsonAsync("/api/classroom/join", new { code = "ZZZZZY", nickname = "Eve" }, Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Contains("Too many attempts; try again in", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
