using System.Net;
using BlazorRedis.Core.Connection;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.App.Api;

public class HealthTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Health_is_200_Healthy_when_redis_answers()
    {
        using var client = app.Factory.CreateHttpClient();

        using var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Health_is_503_with_a_reason_when_redis_is_stopped()
    {
        // A Redis of this test's own, so stopping it disturbs no other test.
        var server = await EmbeddedRedisServer.StartAsync(new EmbeddedRedisOptions(), cancellationToken: TestContext.Current.CancellationToken);
        await using var factory = new BlazorRedisAppFactory($"{server.EndPoint},connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000").Start();
        using var client = factory.CreateHttpClient();
        using (var up = await client.GetAsync("/health", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, up.StatusCode);
        }

        server.Dispose();

        using var down = await client.GetAsync("/health", TestContext.Current.CancellationToken);
        var body = await down.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.StartsWith("Unhealthy: redis:", body, StringComparison.Ordinal);
        Assert.Contains("Redis", body[8..], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DELETE")]
    [InlineData("PUT")]
    [InlineData("POST")]
    [InlineData("PATCH")]
    [InlineData("TRACE")]
    [InlineData("OPTIONS")]
    public async Task Health_answers_other_methods_with_405_and_allows_get_and_head(string method)
    {
        using var client = app.Factory.CreateHttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), "/health");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET, HEAD", string.Join(", ", response.Content.Headers.Allow.Order(StringComparer.Ordinal)));
        Assert.DoesNotContain("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_answers_head_like_get()
    {
        using var client = app.Factory.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Head, "/health");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_api_paths_get_a_plain_404_not_the_html_page()
    {
        using var client = app.Factory.CreateHttpClient();

        using var response = await client.GetAsync("/api/does-not-exist", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("<html", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task First_page_visit_issues_an_httponly_learner_cookie()
    {
        using var client = app.Factory.CreateHttpClient();

        using var response = await client.GetAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("br-learner=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Unknown_pages_show_the_not_found_page()
    {
        using var client = app.Factory.CreateHttpClient();

        using var response = await client.GetAsync("/no/such/page", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("There is nothing at this address", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
