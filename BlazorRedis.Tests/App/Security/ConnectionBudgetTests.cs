using System.Net;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace BlazorRedis.Tests.App.Security;

public class ConnectionBudgetTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task One_address_holds_at_most_its_budget_of_hub_connections_and_gets_the_next_slot_back_when_one_closes()
    {
        await using var app = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?>
        {
            ["Budgets:ConnectionsPerAddress"] = "2",
        }).Start();
        HubConnection Connect() => new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, "/hubs/metrics"), o => o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets)
            .Build();

        await using var first = Connect();
        await using var second = Connect();
        await first.StartAsync(Ct);
        await second.StartAsync(Ct);

        await using var third = Connect();
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => third.StartAsync(Ct));
        Assert.Contains("429", refused.ToString(), StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Connected, first.State); // the ones already open are untouched

        await first.StopAsync(Ct);
        await using var fourth = Connect();
        await WaitUntilConnectedAsync(fourth);
    }

    [Fact]
    public async Task A_refused_connection_is_a_429_problem_with_retry_after()
    {
        await using var app = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?>
        {
            ["Budgets:ConnectionsPerAddress"] = "1",
        }).Start();
        await using var open = new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, "/hubs/metrics"), o => o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets)
            .Build();
        await open.StartAsync(Ct);
        using var client = app.CreateHttpClient();

        using var response = await client.PostAsync("/hubs/metrics/negotiate?negotiateVersion=1", null, Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(10), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(app.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    private static async Task WaitUntilConnectedAsync(HubConnection connection)
    {
        // The server lets go of the closed socket a moment after StopAsync returns. Until then the budget refuses: at the
        // negotiate (an HttpRequestException) or, when the slot was still held as the socket opened, at the WebSocket
        // upgrade (an AggregateException of the transports). Only a refusal is retried.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await connection.StartAsync(Ct);
                return;
            }
            catch (Exception e) when (attempt < 50 && e.ToString().Contains("429", StringComparison.Ordinal))
            {
                await Task.Delay(100, Ct);
            }
        }
    }
}
