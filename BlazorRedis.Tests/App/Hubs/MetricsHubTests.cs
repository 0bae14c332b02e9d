using System.Collections.Concurrent;
using BlazorRedis.Core.Metrics;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Hubs;

/// <summary>A real SignalR client against the real app on Kestrel (this class owns its app, so nobody else records into it).</summary>
public class MetricsHubTests(AppFixture app) : IClassFixture<AppFixture>
{
    private async Task<HubConnection> ConnectAsync(ConcurrentQueue<MetricsSnapshot> received, Action? onSnapshot = null)
    {
        var connection = new HubConnectionBuilder().WithUrl(new Uri(app.BaseAddress, "/hubs/metrics")).Build();
        connection.On<MetricsSnapshot>("ReceiveSnapshot", s =>
        {
            received.Enqueue(s);
            onSnapshot?.Invoke();
        });
        await connection.StartAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    [Fact]
    public async Task A_client_receives_a_snapshot_every_second_with_the_recorded_counts()
    {
        var received = new ConcurrentQueue<MetricsSnapshot>();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var third = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var connection = await ConnectAsync(received, () =>
        {
            if (!received.IsEmpty)
            {
                first.TrySetResult();
            }

            if (received.Count >= 3)
            {
                third.TrySetResult();
            }
        });
        var started = DateTime.UtcNow;
        var patience = TimeSpan.FromSeconds(15); // a deadline only: snapshots come every second on an idle machine

        // Record after the first snapshot arrived, so every recorded read lands in a snapshot this client receives.
        await first.Task.WaitAsync(patience, TestContext.Current.CancellationToken);
        var metrics = app.Factory.Services.GetRequiredService<CacheMetrics>();
        for (var i = 0; i < 7; i++)
        {
            metrics.RecordHit(TimeSpan.FromMilliseconds(0.3 + i * 0.1));
        }

        for (var i = 0; i < 3; i++)
        {
            metrics.RecordMiss();
            metrics.RecordDatabaseLoad(TimeSpan.FromMilliseconds(40));
        }

        var remaining = patience - (DateTime.UtcNow - started);
        await third.Task.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, TestContext.Current.CancellationToken);

        // The counts of snapshots after the one that carried the records are zero, so waiting a second more changes nothing.
        await Task.Delay(TimeSpan.FromSeconds(1.2), TestContext.Current.CancellationToken);
        var snapshots = received.ToArray();
        Assert.True(snapshots.Length >= 3);
        Assert.Equal(7, snapshots.Sum(s => s.Hits));
        Assert.Equal(3, snapshots.Sum(s => s.Misses));
        Assert.Equal(3, snapshots.Sum(s => s.DatabaseLoads));
        Assert.Equal(7, snapshots.Sum(s => s.CacheLatency.Count));
        Assert.Equal(3, snapshots.Sum(s => s.DatabaseLatency.Count));
        Assert.All(snapshots.Where(s => s.DatabaseLatency.Count > 0), s => Assert.Equal(40, s.DatabaseLatency.P95));
        Assert.Equal(0.7, (double)snapshots.Sum(s => s.Hits) / snapshots.Sum(s => s.Hits + s.Misses));
        Assert.True(snapshots[^1].Totals.Hits >= 7);
        Assert.True(snapshots.Zip(snapshots.Skip(1)).All(p => p.Second.Timestamp > p.First.Timestamp));
    }

    [Fact]
    public async Task A_new_client_can_fetch_the_recent_window()
    {
        var received = new ConcurrentQueue<MetricsSnapshot>();
        var got = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var connection = await ConnectAsync(received, () => got.TrySetResult());
        await got.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        var recent = await connection.InvokeAsync<List<MetricsSnapshot>>("GetRecent", TestContext.Current.CancellationToken);
        var totals = await connection.InvokeAsync<CacheTotals>("GetTotals", TestContext.Current.CancellationToken);

        Assert.NotEmpty(recent);
        Assert.True(recent.Count <= 60);
        Assert.True(recent.Zip(recent.Skip(1)).All(p => p.Second.Timestamp > p.First.Timestamp));
        Assert.Equal(app.Factory.Services.GetRequiredService<ICacheMetricsFeed>().Totals.Hits, totals.Hits);
    }
}
