using System.Diagnostics;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;
using static BlazorRedis.Tests.Core.RateLimiting.RateLimitTestHelpers;

namespace BlazorRedis.Tests.Core.RateLimiting;

/// <summary>
/// What really reaches Redis, checked on a private redis-server (MONITOR and SCRIPT FLUSH must not disturb
/// the shared test server).
/// </summary>
public sealed class RateLimitWireTests : IAsyncLifetime
{
    private EmbeddedRedisServer _server = null!;
    private ConnectionMultiplexer _mux = null!;
    private RedisTracer _tracer = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await EmbeddedRedisServer.StartAsync(new EmbeddedRedisOptions(), cancellationToken: Ct);
        var options = ConfigurationOptions.Parse(_server.EndPoint);
        options.AllowAdmin = true;
        _mux = await ConnectionMultiplexer.ConnectAsync(options);
        _tracer = new RedisTracer(_mux);
    }

    public async ValueTask DisposeAsync()
    {
        await _mux.DisposeAsync();
        _server.Dispose();
    }

    [Fact]
    public async Task Every_decision_is_sent_as_evalsha_exactly_as_the_trace_shows()
    {
        var service = Service(_mux, _tracer, new RedisKeyspace("brwire:"));
        using var monitor = await StartMonitorAsync();

        var traces = new List<OperationTrace>();
        foreach (var algorithm in RateLimitAlgorithms.All)
        {
            traces.Add((await service.CheckAsync(algorithm, "wire", Ct)).Trace);
            traces.Add((await service.CheckAsync(algorithm, "wire", Ct)).Trace);
        }

        var seen = await StopMonitorAsync(monitor);
        var traced = traces.SelectMany(t => t.Commands).Where(c => c.Text.StartsWith("EVALSHA", StringComparison.Ordinal)).Select(c => c.Text).ToList();
        var sent = seen.Where(l => l.StartsWith("EVAL", StringComparison.Ordinal)).ToList();
        Assert.Equal(8, traced.Count);
        Assert.Equal(traced, sent);
        // The first decision loaded the four scripts; nothing ever went out as EVAL with the whole body.
        Assert.Equal(4, seen.Count(l => l.StartsWith("SCRIPT LOAD", StringComparison.Ordinal)));
        Assert.Equal(4, traces[0].Commands.Count(c => c.Text.StartsWith("SCRIPT LOAD", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_server_that_lost_its_scripts_still_decides()
    {
        var service = Service(_mux, _tracer, new RedisKeyspace("brwire:"), permitLimit: 3, windowSeconds: 60);
        await service.CheckAsync(RateLimitAlgorithm.SlidingLog, "flushed", Ct);
        await _mux.GetServer(_mux.GetEndPoints()[0]).ScriptFlushAsync();

        var decision = await service.CheckAsync(RateLimitAlgorithm.SlidingLog, "flushed", Ct);

        Assert.True(decision.Value.Allowed);
        Assert.Equal(DecisionSource.Redis, decision.Value.Source);
        Assert.Equal(1, decision.Value.Remaining);
    }

    private async Task<Process> StartMonitorAsync()
    {
        var monitor = Process.Start(new ProcessStartInfo("redis-cli", $"-p {_server.Port} monitor") { RedirectStandardOutput = true, UseShellExecute = false })!;
        Assert.Equal("OK", await monitor.StandardOutput.ReadLineAsync(Ct));
        return monitor;
    }

    /// <summary>The commands MONITOR saw from clients (not from inside scripts), as redis-cli would type them.</summary>
    private async Task<List<string>> StopMonitorAsync(Process monitor)
    {
        // A marker command tells us MONITOR has printed everything before it.
        await _mux.GetDatabase().ExecuteAsync("ECHO", "monitor-done");
        var lines = new List<string>();
        while (await monitor.StandardOutput.ReadLineAsync(Ct) is { } line && !line.Contains("monitor-done", StringComparison.Ordinal))
        {
            if (!line.Contains("[0 lua]", StringComparison.Ordinal))
            {
                lines.Add(Unquote(line[(line.IndexOf(']', StringComparison.Ordinal) + 2)..]));
            }
        }

        monitor.Kill();
        return lines;
    }

    private static string Unquote(string monitorLine) =>
        string.Join(' ', monitorLine.Split("\" \"").Select(part => part.Trim('"')));
}
