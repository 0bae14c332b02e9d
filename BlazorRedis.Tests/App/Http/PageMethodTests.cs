using System.Net;
using System.Text;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.App.Http;

/// <summary>
/// Methods the app does not take, on the real app over Kestrel: an unknown API path is a 404 problem whatever the method;
/// HEAD on a page answers like GET without a body; a write method on a page gets a plain 405 (or 404 for no page),
/// not the antiforgery check's developer text or an empty body.
/// </summary>
public class PageMethodTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("POST")]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public async Task An_unknown_api_path_is_a_404_problem_whatever_the_method(string method)
    {
        using var client = app.Factory.CreateHttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), "/api/xyz");

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/course")]
    [InlineData("/teacher")]
    public async Task Head_on_a_page_answers_200_like_get_without_a_body(string path)
    {
        using var client = app.Factory.CreateHttpClient();
        using var get = await client.GetAsync(path, Ct);
        using var request = new HttpRequestMessage(HttpMethod.Head, path);

        using var head = await client.SendAsync(request, Ct);

        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(Ct));
    }

    // curl -I /api/products/1 answered 405 with Allow: DELETE, GET, PUT.
    [Theory]
    [InlineData("/api/products/1")]
    [InlineData("/api/products")]
    [InlineData("/api/cache/stats")]
    [InlineData("/api/session/me")]
    public async Task Head_on_an_api_path_that_takes_get_answers_like_get_without_a_body(string path)
    {
        using var client = app.Factory.CreateHttpClient();
        using var get = await client.GetAsync(path, Ct);
        using var request = new HttpRequestMessage(HttpMethod.Head, path);

        using var head = await client.SendAsync(request, Ct);

        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(Ct));
        Assert.Empty(head.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("OPTIONS", "/api/products/1", HttpStatusCode.NoContent, "DELETE, GET, HEAD, OPTIONS, PUT")]
    [InlineData("OPTIONS", "/api/pubsub/publish", HttpStatusCode.NoContent, "OPTIONS, POST")]
    [InlineData("PATCH", "/api/products/1", HttpStatusCode.MethodNotAllowed, "DELETE, GET, HEAD, OPTIONS, PUT")]
    [InlineData("HEAD", "/api/pubsub/publish", HttpStatusCode.MethodNotAllowed, "OPTIONS, POST")]
    [InlineData("GET", "/api/pubsub/publish", HttpStatusCode.MethodNotAllowed, "OPTIONS, POST")]
    public async Task Options_lists_an_api_paths_methods_and_a_405_lists_the_same_including_head(string method, string path, HttpStatusCode status, string allow)
    {
        using var client = app.Factory.CreateHttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
    }

    [Theory]
    [InlineData("POST", "/")]
    [InlineData("POST", "/teacher")]
    [InlineData("POST", "/xyz")]
    [InlineData("PUT", "/")]
    [InlineData("OPTIONS", "/")]
    [InlineData("DELETE", "/course")]
    public async Task A_write_method_on_a_page_gets_a_plain_405(string method, string path)
    {
        using var client = app.Factory.CreateHttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("x=1", Encoding.UTF8, "application/x-www-form-urlencoded") };

        using var response = await client.SendAsync(request, Ct);

        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.MethodNotAllowed, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("GET, HEAD", string.Join(", ", response.Content.Headers.Allow));
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("only for reading", text, StringComparison.Ordinal);
        Assert.DoesNotContain("antiforgery", text, StringComparison.OrdinalIgnoreCase);
    }
}
