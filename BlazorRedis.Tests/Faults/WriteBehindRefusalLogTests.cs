using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using BlazorRedis.Core.Caching;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.WriteStrategies;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.Core.Caching;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Faults;

/// <summary>
/// The write-behind worker while Redis is up but refuses its commands (an ACL on a server of the test's own takes one
/// command away from the worker's user): the refusal is logged once when it starts and once when it ends, with how
/// many retries it took and how long, as an outage is; not on every retry.
/// </summary>
public partial class WriteBehindRefusalLogTests(RedisServerFixture fixture)
{
    private const string Password = "worker-secret";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_refused_read_is_logged_once_when_it_starts_and_once_when_it_ends()
    {
        await using var f = await RefusedAsync("xreadgroup");
        var (admin, database, log) = (f.Redis.Admin, f.Database, f.Log);

        // The worker retries once a second: three refusals are three retries, and must be one warning.
        await WaitUntilAsync(async () => await RefusalsAsync(admin) >= 3);
        var refused = Assert.Single(Lines(log, "Redis refused a write-behind command"));
        Assert.Equal(LogLevel.Warning, refused.Level);
        Assert.Contains("NOPERM", refused.Message, StringComparison.Ordinal);
        Assert.Empty(Lines(log, "Redis accepts the write-behind worker's commands again"));

        await SetWorkerAclAsync(admin, "+xreadgroup");
        await WaitUntilAsync(() => Task.FromResult(database.Peek(3)?.Name == Input.Name));
        await f.StopAsync();

        var back = Assert.Single(Lines(log, "Redis accepts the write-behind worker's commands again"));
        Assert.Equal(LogLevel.Information, back.Level);
        Assert.True(Retries(back) >= 3, back.Message);
        Assert.Single(Lines(log, "Redis refused a write-behind command"));
    }

    [Fact]
    public async Task A_refused_acknowledgement_is_logged_once_when_it_starts_and_once_when_it_ends()
    {
        await using var f = await RefusedAsync("xack");
        var (admin, database, log) = (f.Redis.Admin, f.Database, f.Log);

        // Each batch is applied (or skipped, once applied) and then refused its XACK: it is replayed, again and again.
        await WaitUntilAsync(() => Task.FromResult(database.Batches >= 4));
        var warning = Assert.Single(Lines(log, "A write-behind batch of 1 could not be acknowledged"));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Empty(Lines(log, "Write-behind batches are acknowledged again"));

        await SetWorkerAclAsync(admin, "+xack");
        await WaitUntilAsync(() => Task.FromResult(Lines(log, "Write-behind batches are acknowledged again").Length > 0));
        await f.StopAsync();

        var back = Assert.Single(Lines(log, "Write-behind batches are acknowledged again"));
        Assert.Equal(LogLevel.Information, back.Level);
        Assert.True(Retries(back) >= 4, back.Message);
        Assert.Single(Lines(log, "A write-behind batch of 1 could not be acknowledged"));
        Assert.Equal(0, await f.Worker.GetDatabase().StreamLengthAsync(f.Harness.WriteBehind.StreamKey));
    }

    private static ProductInput Input { get; } = new() { Name = "Refused for a while", Price = 2, Category = "toys", Stock = 3 };

    /// <summary>
    /// A server of the test's own whose worker user may not run <paramref name="command"/>, one write queued, and the
    /// worker's loop running on that user's connection, its log captured.
    /// </summary>
    private async Task<Refused> RefusedAsync(string command)
    {
        var redis = await PrivateRedis.StartAsync();
        await SetWorkerAclAsync(redis.Admin, "-" + command);
        var worker = await redis.ConnectAsync(o => (o.User, o.Password) = ("worker", Password));
        var database = new CountingDatabase(new InMemoryProductDatabase(20, TimeSpan.Zero));
        var h = CachingHarness.Create(fixture, database: database, mux: worker, tracer: new RedisTracer(worker));
        await h.WriteBehind.EnqueueAsync(3, Input);
        var log = new LogCapture();
        var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var settings = h.Services.GetRequiredService<IOptions<CachingOptions>>().Value;
        var run = Task.Run(() => new WriteBehindLoop(h.WriteBehind, settings, "refusal-test", log.CreateLogger("WriteBehindLoop")).RunAsync(stop.Token), Ct);
        return new Refused(redis, worker, database, h, log, stop, run);
    }

    // The worker's user may run everything but the commands the test takes away.
    private static async Task SetWorkerAclAsync(ConnectionMultiplexer admin, string rule) =>
        await admin.GetDatabase().ExecuteAsync("ACL", "SETUSER", "worker", "on", ">" + Password, "~*", "&*", "+@all", rule);

    private static async Task<long> RefusalsAsync(ConnectionMultiplexer admin)
    {
        var info = (string?)await admin.GetDatabase().ExecuteAsync("INFO", "errorstats") ?? "";
        return NoPermCount().Match(info) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    private static CapturedLog[] Lines(LogCapture log, string start) =>
        [.. log.Entries.Where(e => e.Message.StartsWith(start, StringComparison.Ordinal))];

    private static int Retries(CapturedLog line) =>
        int.Parse(RetryCount().Match(line.Message).Groups[1].Value, CultureInfo.InvariantCulture);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var sw = Stopwatch.StartNew();
        while (!await condition() && sw.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50, Ct);
        }

        Assert.True(await condition(), "waited 30 s");
    }

    [GeneratedRegex(@"errorstat_NOPERM:count=(\d+)")]
    private static partial Regex NoPermCount();

    [GeneratedRegex(@"after (\d+) ")]
    private static partial Regex RetryCount();

    /// <summary>What <see cref="RefusedAsync"/> set up; disposing it stops the loop and the server.</summary>
    private sealed record Refused(PrivateRedis Redis, ConnectionMultiplexer Worker, CountingDatabase Database, CachingHarness Harness, LogCapture Log, CancellationTokenSource Stop, Task Run) : IAsyncDisposable
    {
        /// <summary>Stops the loop and waits for it to return.</summary>
        public async Task StopAsync()
        {
            await Stop.CancelAsync();
            await Run;
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            Stop.Dispose();
            await Harness.DisposeAsync();
            await Worker.DisposeAsync();
            await Redis.DisposeAsync();
        }
    }

    /// <summary>The database, counting the batches the worker hands it (a replayed batch is counted again).</summary>
    private sealed class CountingDatabase(InMemoryProductDatabase inner) : DelegatingProductDatabase(inner)
    {
        private int _batches;

        public int Batches => Volatile.Read(ref _batches);

        public override Task<int> ApplyBatchAsync(IReadOnlyList<QueuedWriteEntry> writes, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _batches);
            return base.ApplyBatchAsync(writes, cancellationToken);
        }
    }
}
