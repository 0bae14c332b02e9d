using System.Net;
using System.Net.Http.Json;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Api;

/// <summary>
/// The leaderboard's and the channel's teacher API on the real app: the teacher reads and resets the leaderboard, posts,
/// mutes and unmutes; a learner gets 403 on each and nothing changes; bad text is a 400 with its reason.
/// </summary>
public class ClassExperimentsApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ClassService Classes => app.Factory.Services.GetRequiredService<ClassService>();

    private ClassChannel Channel => app.Factory.Services.GetRequiredService<ClassChannel>();

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
        var joined = await client.PostAsJsonAsync("/api/classroom/join", new { code, nickname = name + Guid.NewGuid().ToString("N")[..4] }, Ct);
        Assert.Equal(HttpStatusCode.OK, joined.StatusCode);
        return (client, (await joined.Content.ReadFromJsonAsync<ClassMembership>(Ct))!);
    }

    [Fact]
    public async Task The_teacher_reads_and_resets_the_leaderboard_and_a_learner_gets_403()
    {
        var (teacher, code) = await OpenAsync();
        using var disposeTeacher = teacher;
        var (learner, me) = await JoinAsync(code, "Ada");
        using var disposeLearner = learner;
        await Classes.ReportActionAsync(me, "Read product 1", points: 3);

        var top = await teacher.GetFromJsonAsync<LeaderboardEntry[]>("/api/classroom/class/leaderboard", Ct);
        Assert.Contains(top!, e => e.Learner == me.Learner && e.Score == 3);

        Assert.Equal(HttpStatusCode.Forbidden, (await learner.DeleteAsync("/api/classroom/class/leaderboard", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await learner.GetAsync("/api/classroom/class/leaderboard", Ct)).StatusCode);
        Assert.Equal(3, await app.Factory.Services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>().GetDatabase()
            .SortedSetScoreAsync(Classes.ClassKey(code, "leaderboard"), me.Learner));

        Assert.Equal(HttpStatusCode.OK, (await teacher.DeleteAsync("/api/classroom/class/leaderboard", Ct)).StatusCode);
        Assert.Empty((await teacher.GetFromJsonAsync<LeaderboardEntry[]>("/api/classroom/class/leaderboard", Ct))!);
    }

    [Fact]
    public async Task The_teacher_posts_mutes_and_unmutes_and_a_learner_gets_403_for_each()
    {
        var (teacher, code) = await OpenAsync();
        using var disposeTeacher = teacher;
        var (learner, me) = await JoinAsync(code, "Bob");
        using var disposeLearner = learner;

        Assert.Equal(HttpStatusCode.Forbidden, (await learner.PutAsync($"/api/classroom/class/learners/{me.Learner}/mute", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await learner.PostAsJsonAsync("/api/classroom/class/channel", new { text = "I am the teacher" }, Ct)).StatusCode);
        Assert.False(await Channel.IsMutedAsync(code, me.Learner));
        Assert.DoesNotContain((await Channel.HistoryAsync(code)).Value, m => m.Text == "I am the teacher");

        var posted = await teacher.PostAsJsonAsync("/api/classroom/class/channel", new { text = "Hello class" }, Ct);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.True((await posted.Content.ReadFromJsonAsync<ClassChannelMessage>(Ct))!.FromTeacher);
        var bad = await teacher.PostAsJsonAsync("/api/classroom/class/channel", new { text = "flip\u202Eme" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("text direction", await bad.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await teacher.PutAsync($"/api/classroom/class/learners/{me.Learner}/mute", null, Ct)).StatusCode);
        Assert.True(await Channel.IsMutedAsync(code, me.Learner));
        Assert.Equal(HttpStatusCode.Forbidden, (await learner.DeleteAsync($"/api/classroom/class/learners/{me.Learner}/mute", Ct)).StatusCode);
        Assert.True(await Channel.IsMutedAsync(code, me.Learner));
        Assert.Equal(HttpStatusCode.OK, (await teacher.DeleteAsync($"/api/classroom/class/learners/{me.Learner}/mute", Ct)).StatusCode);
        Assert.False(await Channel.IsMutedAsync(code, me.Learner));
        Assert.Equal(HttpStatusCode.BadRequest, (await teacher.PutAsync("/api/classroom/class/learners/not-a-learner/mute", null, Ct)).StatusCode);
    }
}
