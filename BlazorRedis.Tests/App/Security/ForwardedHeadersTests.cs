using System.Net;
using System.Net.Http.Json;
using BlazorRedis.App.Hosting;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.App.Security;

/// <summary>
/// With <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c> (the README's advice behind a proxy), X-Forwarded-For is
/// believed only from the configured proxies. The test client connects from 127.0.0.1, so the untrusted case names
/// another proxy, and the trusted case names the test client itself.
/// </summary>
public class ForwardedHeadersTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rotating_X_Forwarded_For_from_a_sender_that_is_not_a_configured_proxy_does_not_escape_the_login_limit()
    {
        await using var app = Start(("ForwardedHeaders:KnownProxies:0", "10.9.8.7"));

        var statuses = await LoginWithRotatingForwardedForAsync(app, 6);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Empty(await SpoofedLimiterKeysAsync(app));
    }

    [Fact]
    public async Task A_configured_proxy_is_believed()
    {
        await using var app = Start(("ForwardedHeaders:KnownProxies:0", "10.9.8.7, 127.0.0.1"));

        var statuses = await LoginWithRotatingForwardedForAsync(app, 6);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.NotEmpty(await SpoofedLimiterKeysAsync(app));
    }

    [Fact]
    public async Task A_configured_proxy_network_is_believed()
    {
        await using var app = Start(("ForwardedHeaders:KnownNetworks:0", "127.0.0.0/8"));

        var statuses = await LoginWithRotatingForwardedForAsync(app, 6);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task With_nothing_configured_only_a_loopback_proxy_is_believed()
    {
        await using var app = Start();

        var statuses = await LoginWithRotatingForwardedForAsync(app, 6);

        // The test client is on loopback, so it is the trusted local proxy here.
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Theory]
    [InlineData("not-an-address", null, "ForwardedHeaders:KnownProxies")]
    [InlineData(null, "10.0.0.1", "ForwardedHeaders:KnownNetworks")]
    [InlineData(null, "10.0.0.0/99", "ForwardedHeaders:KnownNetworks")]
    public void A_bad_proxy_setting_is_refused_naming_it(string? proxy, string? network, string named)
    {
        var options = new TrustedProxyOptions { KnownProxies = proxy is null ? [] : [proxy], KnownNetworks = network is null ? [] : [network] };

        var result = new TrustedProxyOptions.Validator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(named, result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(proxy ?? network!, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_proxy_setting_stops_the_app_with_one_line_naming_it()
    {
        using var process = BlazorRedis.Tests.Core.Connection.AppProcessTests.StartApp(out var output, ("ForwardedHeaders__KnownProxies__0", "proxy.example"));
        await process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(1, process.ExitCode);
        var line = Assert.Single(output.ErrorLines, l => l.StartsWith("BlazorRedis could not start:", StringComparison.Ordinal));
        Assert.Contains("ForwardedHeaders:KnownProxies has 'proxy.example'", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Proxies_and_networks_may_be_listed_in_one_setting_and_replace_the_loopback_default()
    {
        var options = new Microsoft.AspNetCore.Builder.ForwardedHeadersOptions();

        new TrustedProxyOptions { KnownProxies = ["10.0.0.5, 10.0.0.6"], KnownNetworks = ["192.168.0.0/16;fd00::/8"] }.ApplyTo(options);

        Assert.Equal([IPAddress.Parse("10.0.0.5"), IPAddress.Parse("10.0.0.6")], options.KnownProxies);
        Assert.Equal([System.Net.IPNetwork.Parse("192.168.0.0/16"), System.Net.IPNetwork.Parse("fd00::/8")], options.KnownIPNetworks);
    }

    private BlazorRedisAppFactory Start(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["ForwardedHeaders_Enabled"] = "true",
            ["RateLimiting:LoginAddressPermitLimit"] = "3",
            ["RateLimiting:LoginWindowSeconds"] = "60",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return new BlazorRedisAppFactory(redis.Configuration, all).Start();
    }

    private static async Task<List<HttpStatusCode>> LoginWithRotatingForwardedForAsync(BlazorRedisAppFactory app, int count)
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = app.BaseAddress };
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/session/login") { Content = JsonContent.Create(new { username = $"user{i}" }) };
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i + 1}");
            using var response = await client.SendAsync(request, Ct);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    /// <summary>Limiter keys named after the addresses the client claimed (each would be a new key per spoofed address).</summary>
    private async Task<List<string>> SpoofedLimiterKeysAsync(BlazorRedisAppFactory app)
    {
        var keys = new List<string>();
        await foreach (var key in redis.Multiplexer.GetServers()[0].KeysAsync(pattern: app.Prefix + "*203.0.113.*"))
        {
            keys.Add(key.ToString());
        }

        return keys;
    }
}
