using System.Net;
using System.Text;
using System.Text.Json;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.App.Http;

/// <summary>
/// A body or query an API endpoint cannot bind, on the real app over Kestrel: 400 problem+json whose detail says what is
/// wrong (the body's expected fields, or the query parameter and what it takes), never a bare "Bad Request".
/// </summary>
public class UnboundRequestTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("POST", "/api/classroom/join", """{"code":""", "\"code\"")]
    [InlineData("POST", "/api/classroom/join", "[]", "\"nickname\"")]
    [InlineData("POST", "/api/pubsub/publish", """{"channel":""", "\"message\"")]
    [InlineData("POST", "/api/session/login", """{"username":""", "\"username\"")]
    [InlineData("POST", "/api/cache/stampede", """{"requests":1.5,"protection":"lock"}""", "\"requests\"")]
    [InlineData("POST", "/api/classroom/polls/x/answer", """{"choices":[99999999999]}""", "\"choices\"")]
    [InlineData("POST", "/api/classroom/class/pause", """{"paused":null}""", "\"paused\"")]
    [InlineData("PUT", "/api/catalog/latency", """{"latencyMs":99999999999}""", "\"latencyMs\"")]
    [InlineData("POST", "/api/classroom/channel", """{"text":"\ud800"}""", "\"text\"")]
    [InlineData("GET", "/api/products/1?bypassCache=yes", null, "\"bypassCache\" must be true or false")]
    public async Task A_request_that_does_not_bind_gets_a_problem_that_says_what_is_wrong(string method, string path, string? body, string says)
    {
        using var client = await app.Factory.CreateTeacherClientAsync(Ct);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request, Ct);

        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        var explained = problem.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString()
            : problem.RootElement.TryGetProperty("errors", out var errors)
                ? string.Join(' ', errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray()).Select(m => m.GetString()))
                : null;
        Assert.Contains(says, explained ?? "", StringComparison.Ordinal);
    }
}
