using BlazorRedis.Core.Connection;

namespace BlazorRedis.Tests.Faults;

/// <summary>
/// A redis-server of the test's own on a fixed loopback port, so it can be stopped and started again where the
/// app expects it. Optionally persistent (appendonly in a folder that outlives a restart).
/// </summary>
public sealed class RestartableRedis : IAsyncDisposable
{
    private readonly EmbeddedRedisOptions _options;
    private readonly string? _dataDirectory;
    private EmbeddedRedisServer? _server;

    private RestartableRedis(EmbeddedRedisOptions options, string? dataDirectory)
    {
        _options = options;
        _dataDirectory = dataDirectory;
    }

    public int Port => _options.Port;

    /// <summary>A StackExchange.Redis connection string for the app.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RestartableRedis> StartAsync(bool persistent = false)
    {
        var dir = persistent ? Directory.CreateTempSubdirectory("blazorredis-faults-").FullName : null;
        var redis = new RestartableRedis(
            new EmbeddedRedisOptions { Port = EmbeddedRedisServer.FreeLoopbackPort(), Persistent = persistent, DataDirectory = dir },
            dir);
        await redis.StartAgainAsync();
        return redis;
    }

    /// <summary>Stops the server (SIGTERM, waits for it to exit).</summary>
    public void Stop()
    {
        _server?.Dispose();
        _server = null;
    }

    /// <summary>Starts it again on the same port (and folder, when persistent).</summary>
    public async Task StartAgainAsync() => _server = await EmbeddedRedisServer.StartAsync(_options);

    public ValueTask DisposeAsync()
    {
        Stop();
        if (_dataDirectory is not null)
        {
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Under /tmp; not worth failing a test over.
            }
        }

        return ValueTask.CompletedTask;
    }
}
