using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Api;

/// <summary>The real app on Kestrel with a 10-per-60-s limit, so one burst surely fits in one window.</summary>
public sealed class RateLimitApiTests(RedisServerFixture redis) : IAsyncLifetime
{
    private BlazorRedisAppFactory _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Algorithms() => ["fixed-window", "sliding-log", "sliding-counter", "token-bucket"];

    public ValueTask InitializeAsync()
    {
        _app = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?>
        {
            ["RateLimiting:PermitLimit"] = "10",
            ["RateLimiting:WindowSeconds"] = "60",
        }).Start();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task Thirty_sequential_requests_within_one_window_allow_exactly_ten(string algorithm)
    {
        using var client = _app.CreateHttpClient();
        var learner = NewToken();
        await WaitForRoomInWindowAsync();

        var clock = Stopwatch.StartNew();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            using var response = await client.GetAsync($"/api/limited/{algorithm}?learner={learner}", Ct);
            statuses.Add(response.StatusCode);
        }

        clock.Stop();
        var allowed = statuses.Count(s => s == HttpStatusCode.OK);
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        if (algorithm == "token-bucket")
        {
            // Capacity 10, refilled at 10 per 60 s: at most what dripped in while the burst ran.
            var refilled = (int)Math.Floor(clock.Elapsed.TotalSeconds * 10 / 60);
            Assert.InRange(allowed, 10, 10 + refilled);
        }
        else
        {
            Assert.Equal(10, allowed);
        }

        Assert.All(statuses.Take(10), s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task A_hundred_concurrent_requests_never_allow_more_than_the_limit(string algorithm)
    {
        using var client = _app.CreateHttpClient();
        var learner = NewToken();
        await WaitForRoomInWindowAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => client.GetAsync($"/api/limited/{algorithm}?learner={learner}", Ct)));

