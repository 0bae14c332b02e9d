using System.Net;
using System.Net.Http.Json;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Api;

/// <summary>
/// The leaderboard's and the channel's API on the real app: the teacher reads and resets the leaderboard, posts,
/// mutes and unmutes, and a learner gets 403 on each and nothing changes; a learner of the class posts and reads the
/// channel, and a learner in no class, a muted one and bad text are refused with the reason.
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
        var joined = await client.PostAsJsonAsync("/api/classroom/join", new { code, nickname = name + Guid.NewGuid().ToString("N")[..8] }, Ct);
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

    [Fact]
    public async Task A_learner_posts_and_reads_the_channel_and_an_outsider_bad_text_a_muted_learner_and_a_flood_are_refused()
    {
        var (teacher, code) = await OpenAsync();
        using var disposeTeacher = teacher;
        var (learner, me) = await JoinAsync(code, "Cy");
        using var disposeLearner = learner;
        using var outsider = app.Factory.CreateHttpClient();
        async Task<IReadOnlyList<ClassChannelMessage>> History() => (await Channel.HistoryAsync(code)).Value;

        var posted = await learner.PostAsJsonAsync("/api/classroom/channel", new { text = "  Hello from curl  " }, Ct);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var message = (await posted.Content.ReadFromJsonAsync<ClassChannelMessage>(Ct))!;
        Assert.Equal((me.Learner, me.Nickname, "Hello from curl", code, false), (message.Learner, message.Nickname, message.Text, message.Code, message.FromTeacher));
        Assert.Contains(await History(), m => m.Id == message.Id);

        await Channel.MuteAsync(code, me.Learner);
        var muted = await learner.PostAsJsonAsync("/api/classroom/channel", new { text = "Still here?" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, muted.StatusCode);
        Assert.Contains("muted you", await muted.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await Channel.UnmuteAsync(code, me.Learner);

        // Classroom:ChatPostLimit (5) per 10 s: the first post and the muted one count, so three more pass and the next is refused.
        HttpResponseMessage last = null!;
        for (var i = 0; i < 4; i++)
        {
            last = await learner.PostAsJsonAsync("/api/classroom/channel", new { text = $"Message {i}" }, Ct);
        }

        // A limit like every other: 429 with Retry-After (whole seconds, within the 10 s window), not a 400.
        Assert.Equal(HttpStatusCode.TooManyRequests, last.StatusCode);
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType?.MediaType);
        Assert.InRange(last.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 10);
        Assert.Contains("posting too fast", await last.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // Refusals that spend nothing of the post limit; the history, for the learner and the teacher; 404 in no class.
        Assert.Contains((await learner.GetFromJsonAsync<ClassChannelMessage[]>("/api/classroom/channel", Ct))!, m => m.Id == message.Id);
        Assert.Contains((await teacher.GetFromJsonAsync<ClassChannelMessage[]>("/api/classroom/channel", Ct))!, m => m.Id == message.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync("/api/classroom/channel", Ct)).StatusCode);

        var stranger = await outsider.PostAsJsonAsync("/api/classroom/channel", new { text = "Let me in" }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        Assert.Contains("Join a class first", await stranger.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var flipped = await learner.PostAsJsonAsync("/api/classroom/channel", new { text = "flip\u202Eme" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, flipped.StatusCode);
        Assert.Contains("text direction", await flipped.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await learner.PostAsJsonAsync("/api/classroom/channel", new { text = "   " }, Ct)).StatusCode);
        var huge = await learner.PostAsJsonAsync("/api/classroom/channel", new { text = new string('x', 100_000) }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        Assert.Contains("at most", await huge.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await learner.PostAsync("/api/classroom/channel", JsonContent.Create(new { text = 42 }), Ct)).StatusCode);

        var texts = (await History()).Select(m => m.Text).ToList();
        Assert.Equal(["Hello from curl", "Message 0", "Message 1", "Message 2"], texts.Where(t => t is not "Hello class").TakeLast(4));
        Assert.DoesNotContain(texts, t => t is "Let me in" or "Still here?" or "Message 3" || t.StartsWith("flip", StringComparison.Ordinal));
    }
}
