using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BlazorRedis.Tests.Infrastructure;

/// <summary>
/// The real app on Kestrel, on a free loopback port, against the test Redis (or the embedded one when
/// <see cref="UseEmbeddedRedis"/>). Settings can be overridden per fixture.
/// </summary>
public class BlazorRedisAppFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public BlazorRedisAppFactory(string? redisConfiguration, IDictionary<string, string?>? settings = null)
    {
        _settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        if (redisConfiguration is not null)
        {
            _settings["ConnectionStrings:redis"] = redisConfiguration;
        }

        _settings.TryAdd("Keyspace:Prefix", $"brapp{Guid.NewGuid():N}"[..13] + ":");

        // Every test request comes from 127.0.0.1, so the per-address login limit would throttle unrelated tests;
        // tests of the login limit itself set it explicitly.
        _settings.TryAdd("RateLimiting:LoginPermitLimit", "100000");
        _settings.TryAdd("RateLimiting:LoginAddressPermitLimit", "100000");
        _settings.TryAdd("RateLimiting:PublishPermitLimit", "100000");
        _settings.TryAdd("RateLimiting:ProductWritePermitLimit", "100000");
        _settings.TryAdd("Classroom:JoinAttemptLimit", "100000");

        // A known teacher token, reusable, so a test can act as the teacher (CreateTeacherClientAsync, the browser
        // fixture's OpenAsTeacherAsync); tests of the single-use link set their own settings.
        _settings.TryAdd("Classroom:TeacherToken", $"test-teacher-{Guid.NewGuid():N}");
        _settings.TryAdd("Classroom:ReusableTeacherLink", "true");
        UseKestrel(0);
    }

    /// <summary>Every log line the app wrote.</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>True when the app starts its own redis-server.</summary>
    public bool UseEmbeddedRedis => !_settings.ContainsKey("ConnectionStrings:redis") && !_settings.ContainsKey("REDIS_URL");

    /// <summary>The app's keyspace prefix.</summary>
    public string Prefix => _settings["Keyspace:Prefix"]!;

    /// <summary>http://127.0.0.1:port, after <see cref="Start"/>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Starts Kestrel and learns its address.</summary>
    public BlazorRedisAppFactory Start()
    {
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        return this;
    }

    /// <summary>
    /// A client for the real server, keeping cookies. A request that sets <c>Expect: 100-continue</c> waits for the
    /// server's answer before sending its body (as curl does for big bodies), however busy the machine is.
    /// </summary>
    public HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        UseCookies = true,
        AllowAutoRedirect = false,
        Expect100ContinueTimeout = TimeSpan.FromSeconds(30),
    })
    { BaseAddress = BaseAddress };

    /// <summary>The configured teacher token (null when a test cleared it).</summary>
    public string? TeacherToken => _settings.GetValueOrDefault("Classroom:TeacherToken");

    /// <summary>The teacher link: opening it makes the browser (or client) the teacher.</summary>
    public string TeacherLinkPath => $"/teacher/claim?token={Uri.EscapeDataString(TeacherToken ?? "")}";

    /// <summary>A client holding the teacher's cookies (it opened the teacher link), for the class-wide controls.</summary>
    public async Task<HttpClient> CreateTeacherClientAsync(CancellationToken cancellationToken = default)
    {
        var client = CreateHttpClient();
        using var claim = await client.GetAsync(TeacherLinkPath, cancellationToken);
        if (claim.StatusCode != System.Net.HttpStatusCode.Redirect)
        {
            client.Dispose();
            throw new InvalidOperationException($"The teacher link answered {(int)claim.StatusCode}, not a redirect.");
        }

        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("urls", "http://127.0.0.1:0");
    }
}

/// <summary>A class fixture: one app on the shared test Redis for all tests of a class.</summary>
public sealed class AppFixture : IAsyncLifetime
{
    private readonly RedisServerFixture _redis;

    public AppFixture(RedisServerFixture redis) => _redis = redis;

    public BlazorRedisAppFactory Factory { get; private set; } = null!;

    public Uri BaseAddress => Factory.BaseAddress;

    public ValueTask InitializeAsync()
    {
        Factory = new BlazorRedisAppFactory(_redis.Configuration).Start();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();
}
