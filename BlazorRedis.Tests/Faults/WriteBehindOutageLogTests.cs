using System.Diagnostics;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Faults;

/// <summary>The write-behind worker during a Redis outage: one warning when it starts, one line when it ends.</summary>
public class WriteBehindOutageLogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_write_behind_worker_logs_a_redis_outage_once_when_it_starts_and_once_when_it_ends()
    {
        await using var redis = await RestartableRedis.StartAsync();
        await using var app = new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?>
        {
            ["Redis:CommandTimeoutMs"] = "200",
            ["Caching:WriteBehindPollMs"] = "50",
        }).Start();
        var mux = (IConnectionMultiplexer)app.Services.GetService(typeof(IConnectionMultiplexer))!;
        await WaitUntilAsync(() => mux.IsConnected);
        CapturedLog[] Unreachable() => [.. app.Logs.Entries.Where(e => e.Message.StartsWith("Write-behind worker cannot reach Redis", StringComparison.Ordinal))];
        CapturedLog[] Back() => [.. app.Logs.Entries.Where(e => e.Message.StartsWith("Write-behind worker reaches Redis again", StringComparison.Ordinal))];

        redis.Stop();
        await WaitUntilAsync(() => Unreachable().Length > 0);
        // The worker retries about once a second: three more seconds are three more retries, and not one more warning.
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);

        var warning = Assert.Single(Unreachable());
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Empty(Back());

        await redis.StartAgainAsync();
        await WaitUntilAsync(() => Back().Length > 0);

        Assert.Equal(LogLevel.Information, Assert.Single(Back()).Level);
        Assert.Single(Unreachable());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var sw = Stopwatch.StartNew();
        while (!condition() && sw.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50, Ct);
        }

        Assert.True(condition(), "waited 30 s");
    }
}
