using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorRedis.App.Hubs;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Metrics;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.ScaleOut;

/// <summary>
/// Two real app instances on Kestrel sharing one Redis (the test run's server, or the cluster collection's 3-master
/// cluster, named to both by a connection string that lists every node), its key prefix and
/// (ScaleOut:DataProtectionInRedis) one key ring. The Redis is a shared fixture; this fixture starts and stops the apps only.
/// </summary>
public abstract class TwoInstancesFixture(RedisServerFixture redis) : IAsyncLifetime
{
    public BlazorRedisAppFactory A { get; private set; } = null!;

    public BlazorRedisAppFactory B { get; private set; } = null!;

    public RedisServerFixture Redis => redis;

    public ValueTask InitializeAsync()
    {
        var prefix = $"br2i{Guid.NewGuid():N}"[..12] + ":";
        var token = $"test-teacher-{Guid.NewGuid():N}";
        Dictionary<string, string?> Settings() => new()
        {
            ["Keyspace:Prefix"] = prefix,
            ["Classroom:TeacherToken"] = token,
            ["ScaleOut:DataProtectionInRedis"] = "true",
            ["ScaleOut:SignalRBackplane"] = "true",
            ["ScaleOut:FleetMetrics"] = "true",
            ["RateLimiting:PermitLimit"] = "10",
            ["RateLimiting:WindowSeconds"] = "60",
            ["Catalog:DatabaseLatencyMs"] = "50",
        };
        A = new BlazorRedisAppFactory(redis.Configuration, Settings()).Start();
        B = new BlazorRedisAppFactory(redis.Configuration, Settings()).Start();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}

/// <summary>The two instances on the test run's one redis-server.</summary>
public sealed class TwoInstancesOnOneServerFixture(RedisServerFixture redis) : TwoInstancesFixture(redis);

/// <summary>The two instances on the cluster collection's 3-master Redis Cluster.</summary>
public sealed class TwoInstancesOnClusterFixture(RedisClusterFixture cluster) : TwoInstancesFixture(cluster);

/// <summary>Every two-instance test on one redis-server.</summary>
public sealed class TwoInstancesOnOneServerTests(TwoInstancesOnOneServerFixture fixture) : TwoInstancesTests(fixture), IClassFixture<TwoInstancesOnOneServerFixture>;

/// <summary>
/// Every two-instance test on a 3-master Redis Cluster: the backplane, key ring, fleet metrics, roster, rate limits and
/// sessions of both instances spread over three nodes. A CROSSSLOT or MOVED error here is a defect in the app.
/// </summary>
[Collection(OnRedisCluster.Name)]
public sealed class TwoInstancesOnClusterTests(TwoInstancesOnClusterFixture fixture) : TwoInstancesTests(fixture), IClassFixture<TwoInstancesOnClusterFixture>;

/// <summary>What one class on several instances needs: every cookie and every shared state valid on both.</summary>
public abstract class TwoInstancesTests(TwoInstancesFixture fixture) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <summary>After each test: neither instance logged an error (a CROSSSLOT or MOVED on the cluster would be one).</summary>
    public ValueTask DisposeAsync()
    {
        foreach (var app in new[] { fixture.A, fixture.B })
        {
            Assert.DoesNotContain(app.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
            Assert.DoesNotContain("CROSSSLOT", app.Logs.Text, StringComparison.Ordinal);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>One browser: one cookie jar, sent to either instance (cookies are per host, not per port).</summary>
    private (HttpClient A, HttpClient B) Browser()
    {
        var cookies = new CookieContainer();
        HttpClient On(Uri address) => new(new SocketsHttpHandler { UseCookies = true, CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = address };
        return (On(fixture.A.BaseAddress), On(fixture.B.BaseAddress));
    }

    [Fact]
    public void Both_instances_connect_to_every_node_the_connection_string_lists()
    {
        var nodes = StackExchange.Redis.ConfigurationOptions.Parse(fixture.Redis.Configuration).EndPoints.Count;
        var servers = fixture.Redis.Multiplexer.GetServers();
        foreach (var app in new[] { fixture.A, fixture.B })
        {
            Assert.Equal(nodes, app.Services.GetRequiredService<RedisEndpoint>().CreateOptions().EndPoints.Count);
            var connected = app.Services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>().GetServers();
            Assert.Equal(servers.Length, connected.Length);
            Assert.All(connected, s => Assert.Equal(servers[0].ServerType, s.ServerType)); // Cluster on the cluster
        }
    }

    [Fact]
    public async Task The_key_ring_lives_in_redis_under_the_prefix_and_a_teacher_claimed_on_a_is_the_teacher_on_b()
    {
        var (a, b) = Browser();
        using (a)
        using (b)
        {
            using var claim = await a.GetAsync(fixture.A.TeacherLinkPath, Ct);
            Assert.Equal(HttpStatusCode.Redirect, claim.StatusCode);

            using var opened = await b.PostAsync("/api/classroom/class", null, Ct);

            Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
            var ring = fixture.Redis.Multiplexer.GetDatabase();
            var key = fixture.A.Prefix + "dataprotection:keys";
            Assert.Equal(StackExchange.Redis.RedisType.List, await ring.KeyTypeAsync(key));
            Assert.Contains("<key ", (string?)await ring.ListGetByIndexAsync(key, 0), StringComparison.Ordinal);
            // A forged teacher cookie is refused on both.
            var (fa, fb) = Browser();
            using (fa)
            using (fb)
            {
                using var forged = new HttpRequestMessage(HttpMethod.Post, "/api/classroom/class");
                forged.Headers.Add("Cookie", "br-teacher=forged");
                Assert.Equal(HttpStatusCode.Forbidden, (await fb.SendAsync(forged, Ct)).StatusCode);
            }
        }
    }

    [Fact]
    public async Task A_learner_who_joins_on_b_is_the_same_learner_on_a_and_in_the_roster_the_teacher_reads_on_a()
    {
        var (ta, tb) = Browser();
        var (la, lb) = Browser();
        using (ta)
        using (tb)
        using (la)
        using (lb)
        {
            await ta.GetAsync(fixture.A.TeacherLinkPath, Ct);
            var code = (await (await ta.PostAsync("/api/classroom/class", null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString()!;

            var onB = await (await lb.PostAsJsonAsync("/api/classroom/join", new { code, nickname = "Bea" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
            var onA = await (await la.PostAsJsonAsync("/api/classroom/join", new { code, nickname = "Bea" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

            Assert.Equal(onB.GetProperty("learner").GetString(), onA.GetProperty("learner").GetString()); // B's cookie read on A
            var roster = await (await ta.GetAsync("/api/classroom/class/roster", Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
            var nicknames = roster.EnumerateArray().Select(r => r.GetProperty("nickname").GetString()).ToList();
            Assert.Equal(["Bea"], nicknames);
        }
    }

    [Fact]
    public async Task A_session_made_on_a_is_valid_on_b_and_logging_out_on_b_ends_it_on_a()
    {
        var (a, b) = Browser();
        using (a)
        using (b)
        {
            using var login = await a.PostAsJsonAsync("/api/session/login", new { username = "ada" }, Ct);
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);

            var me = await (await b.GetAsync("/api/session/me", Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal("ada", me.GetProperty("username").GetString());

            using var logout = await b.PostAsJsonAsync("/api/session/logout", new { }, Ct);
            Assert.True(logout.IsSuccessStatusCode, $"{(int)logout.StatusCode}");
            Assert.Equal(HttpStatusCode.Unauthorized, (await a.GetAsync("/api/session/me", Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task One_rate_limit_holds_across_both_instances()
    {
        var (a, b) = Browser();
        using (a)
        using (b)
        {
            var allowed = 0;
            for (var i = 0; i < 16; i++)
            {
                using var response = await (i % 2 == 0 ? a : b).GetAsync("/api/limited/sliding-log", Ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    allowed++;
                }
                else
                {
                    Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
                }
            }

            Assert.Equal(10, allowed); // 10 per minute for this client, whichever instance counted
        }
    }

    [Fact]
    public async Task A_message_published_through_a_reaches_a_subscriber_on_b()
    {
        var received = new TaskCompletionSource<BlazorRedis.Core.PubSub.PubSubMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pubsubOnB = fixture.B.Services.GetRequiredService<BlazorRedis.Core.PubSub.IPubSubService>();
        var channel = "orders." + Guid.NewGuid().ToString("N")[..8];
        var subscription = await pubsubOnB.SubscribeAsync(channel, isPattern: false, m =>
        {
            received.TrySetResult(m);
            return Task.CompletedTask;
        });
        await using var _ = subscription.Value;
        var (a, b) = Browser();
        using (a)
        using (b)
        {
            using var published = await a.PostAsJsonAsync("/api/pubsub/publish", new { channel, message = "from A" }, Ct);

            Assert.Equal(HttpStatusCode.OK, published.StatusCode);
            var reply = await published.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(1, reply.GetProperty("receivers").GetInt64()); // B's subscription, counted on a cluster too
            var message = await received.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
            Assert.Equal((channel, "from A"), (message.Channel, message.Message));
        }
    }

    [Fact]
    public async Task Bring_everyone_here_and_pause_from_the_teacher_on_a_reach_a_learners_instance_b()
    {
        var (ta, tb) = Browser();
        var (la, lb) = Browser();
        using (ta)
        using (tb)
        using (la)
        using (lb)
        {
            await ta.GetAsync(fixture.A.TeacherLinkPath, Ct);
            var code = (await (await ta.PostAsync("/api/classroom/class", null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString()!;
            (await lb.PostAsJsonAsync("/api/classroom/join", new { code, nickname = "Ben" }, Ct)).EnsureSuccessStatusCode();

            // What a learner's page on B listens to: B's one subscription to the class channel, fanned out to its circuits.
            var events = System.Threading.Channels.Channel.CreateUnbounded<BlazorRedis.Core.Classroom.ClassEvent>();
            var hubOnB = fixture.B.Services.GetRequiredService<BlazorRedis.Core.Classroom.ClassEventHub>();
            using var subscription = await hubOnB.SubscribeAsync(code, e =>
            {
                events.Writer.TryWrite(e);
                return Task.CompletedTask;
            });

            (await ta.PostAsJsonAsync("/api/classroom/class/bring", new { path = "/pubsub" }, Ct)).EnsureSuccessStatusCode();
            (await ta.PostAsJsonAsync("/api/classroom/class/pause", new { paused = true }, Ct)).EnsureSuccessStatusCode();

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var seen = new List<BlazorRedis.Core.Classroom.ClassEvent>();
            // Both, in the order the teacher sent them (B's subscription hands messages on in order).
            while (!seen.Any(e => e.Kind == BlazorRedis.Core.Classroom.ClassEventKind.Paused))
            {
                seen.Add(await events.Reader.ReadAsync(timeout.Token));
            }

            var bring = Assert.Single(seen, e => e.Kind == BlazorRedis.Core.Classroom.ClassEventKind.BringHere);
            Assert.Equal("/pubsub", bring.Text);
            Assert.True(seen.IndexOf(bring) < seen.FindIndex(e => e.Kind == BlazorRedis.Core.Classroom.ClassEventKind.Paused), "bring arrived after pause");
            await ta.DeleteAsync("/api/classroom/class", Ct);
        }
    }

    [Fact]
    public async Task A_metrics_hub_client_on_b_receives_what_a_sends_through_its_hub_context_over_the_redis_backplane()
    {
        var marker = Random.Shared.NextInt64(1_000_000, long.MaxValue);
        var received = new TaskCompletionSource<MetricsSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var onB = new HubConnectionBuilder().WithUrl(new Uri(fixture.B.BaseAddress, MetricsHub.Path)).Build();
        onB.On<MetricsSnapshot>(nameof(IMetricsClient.ReceiveSnapshot), s =>
        {
            if (s.Hits == marker)
            {
                received.TrySetResult(s);
            }
        });
        await onB.StartAsync(Ct);
        Assert.IsType<Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisHubLifetimeManager<MetricsHub>>(
            fixture.A.Services.GetRequiredService<HubLifetimeManager<MetricsHub>>());

        // The backplane's channels live under the app's prefix (on a cluster, each channel on the node its slot names).
        var channels = new List<StackExchange.Redis.RedisChannel>();
        foreach (var server in fixture.Redis.Multiplexer.GetServers())
        {
            channels.AddRange(await server.SubscriptionChannelsAsync(StackExchange.Redis.RedisChannel.Pattern(fixture.A.Prefix + "signalr:*")));
        }

        Assert.Contains(channels, c => c.ToString().Contains(nameof(MetricsHub), StringComparison.Ordinal));
        Assert.All(channels, c => Assert.Single(c.ToString().Split("signalr:").Skip(1))); // the prefix once, not twice

        var hubOnA = fixture.A.Services.GetRequiredService<IHubContext<MetricsHub, IMetricsClient>>();
        var sent = new MetricsSnapshot(DateTimeOffset.UtcNow, marker, 0, 0, 1, 1, LatencySummary.None, LatencySummary.None, new CacheTotals(marker, 0, 1, 0, DateTimeOffset.UtcNow));
        await hubOnA.Clients.All.ReceiveSnapshot(sent);

        var got = await received.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        Assert.Equal(marker, got.Totals.Hits);
    }

    [Fact]
    public async Task With_the_backplane_each_instances_own_seconds_go_to_its_own_hub_clients_only()
    {
        // A records a burst nobody records on B; B's client never sees a second with those hits.
        var snapshots = new System.Collections.Concurrent.ConcurrentQueue<MetricsSnapshot>();
        await using var onB = new HubConnectionBuilder().WithUrl(new Uri(fixture.B.BaseAddress, MetricsHub.Path)).Build();
        var three = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        onB.On<MetricsSnapshot>(nameof(IMetricsClient.ReceiveSnapshot), s =>
        {
            snapshots.Enqueue(s);
            if (snapshots.Count >= 3)
            {
                three.TrySetResult();
            }
        });
        await onB.StartAsync(Ct);
        var metricsOnA = fixture.A.Services.GetRequiredService<CacheMetrics>();
        for (var i = 0; i < 777; i++)
        {
            metricsOnA.RecordHit(TimeSpan.FromMilliseconds(0.2));
        }

        await three.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        Assert.DoesNotContain(snapshots, s => s.Hits >= 777);
        Assert.True(snapshots.Zip(snapshots.Skip(1)).All(p => p.Second.Timestamp > p.First.Timestamp)); // one instance's seconds, in order
    }

    [Fact]
    public async Task The_live_numbers_sum_both_instances_reads_made_on_a_and_on_b_appear_per_instance_and_in_the_fleet_sum()
    {
        var (a, b) = Browser();
        using (a)
        using (b)
        {
            var before = await a.GetFromJsonAsync<JsonElement>("/api/cache/stats", Ct);
            var idA = before.GetProperty("instance").GetString()!;
            var idB = (await b.GetFromJsonAsync<JsonElement>("/api/cache/stats", Ct)).GetProperty("instance").GetString()!;
            Assert.NotEqual(idA, idB);
            var readsA0 = Reads(before);
            var readsB0 = Reads((await b.GetFromJsonAsync<JsonElement>("/api/cache/stats", Ct)));

            for (var i = 0; i < 3; i++)
            {
                (await a.GetAsync("/api/products/3", Ct)).EnsureSuccessStatusCode();
            }

            for (var i = 0; i < 5; i++)
            {
                (await b.GetAsync("/api/products/4", Ct)).EnsureSuccessStatusCode();
            }

            // Each instance publishes its second to Redis once a second: wait (a deadline only) until A's API shows both.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            JsonElement fleet;
            while (true)
            {
                fleet = (await a.GetFromJsonAsync<JsonElement>("/api/cache/stats", timeout.Token)).GetProperty("fleet");
                var ids = fleet.GetProperty("instances").EnumerateArray().ToDictionary(i => i.GetProperty("instance").GetString()!);
                if (ids.TryGetValue(idA, out var ia) && ids.TryGetValue(idB, out var ib) && Reads(ia.GetProperty("totals")) >= readsA0 + 3 && Reads(ib.GetProperty("totals")) >= readsB0 + 5)
                {
                    break;
                }

                await Task.Delay(200, timeout.Token);
            }

            var instances = fleet.GetProperty("instances").EnumerateArray().ToList();
            Assert.Equal(2, fleet.GetProperty("count").GetInt32());
            Assert.Equal(idA, instances[0].GetProperty("instance").GetString()); // this instance first
            var sum = fleet.GetProperty("sum");
            Assert.Equal("all", sum.GetProperty("instance").GetString());
            Assert.Equal(instances.Sum(i => Reads(i.GetProperty("totals"))), Reads(sum.GetProperty("totals")));
            Assert.Equal(instances.Sum(i => i.GetProperty("totals").GetProperty("databaseLoads").GetInt64()), sum.GetProperty("totals").GetProperty("databaseLoads").GetInt64());
            Assert.True(Reads(sum.GetProperty("totals")) >= readsA0 + readsB0 + 8);

            // B sees the same fleet, itself first.
            var onB = (await b.GetFromJsonAsync<JsonElement>("/api/cache/stats", Ct)).GetProperty("fleet").GetProperty("instances").EnumerateArray()
                .Select(i => i.GetProperty("instance").GetString()).ToList();
            Assert.Equal([idB, idA], onB);
        }

        static long Reads(JsonElement totals) => totals.GetProperty("hits").GetInt64() + totals.GetProperty("misses").GetInt64();
    }

    /// <summary>The fleet has one database: a write confirmed on A is what B reads, from the database and through the shared cache.</summary>
    [Fact]
    public async Task A_product_written_on_a_is_read_on_b_from_the_database_and_through_the_cache()
    {
        var (a, b) = Browser();
        using (a)
        using (b)
        {
            var name = $"Renamed on A {Guid.NewGuid():N}"[..24];
            using var put = await a.PutAsJsonAsync("/api/products/7", new { name, price = 12.5, category = "books", stock = 3 }, Ct);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);

            Assert.Equal(name, await NameAsync(b, "/api/products/7?bypassCache=true"));
            Assert.Equal(name, await NameAsync(b, "/api/products/7")); // B's miss fills the shared cache from the shared database
            Assert.Equal(name, await NameAsync(a, "/api/products/7"));
            Assert.Equal(name, await NameAsync(a, "/api/products/7?bypassCache=true"));
        }
    }

    /// <summary>Write-behind on a fleet: whichever instance's worker applies a write, every instance's database holds it.</summary>
    [Fact]
    public async Task Write_behind_writes_accepted_on_a_are_in_as_database_whichever_worker_applies_them()
    {
        var (a, b) = Browser();
        using (a)
        using (b)
        {
            var run = Guid.NewGuid().ToString("N")[..6];
            var ids = Enumerable.Range(20, 6).ToList();
            foreach (var id in ids)
            {
                using var put = await a.PutAsJsonAsync($"/api/products/{id}?strategy=write-behind", new { name = $"Behind {run} {id}", price = 4, category = "toys", stock = 4 }, Ct);
                Assert.Equal(HttpStatusCode.Accepted, put.StatusCode);
            }

            // Both workers read the one stream as one consumer group: wait (a deadline only) until every write is in A's database.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            var missing = ids;
            while (missing.Count > 0 && !timeout.IsCancellationRequested)
            {
                var names = new List<int>();
                foreach (var id in missing)
                {
                    if (await NameAsync(a, $"/api/products/{id}?bypassCache=true") != $"Behind {run} {id}")
                    {
                        names.Add(id);
                    }
                }

                missing = names;
                if (missing.Count > 0)
                {
                    await Task.Delay(200, CancellationToken.None);
                }
            }

            Assert.Empty(missing);
            foreach (var id in ids)
            {
                Assert.Equal($"Behind {run} {id}", await NameAsync(b, $"/api/products/{id}?bypassCache=true"));
            }
        }
    }

    /// <summary>The teacher's latency is the fleet's: set on A, it is what B's database pays and reports.</summary>
    [Fact]
    public async Task The_latency_the_teacher_sets_on_a_applies_on_b()
    {
        var (a, b) = Browser();
        using (a)
        using (b)
        {
            (await a.GetAsync(fixture.A.TeacherLinkPath, Ct)).Dispose();
            try
            {
                using var set = await a.PutAsJsonAsync("/api/catalog/latency", new { latencyMs = 321 }, Ct);
                Assert.Equal(HttpStatusCode.OK, set.StatusCode);

                var onB = await b.GetFromJsonAsync<JsonElement>("/api/catalog/latency", Ct);
                Assert.Equal(321, onB.GetProperty("latencyMs").GetInt32());
                Assert.Equal(TimeSpan.FromMilliseconds(321), fixture.B.Services.GetRequiredService<BlazorRedis.Core.Caching.Catalog.IProductDatabase>().Latency);
            }
            finally
            {
                (await a.PutAsJsonAsync("/api/catalog/latency", new { latencyMs = 50 }, CancellationToken.None)).Dispose();
            }
        }
    }

    private static async Task<string?> NameAsync(HttpClient client, string path)
    {
        var read = await client.GetFromJsonAsync<JsonElement>(path, Ct);
        return read.GetProperty("data").GetProperty("name").GetString();
    }
}
