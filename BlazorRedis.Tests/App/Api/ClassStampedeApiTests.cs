using System.Net;
using System.Net.Http.Json;
using BlazorRedis.App.Classroom;
using BlazorRedis.Core.Classroom;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Api;

/// <summary>
/// The class stampede's API on the real app: arming and listing rounds are the teacher's (a learner gets 403 and nothing
/// is armed); a learner of the class reads once within the window and gets their own wait; bad input is a 400.
/// </summary>
public class ClassStampedeApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ClassStampede Stampede => app.Factory.Services.GetRequiredService<ClassStampede>();

    private async Task<(HttpClient Client, ClassMembership Me)> JoinAsync(string code, string name)
    {
        var client = app.Factory.CreateHttpClient();
        var joined = await client.PostAsJsonAsync("/api/classroom/join", new { code, nickname = name + Guid.NewGuid().ToString("N")[..8] }, Ct);
        Assert.Equal(HttpStatusCode.OK, joined.StatusCode);
        return (client, (await joined.Content.ReadFromJsonAsync<ClassMembership>(Ct))!);
    }

    [Fact]
    public async Task Rounds_are_armed_by_the_teacher_and_read_by_learners_once_within_the_window()
    {
        using var teacher = await app.Factory.CreateTeacherClientAsync(Ct);
        var opened = await teacher.PostAsync("/api/classroom/class", null, Ct);
        var code = (await opened.Content.ReadFromJsonAsync<ClassInfo>(Ct))!.Code;
        var (a, _) = await JoinAsync(code, "Ada");
        var (b, _) = await JoinAsync(code, "Bob");
        using var disposeA = a;
        using var disposeB = b;
        var before = (await Stampede.ListAsync(code)).Value.Count;

        // A learner cannot arm or list rounds.
        var learnerArm = await a.PostAsJsonAsync("/api/classroom/class/stampedes", new { protection = "none", windowSeconds = 2 }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, learnerArm.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await a.GetAsync("/api/classroom/class/stampedes", Ct)).StatusCode);
        Assert.Equal(before, (await Stampede.ListAsync(code)).Value.Count);

        // Bad input: a clear 400, nothing armed.
        var coalescing = await teacher.PostAsJsonAsync("/api/classroom/class/stampedes", new { protection = "coalescing", windowSeconds = 2 }, Ct);
        var longWindow = await teacher.PostAsJsonAsync("/api/classroom/class/stampedes", new { protection = "lock", windowSeconds = 600 }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, coalescing.StatusCode);
        Assert.Contains("\\\"none\\\" or \\\"lock\\\"", await coalescing.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, longWindow.StatusCode);
        Assert.Contains("between 2 and 60 seconds", await longWindow.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var textWindow = new StringContent("""{"protection":"lock","windowSeconds":"10"}""", System.Text.Encoding.UTF8, "application/json");
        var textNumber = await teacher.PostAsync("/api/classroom/class/stampedes", textWindow, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, textNumber.StatusCode);
        Assert.Contains("\\\"windowSeconds\\\" must be a whole number between 2 and 60", await textNumber.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(before, (await Stampede.ListAsync(code)).Value.Count);

        // The teacher arms a round with no protection; both learners read at once: two loads.
        var armed = await teacher.PostAsJsonAsync("/api/classroom/class/stampedes", new { protection = "none", windowSeconds = 2 }, Ct);
        Assert.Equal(HttpStatusCode.OK, armed.StatusCode);
        var round = (await armed.Content.ReadFromJsonAsync<ClassStampedeRoundResponse>(Ct))!;
        Assert.Equal("none", round.Protection);
        var reads = await Task.WhenAll(new[] { a, b }.Select(c => c.PostAsync($"/api/classroom/stampedes/{round.Id}/read", null, Ct)));
        Assert.All(reads, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var mine = (await reads[0].Content.ReadFromJsonAsync<ClassStampedeRead>(Ct))!;
        Assert.Equal(StampedeReadSource.Database, mine.Source);
        Assert.True(mine.WaitMs > 0);

        var again = await a.PostAsync($"/api/classroom/stampedes/{round.Id}/read", null, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("already read", await again.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var outsider = app.Factory.CreateHttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.PostAsync($"/api/classroom/stampedes/{round.Id}/read", null, Ct)).StatusCode);

        var listed = (await teacher.GetFromJsonAsync<List<ClassStampedeRoundResponse>>("/api/classroom/class/stampedes", Ct))!;
        Assert.Equal(round.Id, listed[0].Id);
        Assert.Equal(2, listed[0].Readers);
        Assert.Equal(2, listed[0].DatabaseLoads);
        Assert.Equal(2, listed[0].Reads.Count);
    }
}
