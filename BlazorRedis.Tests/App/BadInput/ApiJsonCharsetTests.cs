using System.Text;

namespace BlazorRedis.Tests.App.BadInput;

/// <summary>
/// The good side of the content-type rule: JSON in UTF-8, however the charset parameter is spelled, reaches every JSON
/// endpoint (an app of its own: these requests succeed and change state, which the bad-input tables must not see).
/// </summary>
public class ApiJsonCharsetTests(BadInputAppFixture app) : IClassFixture<BadInputAppFixture>
{
    public static TheoryData<string, string> Utf8ContentTypes => new(
        ApiHeaderBadInputCases.JsonEndpoints.SelectMany(e => new[] { "application/json; charset=\"utf-8\"", "application/json;charset=\"UTF-8\"", "application/json; charset=utf-8" }
            .Select(type => (e.Name, type))));

    // charset="utf-8" is the same parameter as charset=utf-8 (RFC 9110 §5.6.6), and used to get 415 on every JSON endpoint.
    [Theory]
    [MemberData(nameof(Utf8ContentTypes))]
    public async Task A_utf8_charset_quoted_or_not_is_accepted_on_every_json_endpoint(string endpoint, string contentType)
    {
        var (_, method, path, body) = ApiHeaderBadInputCases.JsonEndpoints.Single(e => e.Name == endpoint);
        using var client = await app.Factory.CreateTeacherClientAsync(TestContext.Current.CancellationToken);
        using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        var status = (int)response.StatusCode;
        Assert.True(status != 415 && status < 500, $"{method} {path} with {contentType}: {status} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
    }
}
