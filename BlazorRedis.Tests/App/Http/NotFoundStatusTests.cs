using System.Net;
using System.Net.Http.Headers;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.App.Http;

/// <summary>
/// On the real app over Kestrel: an address that names nothing answers 404 on the first request, still with the friendly
/// HTML page and its links (an unknown lesson, the not-found page itself, any unknown path). Navigating inside a circuit
/// has no status to set: there an unknown lesson shows its own "No such lesson" text (LessonPageTests).
/// </summary>
public class NotFoundStatusTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/course/zzz")]
    [InlineData("/not-found")]
    [InlineData("/no/such/page")]
    public async Task An_address_that_names_nothing_is_a_404_with_the_friendly_page(string path)
    {
        using var client = app.Factory.CreateHttpClient();

        using var response = await client.GetAsync(path, Ct);

        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{(int)response.StatusCode} for {path}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("There is nothing at this address", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/course\"", html, StringComparison.Ordinal); // the menu's links
    }

    [Fact]
    public async Task A_known_lesson_is_still_200()
    {
        using var client = app.Factory.CreateHttpClient();
        using var course = await client.GetAsync("/course", Ct);
        var first = System.Text.RegularExpressions.Regex.Match(await course.Content.ReadAsStringAsync(Ct), "href=\"/course/([a-z0-9-]+)\"");
        Assert.True(first.Success, "The course page links no lesson.");

        using var response = await client.GetAsync($"/course/{first.Groups[1].Value}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_range_past_the_end_of_a_static_file_is_a_416_without_the_not_found_page()
    {
        using var client = app.Factory.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/app.css");
        request.Headers.Range = new RangeHeaderValue(999_999_999, null);

        using var response = await client.SendAsync(request, Ct);

        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.DoesNotContain("<html", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("nothing at this address", body, StringComparison.Ordinal);
    }
}
