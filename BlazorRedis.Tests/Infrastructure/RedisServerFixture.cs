using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

[assembly: AssemblyFixture(typeof(BlazorRedis.Tests.Infrastructure.RedisServerFixture))]

namespace BlazorRedis.Tests.Infrastructure;

/// <summary>
/// One real redis-server for the whole test run, started on a free loopback port (or the server named by
/// BLAZORREDIS_TEST_REDIS). Tests isolate themselves with a unique key prefix each, so they run in parallel.
/// </summary>
public class RedisServerFixture : IAsyncLifetime
{
    private EmbeddedRedisServer? _server;
    private ConnectionMultiplexer? _mux;

    /// <summary>The StackExchange.Redis configuration string of the test server.</summary>
    public string Configuration { get; private set; } = "";

    /// <summary>A multiplexer shared by the tests (like the app shares one).</summary>
    public IConnectionMultiplexer Multiplexer => _mux ?? throw new InvalidOperationException("Not started.");

    /// <summary>The one tracer registered on <see cref="Multiplexer"/>.</summary>
    public RedisTracer Tracer { get; private set; } = null!;

    /// <summary>True when the tests run on a server this fixture started (and may stop/restart servers of their own).</summary>
    public virtual bool Owned => _server is not null;

    public async ValueTask InitializeAsync()
    {
        Configuration = await StartServersAsync();
        var options = ConfigurationOptions.Parse(Configuration);
        options.AllowAdmin = true;
        options.AbortOnConnectFail = false;
        _mux = await ConnectionMultiplexer.ConnectAsync(options);
        Tracer = new RedisTracer(_mux);
    }

    /// <summary>Starts the server(s) the tests use (or names an external one); returns the configuration string.</summary>
    protected virtual async Task<string> StartServersAsync()
    {
        var external = Environment.GetEnvironmentVariable("BLAZORREDIS_TEST_REDIS");
        if (!string.IsNullOrWhiteSpace(external))
        {
            return external;
        }

        _server = await EmbeddedRedisServer.StartAsync(new EmbeddedRedisOptions());
        return _server.EndPoint;
    }

    /// <summary>Stops what <see cref="StartServersAsync"/> started.</summary>
    protected virtual void StopServers() => _server?.Dispose();

    /// <summary>A keyspace whose prefix no other test uses.</summary>
    public RedisKeyspace NewKeyspace() => new($"brtest:{Guid.NewGuid():N}:");

    public async ValueTask DisposeAsync()
    {
        if (_mux is not null)
        {
            await _mux.DisposeAsync();
        }

        StopServers();
    }
}
