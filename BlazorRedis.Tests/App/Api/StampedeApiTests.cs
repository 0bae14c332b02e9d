using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorRedis.Core.Budgets;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Api;

public class StampedeApiTests(CachingAppFixture app) : IClassFixture<CachingAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_the_lock_1000_concurrent_cold_reads_cause_one_database_load()
    {
        using var client = app.Factory.CreateHttpClient();

        var response = await client.PostAsJsonAsync("/api/cache/stampede", new { requests = 1000, protection = "lock" }, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, body.GetProperty("databaseLoads").GetInt32());
        Assert.Equal("lock", body.GetProperty("protection").GetString());
        Assert.True(body.GetProperty("elapsedMs").GetDouble() > 0);
    }

    [Fact]
    public async Task Without_protection_cold_reads_load_the_database_many_times()
    {
        using var client = app.Factory.CreateHttpClient();

        var body = await (await client.PostAsJsonAsync("/api/cache/stampede", new { requests = 100, protection = "none" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.True(body.GetProperty("databaseLoads").GetInt32() > 1);
    }

    [Fact]
    public async Task A_race_over_the_class_budget_is_a_429_with_retry_after_and_runs_nothing()
    {
        using var client = app.Factory.CreateHttpClient();
        var budget = app.Factory.Services.GetRequiredService<ActionBudget>();
        var loadsBefore = app.Factory.Services.GetRequiredService<IProductDatabase>().Loads;

        // Other learners hold almost all of the class's readers in flight (each at most their share).
        using (HoldAllBut(budget, 50))
        {
            var response = await client.PostAsJsonAsync("/api/cache/stampede", new { requests = 100, protection = "none" }, Ct);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            Assert.Contains("readers", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(loadsBefore, app.Factory.Services.GetRequiredService<IProductDatabase>().Loads);
        }

        var after = await client.PostAsJsonAsync("/api/cache/stampede", new { requests = 100, protection = "lock" }, Ct);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task One_client_cannot_take_the_class_s_readers_its_refusal_names_its_share_and_learners_still_race()
    {
        // The review's repro: {"requests":5000} from one address took all 5,000 of the class's readers. A race bigger
        // than the client's share can never run, so it is a 400 that says the most it may ask, with no Retry-After
        // (waiting would not help; it used to say "retry in 5 s").
        using var client = app.Factory.CreateHttpClient();
        var budget = app.Factory.Services.GetRequiredService<ActionBudget>();
        var loadsBefore = app.Factory.Services.GetRequiredService<IProductDatabase>().Loads;
        var share = budget.OwnerLimitOf(BudgetKind.StampedeRace, ActionBudget.ApiClient(IPAddress.Loopback));
        Assert.InRange(share, 1, budget.LimitOf(BudgetKind.StampedeRace) / 2);

        var response = await client.PostAsJsonAsync("/api/cache/stampede", new { requests = share + 1, protection = "none" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Headers.RetryAfter);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains($"An API client (one address) may race at most {share:N0} readers at once", detail, StringComparison.Ordinal);
        Assert.Contains("Budgets:RaceReadersPerApiClient", detail, StringComparison.Ordinal);
        Assert.Contains($"at most {share:N0}", problem.GetProperty("errors").GetProperty("requests")[0].GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Try again", detail, StringComparison.Ordinal);
        Assert.Equal(loadsBefore, app.Factory.Services.GetRequiredService<IProductDatabase>().Loads); // nothing ran
        var fitting = await client.PostAsJsonAsync("/api/cache/stampede", new { requests = share, protection = "lock" }, Ct);
        Assert.Equal(HttpStatusCode.OK, fitting.StatusCode); // the most it names is a race it may run

        // While a client races its whole share, a learner still has room for theirs.
        using (budget.Start(BudgetKind.StampedeRace, ActionBudget.ApiClient(IPAddress.Parse("203.0.113.7")), share))
        using (budget.Start(BudgetKind.StampedeRace, "a-learner", budget.OwnerLimitOf(BudgetKind.StampedeRace, "a-learner")))
        {
            var race = await client.PostAsJsonAsync("/api/cache/stampede", new { requests = 100, protection = "lock" }, Ct);
            Assert.Equal(HttpStatusCode.OK, race.StatusCode);
        }
    }

    private static CompositeLease HoldAllBut(ActionBudget budget, long free)
    {
        var held = new CompositeLease();
        for (var left = budget.LimitOf(BudgetKind.StampedeRace) - free; left > 0;)
        {
            var owner = "someone-else-" + held.Leases.Count;
            var take = Math.Min(left, budget.OwnerLimitOf(BudgetKind.StampedeRace, owner));
            held.Leases.Add(budget.Start(BudgetKind.StampedeRace, owner, take));
            left -= take;
        }

        return held;
    }

    private sealed class CompositeLease : IDisposable
    {
        public List<ActionBudget.Lease> Leases { get; } = [];

        public void Dispose() => Leases.ForEach(l => l.Dispose());
    }

    [Fact]
    public async Task One_client_runs_one_race_at_a_time()
    {
        using var client = app.Factory.CreateHttpClient();
        var budget = app.Factory.Services.GetRequiredService<ActionBudget>();

        // The test client's own address already has a race under way.
        using (budget.Start(BudgetKind.StampedeRace, "address:127.0.0.1", 10))
        {
            var response = await client.PostAsJsonAsync("/api/cache/stampede", new { requests = 10, protection = "none" }, Ct);
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Contains("already have a stampede race running", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0, "lock", "requests")]
    [InlineData(100_000, "lock", "requests")]
    [InlineData(10, "magic", "protection")]
    [InlineData(10, null, "protection")]
    public async Task Bad_race_requests_are_400_with_field_errors(int requests, string? protection, string field)
    {
        using var client = app.Factory.CreateHttpClient();

        var response = await client.PostAsJsonAsync("/api/cache/stampede", new { requests, protection }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _));
    }

    [Theory]
    [InlineData("""{"requests":"5","protection":"none"}""")]
    [InlineData("""{"requests":"100","protection":"lock"}""")]
    public async Task A_number_sent_as_text_is_a_400_that_names_the_field_and_runs_no_race(string json)
    {
        using var client = app.Factory.CreateHttpClient();
        var loadsBefore = app.Factory.Services.GetRequiredService<IProductDatabase>().Loads;

        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        var response = await client.PostAsync("/api/cache/stampede", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString();
        Assert.Contains("\"requests\" must be a whole number between 1 and 5000", detail, StringComparison.Ordinal); // a field with a range names it
        Assert.Equal(loadsBefore, app.Factory.Services.GetRequiredService<IProductDatabase>().Loads);
    }
}

public class RedisDownApiTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task When_redis_is_down_reads_come_from_the_database_and_writes_are_a_quick_503()
    {
        _ = redis;
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var factory = new BlazorRedisAppFactory($"127.0.0.1:{port},abortConnect=false,connectTimeout=200", new Dictionary<string, string?>
        {
            ["Catalog:DatabaseLatencyMs"] = "10",
        }).Start();
        using var client = factory.CreateHttpClient();
        client.Timeout = TimeSpan.FromSeconds(10);

        var read = await client.GetAsync("/api/products/1", Ct);
        var write = await client.PutAsJsonAsync("/api/products/1", new { name = "x", price = 1, category = "toys", stock = 1 }, Ct);
        var race = await client.PostAsJsonAsync("/api/cache/stampede", new { requests = 10, protection = "lock" }, Ct);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("database", (await read.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("source").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
        Assert.Equal("application/problem+json", write.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, race.StatusCode);
        Assert.Equal(["5"], write.Headers.GetValues("Retry-After")); // one Retry-After rule on every API group
        Assert.Equal(["5"], race.Headers.GetValues("Retry-After"));
    }
}
