using System.Globalization;
using BlazorRedis.Core.Connection;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Infrastructure;

/// <summary>
/// A redis-server of the test's own, for what must not disturb (or be disturbed by) other tests: pausing every client,
/// ACL users, counting the commands it was sent. <see cref="Admin"/> is an admin connection (<c>allowAdmin=true</c>).
/// </summary>
public sealed class PrivateRedis : IAsyncDisposable
{
    private PrivateRedis(EmbeddedRedisServer server, ConnectionMultiplexer admin)
    {
        Server = server;
        Admin = admin;
    }

    public EmbeddedRedisServer Server { get; }

    public ConnectionMultiplexer Admin { get; }

    public string EndPoint => Server.EndPoint;

    public static async Task<PrivateRedis> StartAsync()
    {
        var server = await EmbeddedRedisServer.StartAsync(new EmbeddedRedisOptions(), cancellationToken: TestContext.Current.CancellationToken);
        try
        {
            return new PrivateRedis(server, await ConnectionMultiplexer.ConnectAsync(server.EndPoint + ",allowAdmin=true"));
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Another connection to this server (the code under test's), shaped by <paramref name="configure"/>.</summary>
    public Task<ConnectionMultiplexer> ConnectAsync(Action<ConfigurationOptions>? configure = null)
    {
        var options = ConfigurationOptions.Parse(Server.EndPoint);
        configure?.Invoke(options);
        return ConnectionMultiplexer.ConnectAsync(options);
    }

    /// <summary>CLIENT PAUSE: Redis stays connected but answers no command (<paramref name="what"/> ALL) or no write (WRITE).</summary>
    public Task PauseAsync(TimeSpan howLong, string what = "ALL") =>
        Admin.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", ((long)howLong.TotalMilliseconds).ToString(CultureInfo.InvariantCulture), what);

    /// <summary>INFO commandstats: the calls of each command since the server started (lower-case names, as Redis prints them).</summary>
    public async Task<IReadOnlyDictionary<string, long>> CommandCallsAsync() => ParseCommandCalls((string?)await Admin.GetDatabase().ExecuteAsync("INFO", "commandstats") ?? "");

    /// <summary>The calls per command in an INFO commandstats reply (<c>cmdstat_get:calls=3,usec=…</c>).</summary>
    public static Dictionary<string, long> ParseCommandCalls(string info)
    {
        var stats = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in info.Split('\n'))
        {
            if (!line.StartsWith("cmdstat_", StringComparison.Ordinal))
            {
                continue;
            }

            var name = line["cmdstat_".Length..line.IndexOf(':', StringComparison.Ordinal)];
            var calls = line.Split(',')[0].Split('=')[1];
            stats[name] = long.Parse(calls, CultureInfo.InvariantCulture);
        }

        return stats;
    }

    public async ValueTask DisposeAsync()
    {
        await Admin.DisposeAsync();
        Server.Dispose();
    }
}
