using System.Threading.Channels;
using BlazorRedis.Core.Connection;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Faults;

/// <summary>
/// The status monitor on a redis-server of the test's own that stops and starts again, with a clock that never ticks:
/// the periodic probe runs once at start and never again, so every later change comes from the connection's own
/// events (<see cref="ConnectionMultiplexer.ConnectionFailed"/>, <see cref="ConnectionMultiplexer.ConnectionRestored"/>).
/// </summary>
public class RedisStatusEventsTests
{
    // Only a guard against a hung test: the assertion is on what arrives, never on how fast.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_status_turns_down_when_the_connection_fails_and_up_when_it_is_restored_without_a_poll()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await RestartableRedis.StartAsync();
        var endpoint = new RedisEndpoint(ConfigurationOptions.Parse(redis.Configuration), RedisMode.External, "test");
        await using var mux = await ConnectionMultiplexer.ConnectAsync(endpoint.CreateOptions());
        var clock = new ManualTimeProvider();
        using var monitor = new RedisStatusMonitor(mux, endpoint, NullLogger<RedisStatusMonitor>.Instance, clock);
        var published = Channel.CreateUnbounded<RedisStatus>();
        monitor.Changed += s => published.Writer.TryWrite(s);

        await monitor.StartAsync(ct);
        try
        {
            var first = await NextAsync(published.Reader, _ => true, ct);
            Assert.True(first.Connected, first.Error);

            redis.Stop();
            var down = await NextAsync(published.Reader, s => !s.Connected, ct);
            Assert.Contains("unreachable", down.Error, StringComparison.Ordinal);
            Assert.False(monitor.Current.Connected);

            await redis.StartAgainAsync();
            var up = await NextAsync(published.Reader, s => s.Connected, ct);
            Assert.Null(up.Error);
            Assert.NotNull(up.Version);
        }
        finally
        {
            await monitor.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<RedisStatus> NextAsync(ChannelReader<RedisStatus> reader, Func<RedisStatus, bool> wanted, CancellationToken ct)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(ct);
        guard.CancelAfter(Guard);
        try
        {
            while (true)
            {
                var status = await reader.ReadAsync(guard.Token);
                if (wanted(status))
                {
                    return status;
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Assert.Fail("the status never changed: the monitor waited for a poll that this clock never gives");
            throw;
        }
    }
}
