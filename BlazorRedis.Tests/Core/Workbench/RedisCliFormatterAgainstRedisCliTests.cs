using BlazorRedis.Core.Workbench;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.Core.Workbench;

/// <summary>The same replies from the real test server, printed by the real redis-cli (<c>--no-raw</c>: its terminal format).</summary>
public class RedisCliFormatterAgainstRedisCliTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData("hset", "h", "a", "1", "b", "x y\n\"z\"")]
    [InlineData("hgetall", "h")]
    [InlineData("xrange", "s", "-", "+")]
    [InlineData("get", "nothing")]
    [InlineData("lrange", "nothing", "0", "-1")]
    [InlineData("ping")]
    public async Task A_real_reply_prints_as_the_real_redis_cli_prints_it(string command, params string[] args)
    {
        var key = "brtest:fmt:" + Guid.NewGuid().ToString("N") + ":";
        var sent = args.Select((a, i) => i == 0 && command != "ping" ? key + a : a).ToArray();
        await redis.Multiplexer.GetDatabase().ExecuteAsync("hset", key + "h", "a", "1", "b", "x y\n\"z\"");
        await redis.Multiplexer.GetDatabase().ExecuteAsync("xadd", key + "s", "1-1", "t", "21", "h", "caf\u00e9");
        var reply = await redis.Multiplexer.GetDatabase().ExecuteAsync(command, [.. sent]);
        var endpoint = redis.Configuration.Split(',')[0];
        var psi = new System.Diagnostics.ProcessStartInfo("redis-cli", ["-h", endpoint.Split(':')[0], "-p", endpoint.Split(':')[1], "--no-raw", command, .. sent])
        {
            RedirectStandardOutput = true,
        };
        using var cli = System.Diagnostics.Process.Start(psi)!;
        var printed = await cli.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await cli.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(printed.TrimEnd('\n'), RedisCliFormatter.Format(reply));
    }
}
