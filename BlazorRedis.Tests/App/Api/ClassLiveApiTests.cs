using System.Net;
using System.Net.Http.Json;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Api;

/// <summary>
/// The live class's API on the real app: pause, "bring everyone here", rename and polls are the teacher's (a learner
/// gets 403 and nothing changes); a learner of the class answers a poll once; bad input is a 400 with its reason.
/// </summary>
public class ClassLiveApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ClassService Classes => app.Factory.Services.GetRequiredService<ClassService>();

    private ClassPolls Polls => app.Factory.Services.GetRequiredService<ClassPolls>();

    private async Task<(HttpClient Teacher, string Code)> OpenAsync()
    {
        var teacher = await app.Factory.CreateTeacherClientAsync(Ct);
        var response = await teacher.PostAsync("/api/classroom/class", null, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (teacher, (await response.Content.ReadFromJsonAsync<ClassInfo>(Ct))!.Code);
    }

    private async Task<(HttpClient Client, ClassMembership Me)> JoinAsync(string code, string name)
    {
        var client = app.Factory.CreateHttpClient();
        // Every test of the class joins the one open class: 8 random hex digits keep the nicknames apart.
        var joined = await client.PostAsJsonAsync("/api/classroom/join", new { code, nickname = name + Guid.NewGuid().ToString("N")[..8] }, Ct);
        Assert.True(joined.StatusCode == HttpStatusCode.OK, $"join answered {(int)joined.StatusCode}: {await joined.Content.ReadAsStringAsync(Ct)}");
        return (client, (await joined.Content.ReadFromJsonAsync<ClassMembership>(Ct))!);
    }

    [Fact]
    public async Task The_teacher_pauses_resumes_and_brings_everyone_through_the_api()
    {
        var (teacher, code) = await OpenAsync();
        using var disposeTeacher = teacher;

        var paused = await teacher.PostAsJsonAsync("/api/classroom/class/pause", new { paused = true }, Ct);
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.True((await paused.Content.ReadFromJsonAsync<ClassInfo>(Ct))!.Paused);
        Assert.True(await Classes.IsPausedAsync(code));

        Assert.Equal(HttpStatusCode.OK, (await teacher.PostAsJsonAsync("/api/classroom/class/pause", new { paused = false }, Ct)).StatusCode);
        Assert.False(await Classes.IsPausedAsync(code));

        var brought = await teacher.PostAsJsonAsync("/api/classroom/class/bring", new { path = "/caching/stampede" }, Ct);
        Assert.Equal(HttpStatusCode.OK, brought.StatusCode);
        Assert.Equal("/caching/stampede", (await Classes.GetInfoAsync(code))!.TeacherPage);

        var offsite = await teacher.PostAsJsonAsync("/api/classroom/class/bring", new { path = "https://evil.example/" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, offsite.StatusCode);
        Assert.Contains("Only a page of this app", await offsite.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal("/caching/stampede", (await Classes.GetInfoAsync(code))!.TeacherPage);
    }

    [Theory]
    [InlineData("/teacher")]
    [InlineData("/api/classroom/class")]
    public async Task Bringing_everyone_to_the_teachers_page_or_the_api_is_400_and_changes_nothing(string path)
    {
        var (teacher, code) = await OpenAsync();
        using var disposeTeacher = teacher;
        Assert.Equal(HttpStatusCode.OK, (await teacher.PostAsJsonAsync("/api/classroom/class/bring", new { path = "/sessions" }, Ct)).StatusCode);

        var refused = await teacher.PostAsJsonAsync("/api/classroom/class/bring", new { path }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Nothing was changed", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal("/sessions", (await Classes.GetInfoAsync(code))!.TeacherPage);
    }

    [Fact]
    public async Task The_teacher_renames_a_learner_and_a_taken_or_bad_name_is_400()
    {
        var (teacher, code) = await OpenAsync();
        using var disposeTeacher = teacher;
        var (a, ada) = await JoinAsync(code, "Ada");
        var (b, bob) = await JoinAsync(code, "Bob");
        using var disposeA = a;
        using var disposeB = b;

        var taken = await teacher.PutAsJsonAsync($"/api/classroom/class/learners/{ada.Learner}/nickname", new { nickname = bob.Nickname.ToUpperInvariant() }, Ct);
        var huge = await teacher.PutAsJsonAsync($"/api/classroom/class/learners/{ada.Learner}/nickname", new { nickname = new string('x', 10_000) }, Ct);
        var stranger = await teacher.PutAsJsonAsync("/api/classroom/class/learners/not-a-learner/nickname", new { nickname = "Zed" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, stranger.StatusCode);
        Assert.Contains((await Classes.GetRosterAsync(code)).Value, r => r.Learner == ada.Learner && r.Nickname == ada.Nickname);

        var renamed = await teacher.PutAsJsonAsync($"/api/classroom/class/learners/{ada.Learner}/nickname", new { nickname = "Countess" }, Ct);
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Contains((await Classes.GetRosterAsync(code)).Value, r => r.Learner == ada.Learner && r.Nickname == "Countess");
    }

    [Fact]
    public async Task A_poll_pushed_through_the_api_is_answered_once_per_learner_tallied_closed_and_revealed()
    {
        var (teacher, code) = await OpenAsync();
        using var disposeTeacher = teacher;
        var (a, _) = await JoinAsync(code, "Ada");
        using var disposeA = a;
        using var outsider = app.Factory.CreateHttpClient();

        var pushed = await teacher.PostAsJsonAsync("/api/classroom/class/polls", new { question = "Which reads a hash field?", options = new[] { "GET", "HGET" } }, Ct);
        Assert.Equal(HttpStatusCode.OK, pushed.StatusCode);
        var poll = (await pushed.Content.ReadFromJsonAsync<ClassPoll>(Ct))!;

        Assert.Equal(HttpStatusCode.NoContent, (await a.PostAsJsonAsync($"/api/classroom/polls/{poll.Id}/answer", new { choices = new[] { 1 } }, Ct)).StatusCode);
        var twice = await a.PostAsJsonAsync($"/api/classroom/polls/{poll.Id}/answer", new { choices = new[] { 0 } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Contains("already answered", await twice.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.PostAsJsonAsync($"/api/classroom/polls/{poll.Id}/answer", new { choices = new[] { 0 } }, Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await teacher.PostAsync($"/api/classroom/class/polls/{poll.Id}/close", null, Ct)).StatusCode);
        var revealed = await teacher.PostAsJsonAsync($"/api/classroom/class/polls/{poll.Id}/reveal", new { correct = new[] { 1 } }, Ct);
        Assert.Equal(HttpStatusCode.OK, revealed.StatusCode);

        var list = await teacher.GetFromJsonAsync<List<ClassPoll>>("/api/classroom/class/polls", Ct);
        var read = list![0]; // newest first (other tests of this class share the open class)
        Assert.Equal(poll.Id, read.Id);
        Assert.Equal([0L, 1L], read.Counts);
        Assert.Equal(PollState.Revealed, read.State);
        Assert.Equal([1], read.Correct);
    }

    [Theory]
    [InlineData("""{"pause":true}""")]
    [InlineData("{}")]
    [InlineData("""{"paused":null}""")]
    public async Task A_pause_body_without_paused_is_400_and_the_class_stays_paused(string body)
    {
        var (teacher, code) = await OpenAsync();
        using var disposeTeacher = teacher;
        await Classes.SetPausedAsync(code, true);

        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await teacher.PostAsync("/api/classroom/class/pause", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Say whether to pause", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.True(await Classes.IsPausedAsync(code));
    }

    [Theory]
    [InlineData("""{"question":"","options":["a","b"]}""", "empty")]
    [InlineData("""{"question":"Q","options":["a"]}""", "at least 2")]
    [InlineData("""{"question":"Q","options":["a","b","c","d","e","f","g"]}""", "at most 6")]
    [InlineData("""{"question":"Q"}""", "at least 2")]
    [InlineData("TENK", "too long")]
    public async Task A_bad_poll_is_400_with_its_reason_and_nothing_is_pushed(string body, string reason)
    {
        var (teacher, code) = await OpenAsync();
        using var disposeTeacher = teacher;
        var before = (await Polls.ListAsync(code)).Value.Count;
        var json = body == "TENK" ? $$"""{"question":"{{new string('q', 10_000)}}","options":["a","b"]}""" : body;

        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        var response = await teacher.PostAsync("/api/classroom/class/polls", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(before, (await Polls.ListAsync(code)).Value.Count);
        Assert.DoesNotContain(app.Factory.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Theory]
    [InlineData("POST", "/api/classroom/class/pause", """{"paused":true}""")]
    [InlineData("POST", "/api/classroom/class/bring", """{"path":"/sessions"}""")]
    [InlineData("PUT", "/api/classroom/class/learners/LEARNER/nickname", """{"nickname":"Hacked"}""")]
    [InlineData("POST", "/api/classroom/class/polls", """{"question":"Mine?","options":["a","b"]}""")]
    [InlineData("GET", "/api/classroom/class/polls", null)]
    [InlineData("POST", "/api/classroom/class/polls/POLL/close", null)]
    [InlineData("POST", "/api/classroom/class/polls/POLL/reveal", """{"correct":[0]}""")]
    public async Task A_learner_gets_403_for_the_teachers_live_controls_and_nothing_changes(string method, string path, string? body)
    {
        var (teacher, code) = await OpenAsync();
        using var disposeTeacher = teacher;
        await Classes.SetPausedAsync(code, false);
        var (learner, me) = await JoinAsync(code, "Eve");
        using var disposeLearner = learner;
        var poll = (await Polls.PushAsync(code, "Teacher's question", ["a", "b"], false)).Value;
        var pageBefore = (await Classes.GetInfoAsync(code))!.TeacherPage;
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("LEARNER", me.Learner, StringComparison.Ordinal).Replace("POLL", poll.Id, StringComparison.Ordinal));
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        var response = await learner.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var info = (await Classes.GetInfoAsync(code))!;
        Assert.False(info.Paused);
        Assert.Equal(pageBefore, info.TeacherPage);
        Assert.Contains((await Classes.GetRosterAsync(code)).Value, r => r.Learner == me.Learner && r.Nickname == me.Nickname);
        var latest = (await Polls.LatestAsync(code))!;
        Assert.Equal((poll.Id, PollState.Open), (latest.Id, latest.State));
        Assert.Empty(latest.Correct);
    }
}
