using System.Net;
using System.Text.Json;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Api;

/// <summary>/openapi/v1.json describes the whole REST API, and the README names every path in it.</summary>
public class OpenApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head"];

    private async Task<JsonElement> DocumentAsync()
    {
        using var client = app.Factory.CreateHttpClient();
        using var response = await client.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return json.RootElement.Clone();
    }

    /// <summary>"GET /api/products/{id}" for every operation of the document.</summary>
    private static HashSet<string> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(m => Methods.Contains(m.Name)).Select(m => $"{m.Name.ToUpperInvariant()} {path.Name}"))
            .ToHashSet(StringComparer.Ordinal);

    [Fact]
    public async Task The_document_lists_every_api_endpoint_the_app_maps_each_with_a_summary()
    {
        var document = await DocumentAsync();
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);

        // What the app really routes, read from its endpoint data source (route constraints written as in OpenAPI).
        var mapped = app.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .ToHashSet(StringComparer.Ordinal);
        var described = Operations(document);

        Assert.NotEmpty(mapped);
        Assert.Empty(mapped.Except(described));
        Assert.Empty(described.Except(mapped));
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(m => Methods.Contains(m.Name)))
            {
                Assert.True(operation.Value.TryGetProperty("summary", out var summary) && summary.GetString()!.Length > 10, $"{operation.Name} {path.Name} has no summary.");
            }
        }
    }

    [Fact]
    public async Task The_readme_names_every_path_of_the_api()
    {
        var readme = SourceTree.Readme;
        var paths = (await DocumentAsync()).GetProperty("paths").EnumerateObject().Select(p => p.Name);

        // A path counts as named when the README writes it out (`GET /api/products/{id}`, or inside a longer command line).
        var missing = paths.Where(p => !readme.Contains(p, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "Not in the README: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Head_answers_like_get_and_other_methods_get_405_with_allow()
    {
        using var client = app.Factory.CreateHttpClient();
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/openapi/v1.json"), TestContext.Current.CancellationToken);
        using var post = await client.PostAsync("/openapi/v1.json", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal("application/problem+json", post.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["GET", "HEAD"], post.Content.Headers.Allow.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_unknown_openapi_document_is_a_404_that_says_so_not_the_html_page()
    {
        using var client = app.Factory.CreateHttpClient();
        using var response = await client.GetAsync("/openapi/v2.json", TestContext.Current.CancellationToken);

        // ASP.NET Core's OpenAPI endpoint writes its own plain-text reason, which the status-code pages leave alone.
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("v2", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
