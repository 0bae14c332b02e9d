using BlazorRedis.Core.Connection;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Connection;

public class RedisStatusMonitorTests(RedisServerFixture redis)
{
    private RedisStatusMonitor NewMonitor() => new(
        redis.Multiplexer,
        new RedisEndpoint(ConfigurationOptions.Parse(redis.Configuration), RedisMode.External, "test"),
        NullLogger<RedisStatusMonitor>.Instance);

    [Fact]
    public async Task A_probe_reads_INFO_and_says_how_many_masters_a_cluster_has()
    {
        var status = await NewMonitor().ProbeAsync(TestContext.Current.CancellationToken);

        Assert.True(status.Connected, status.Error);
        Assert.False(string.IsNullOrEmpty(status.Version));
        Assert.NotNull(status.UsedMemoryBytes);
        if (redis is RedisClusterFixture)
        {
            Assert.Equal(RedisClusterFixture.Masters, status.ClusterMasters);
            Assert.Contains(status.AnsweringNode, redis.Configuration.Split(','));
        }
        else
        {
            Assert.Null(status.ClusterMasters);
            Assert.Null(status.AnsweringNode);
        }
    }
}
