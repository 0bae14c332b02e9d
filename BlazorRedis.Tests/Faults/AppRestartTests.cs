using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorRedis.App.Api;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.WriteStrategies;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Strings;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.Faults;

/// <summary>
/// One app instance stops, its persistent Redis (appendonly) restarts, a new instance starts on the same prefix:
/// what lived in Redis carries on.
/// </summary>
public class AppRestartTests
{
    [Fact]
    public async Task Sessions_queued_writes_and_demo_data_survive_an_app_and_redis_restart()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await RestartableRedis.StartAsync(persistent: true);
        var prefix = $"brrestart{Guid.NewGuid():N}"[..17] + ":";
        var learner = LearnerId.New();
        string sessionCookie;
        var queued = new List<WriteBehindReceipt>();

        await using (var first = NewApp(redis, prefix, workerEnabled: false))
        {
            using var client = first.CreateHttpClient();
            using var login = await client.PostAsJsonAsync("/api/session/login", new { username = "ada" }, ct);
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            sessionCookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(SessionApi.CookieName + "=", StringComparison.Ordinal)).Split(';')[0];

            var writeBehind = first.Services.GetRequiredService<WriteBehindService>();
            foreach (var id in new[] { 3, 4, 5 })
            {
                queued.Add((await writeBehind.EnqueueAsync(id, new ProductInput { Name = $"Queued {id}", Price = 10 + id, Category = "restart", Stock = id })).Value);
            }

            Assert.Equal(3, (await writeBehind.GetStatusAsync()).Value.QueueLength);
            Assert.Empty(first.Services.GetRequiredService<IProductDatabase>().AppliedWriteIds);
            await first.Services.GetRequiredService<IStringsDemo>().SetAsync(learner, "note", "kept across restarts");
        }

        redis.Stop();
        await redis.StartAgainAsync();

        await using var second = NewApp(redis, prefix, workerEnabled: true);
        var database = second.Services.GetRequiredService<IProductDatabase>();
        var sw = Stopwatch.StartNew();
        while (database.AppliedWriteIds.Count < 3 && sw.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(50, ct);
        }

        Assert.Equal(queued.Select(q => q.WriteId).Order(StringComparer.Ordinal), database.AppliedWriteIds.Order(StringComparer.Ordinal));
        foreach (var receipt in queued)
        {
            Assert.Equal(receipt.Product.Name, database.Peek(receipt.Product.Id)?.Name);
        }

        // Exactly once: the queue drains (each XACK follows its write) and nothing is applied again on later passes.
        var writeBehindAfter = second.Services.GetRequiredService<WriteBehindService>();
        var status = (await writeBehindAfter.GetStatusAsync()).Value;
        while (status.QueueLength > 0 && sw.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50, ct);
            status = (await writeBehindAfter.GetStatusAsync()).Value;
        }

        Assert.Equal(0, status.QueueLength);
        await Task.Delay(500, ct);
        Assert.Equal(3, database.AppliedWriteIds.Count);

        using var client2 = second.CreateHttpClient();
        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/session/me");
        me.Headers.Add("Cookie", sessionCookie);
        using var meResponse = await client2.SendAsync(me, ct);
        Assert.Equal(HttpStatusCode.OK, meResponse.StatusCode);
        var facts = JsonDocument.Parse(await meResponse.Content.ReadAsStringAsync(ct)).RootElement;
        Assert.Equal("ada", facts.GetProperty("username").GetString());

        var note = (await second.Services.GetRequiredService<IStringsDemo>().GetAsync(learner, "note")).Value;
        Assert.Equal("kept across restarts", note.Value);
    }

    private static BlazorRedisAppFactory NewApp(RestartableRedis redis, string prefix, bool workerEnabled) =>
        new BlazorRedisAppFactory(redis.Configuration, new Dictionary<string, string?>
        {
            ["Keyspace:Prefix"] = prefix,
            ["Catalog:DatabaseLatencyMs"] = "10",
            ["Caching:WriteBehindWorkerEnabled"] = workerEnabled ? "true" : "false",
            ["Caching:WriteBehindPollMs"] = "50",
        }).Start();
}