        var allowed = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        Assert.InRange(allowed, 1, 10);
        Assert.Equal(100 - allowed, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Allowed_answers_carry_the_limit_and_what_remains()
    {
        using var client = _app.CreateHttpClient();
        var learner = LearnerId.New();
        client.DefaultRequestHeaders.Add("X-Learner-Id", Tokens.ForRateLimit(learner));

        using var first = await client.GetAsync("/api/limited/sliding-log", Ct);
        using var second = await client.GetAsync("/api/limited/sliding-log", Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("10", Header(first, "X-RateLimit-Limit"));
        Assert.Equal("9", Header(first, "X-RateLimit-Remaining"));
        Assert.Equal("8", Header(second, "X-RateLimit-Remaining"));
        var body = await second.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("sliding-log", body.GetProperty("algorithm").GetString());
        Assert.Equal("learner-" + learner.Value, body.GetProperty("partition").GetString());
        Assert.Equal("redis", body.GetProperty("decidedBy").GetString());
    }

    [Fact]
    public async Task A_rejected_request_is_429_with_retry_after_in_whole_seconds_and_the_same_headers()
    {
        using var client = _app.CreateHttpClient();
        var learner = NewToken();
        for (var i = 0; i < 10; i++)
        {
            (await client.GetAsync($"/api/limited/sliding-log?learner={learner}", Ct)).Dispose();
        }

        using var rejected = await client.GetAsync($"/api/limited/sliding-log?learner={learner}", Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        Assert.InRange(int.Parse(Header(rejected, "Retry-After")!, System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal("10", Header(rejected, "X-RateLimit-Limit"));
        Assert.Equal("0", Header(rejected, "X-RateLimit-Remaining"));
        Assert.Equal("application/problem+json", rejected.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Clients_without_a_learner_id_are_limited_by_address_apart_from_learners()
    {
        using var client = _app.CreateHttpClient();
        for (var i = 0; i < 10; i++)
        {
            (await client.GetAsync("/api/limited/fixed-window", Ct)).Dispose();
        }

        using var byAddress = await client.GetAsync("/api/limited/fixed-window", Ct);
        using var asLearner = await client.GetAsync($"/api/limited/fixed-window?learner={NewToken()}", Ct);
        var body = await asLearner.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, byAddress.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asLearner.StatusCode);
        Assert.StartsWith("learner-", body.GetProperty("partition").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_algorithm_is_404_and_counts_nothing()
    {
        using var client = _app.CreateHttpClient();

        using var response = await client.GetAsync("/api/limited/leaky-bucket", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("token-bucket", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-learner")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("%0d%0a")]
    public async Task A_malformed_learner_id_is_400_with_a_field_error(string learner)
    {
        using var client = _app.CreateHttpClient();

        using var response = await client.GetAsync($"/api/limited/fixed-window?learner={learner}", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(body.GetProperty("errors").TryGetProperty("learner", out _));
    }

    [Fact]
    public async Task A_learner_id_read_off_a_trace_cannot_spend_that_learners_budget()
    {
        using var client = _app.CreateHttpClient();
        var victim = LearnerId.New();
        var cookieToken = _app.Services.GetRequiredService<BlazorRedis.App.Hosting.LearnerTokens>().ForCookie(victim);

        using var byHeader = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/limited/sliding-log") { Headers = { { "X-Learner-Id", victim.Value } } }, Ct);
        using var byQuery = await client.GetAsync($"/api/limited/sliding-log?learner={victim.Value}", Ct);
        using var byCookieToken = await client.GetAsync($"/api/limited/sliding-log?learner={Uri.EscapeDataString(cookieToken)}", Ct);
        using var byOwnToken = await client.GetAsync($"/api/limited/sliding-log?learner={Uri.EscapeDataString(Tokens.ForRateLimit(victim))}", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, byHeader.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, byQuery.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, byCookieToken.StatusCode);
        Assert.Contains("token", await byHeader.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // None of the refused requests took a permit: the token the learner's own page mints finds the whole budget.
        Assert.Equal(HttpStatusCode.OK, byOwnToken.StatusCode);
        Assert.Equal("9", Header(byOwnToken, "X-RateLimit-Remaining"));
        Assert.Equal("learner-" + victim.Value, (await byOwnToken.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("partition").GetString());
    }

    // A good token beside a bad one (in the header and the query, or the query twice) used to be taken, the bad one
    // ignored, and a permit of the good one's budget spent.
    [Fact]
    public async Task More_than_one_token_is_400_and_spends_nothing()
    {
        using var client = _app.CreateHttpClient();
        var learner = LearnerId.New();
        var token = Tokens.ForRateLimit(learner);

        using var headerAndQuery = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/limited/sliding-log?learner=garbage") { Headers = { { "X-Learner-Id", token } } }, Ct);
        using var queryTwice = await client.GetAsync($"/api/limited/sliding-log?learner={token}&learner=garbage", Ct);
        using var sameTwice = await client.GetAsync($"/api/limited/sliding-log?learner={token}&learner={token}", Ct);

        foreach (var refused in new[] { headerAndQuery, queryTwice, sameTwice })
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var body = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Contains("one rate-limit token", body.GetProperty("errors").GetProperty("learner")[0].GetString(), StringComparison.Ordinal);
        }

        using var alone = await client.GetAsync($"/api/limited/sliding-log?learner={token}", Ct);
        Assert.Equal(HttpStatusCode.OK, alone.StatusCode);
        Assert.Equal("9", Header(alone, "X-RateLimit-Remaining"));
    }

    private BlazorRedis.App.Hosting.LearnerTokens Tokens => _app.Services.GetRequiredService<BlazorRedis.App.Hosting.LearnerTokens>();

    /// <summary>The rate-limit token of a new learner, as the rate-limiting page shows it (URL-safe already).</summary>
    private string NewToken() => Tokens.ForRateLimit(LearnerId.New());

    private async Task WaitForRoomInWindowAsync()
    {
        var lab = _app.Services.GetRequiredService<RateLimitLab>();
        await lab.WaitForRoomInWindowAsync(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(20), Ct);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;
}

/// <summary>The app pointed at a closed port: Redis is unreachable for the whole test.</summary>
public sealed class RateLimitApiOutageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Failing_open_the_api_allows_and_says_so()
    {
        await using var app = Start(failOpen: true);
        using var client = app.CreateHttpClient();

        using var response = await client.GetAsync($"/api/limited/fixed-window?learner={Token(app)}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("fail-open", body.GetProperty("decidedBy").GetString());
    }

    [Fact]
    public async Task Failing_closed_the_api_answers_503_with_retry_after()
    {
        await using var app = Start(failOpen: false);
        using var client = app.CreateHttpClient();

        using var response = await client.GetAsync($"/api/limited/token-bucket?learner={Token(app)}", Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.TryGetValues("Retry-After", out var retry));
        Assert.Equal("1", retry.Single());
        Assert.Contains("fail closed", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    private static string Token(BlazorRedisAppFactory app) =>
        app.Services.GetRequiredService<BlazorRedis.App.Hosting.LearnerTokens>().ForRateLimit(LearnerId.New());

    private static BlazorRedisAppFactory Start(bool failOpen) =>
        new BlazorRedisAppFactory($"127.0.0.1:{EmbeddedRedisServer.FreeLoopbackPort()},abortConnect=false,connectTimeout=200,asyncTimeout=300", new Dictionary<string, string?>
        {
            ["RateLimiting:FailOpen"] = failOpen ? "true" : "false",
            ["Redis:CommandTimeoutMs"] = "300",
        }).Start();
}
