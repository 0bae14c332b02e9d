using BlazorRedis.Core.Connection;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Connection;

public class EmbeddedRedisServerTests
{
    [Fact]
    public async Task Starts_on_a_free_loopback_port_in_its_own_folder_and_answers_commands()
    {
        using var server = await EmbeddedRedisServer.StartAsync(new EmbeddedRedisOptions(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(server.IsRunning);
        Assert.True(Directory.Exists(server.WorkingDirectory));
        await using var mux = await ConnectionMultiplexer.ConnectAsync(server.EndPoint + ",allowAdmin=true");
        var db = mux.GetDatabase();
        await db.StringSetAsync("k", "v");
        Assert.Equal("v", (string?)await db.StringGetAsync("k"));
        var save = await mux.GetDatabase().ExecuteAsync("CONFIG", "GET", "save");
        Assert.Equal("", ((string[])save!)[1]);
    }

    [Fact]
    public async Task Dispose_stops_the_server_and_removes_its_temporary_folder()
    {
        var server = await EmbeddedRedisServer.StartAsync(new EmbeddedRedisOptions(), cancellationToken: TestContext.Current.CancellationToken);
        var pid = server.ServerProcessId;
        var folder = server.WorkingDirectory;

        server.Dispose();

        Assert.False(ProcessProbe.IsAlive(pid));
        Assert.False(Directory.Exists(folder));
        Assert.False(await EmbeddedRedisServer.PingAsync(server.Port, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Persistent_server_keeps_data_in_its_folder_across_restarts()
    {
        var folder = Directory.CreateTempSubdirectory("br-persist-").FullName;
        try
        {
            var options = new EmbeddedRedisOptions { Persistent = true, DataDirectory = folder };
            using (var first = await EmbeddedRedisServer.StartAsync(options, cancellationToken: TestContext.Current.CancellationToken))
            await using (var mux = await ConnectionMultiplexer.ConnectAsync(first.EndPoint))
            {
                await mux.GetDatabase().StringSetAsync("kept", "yes");
            }

            using var second = await EmbeddedRedisServer.StartAsync(options, cancellationToken: TestContext.Current.CancellationToken);
            await using var mux2 = await ConnectionMultiplexer.ConnectAsync(second.EndPoint);
            Assert.Equal("yes", (string?)await mux2.GetDatabase().StringGetAsync("kept"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Unknown_binary_throws_the_not_found_exception()
    {
        await Assert.ThrowsAsync<RedisServerNotFoundException>(() =>
            EmbeddedRedisServer.StartAsync(new EmbeddedRedisOptions { ServerPath = "no-such-redis-server-binary" }, cancellationToken: TestContext.Current.CancellationToken));
    }
}
