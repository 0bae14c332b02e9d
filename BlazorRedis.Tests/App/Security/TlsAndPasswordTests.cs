using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BlazorRedis.Core.Connection;
using BlazorRedis.Tests.Infrastructure;
using StackExchange.Redis;

namespace BlazorRedis.Tests.App.Security;

/// <summary>
/// A password-protected, TLS-only redis-server signed by a private CA of the test's own: the app connects with
/// rediss://user:pass@host:port and the password shows up nowhere — not in logs, pages or error messages.
/// </summary>
public sealed class TlsAndPasswordTests : IAsyncLifetime
{
    private const string User = "teacher";
    private const string Password = "Zebra-Quartz-91";
    private readonly string _folder = Directory.CreateTempSubdirectory("br-tls-").FullName;
    private Process? _server;
    private int _port;

    public async ValueTask InitializeAsync()
    {
        WriteCertificates(_folder);
        _port = EmbeddedRedisServer.FreeLoopbackPort();
        var psi = new ProcessStartInfo(EmbeddedRedisServer.Locate("redis-server")!) { UseShellExecute = false, RedirectStandardOutput = true, WorkingDirectory = _folder };
        foreach (var arg in new[]
        {
            "--port", "0", "--tls-port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--tls-cert-file", "server.pem", "--tls-key-file", "server.key", "--tls-ca-cert-file", "ca.pem", "--tls-auth-clients", "no",
            "--user", "default", "off", "--user", User, "on", ">" + Password, "~*", "&*", "+@all",
            "--save", "", "--appendonly", "no", "--dir", _folder,
        })
        {
            psi.ArgumentList.Add(arg);
        }

        _server = Process.Start(psi)!;
        _ = _server.StandardOutput.ReadToEndAsync();
        await WaitForTlsAsync();
    }

    [Fact]
    public async Task App_connects_over_tls_with_a_password_and_never_shows_the_password()
    {
        await using var app = NewApp(Password).Start();
        using var client = app.CreateHttpClient();

        using var health = await client.GetAsync("/health", TestContext.Current.CancellationToken);
        var home = await client.GetStringAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var endpoint = app.Services.GetService(typeof(RedisEndpoint)) as RedisEndpoint;
        Assert.NotNull(endpoint);
        Assert.Contains("TLS", endpoint.Description, StringComparison.Ordinal);
        Assert.Contains($"localhost:{_port}", home, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, home, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, app.Logs.Text, StringComparison.Ordinal);
        Assert.Contains("REDIS_URL", app.Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_gives_503_and_the_attempted_password_appears_nowhere()
    {
        const string wrong = "Wrong-Horse-Battery-77";
        await using var app = NewApp(wrong).Start();
        using var client = app.CreateHttpClient();

        using var health = await client.GetAsync("/health", TestContext.Current.CancellationToken);
        var body = await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var home = await client.GetStringAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        foreach (var text in new[] { body, home, app.Logs.Text })
        {
            Assert.DoesNotContain(wrong, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_the_private_ca_the_certificate_is_refused()
    {
        await using var app = new BlazorRedisAppFactory(null, new Dictionary<string, string?>
        {
            ["REDIS_URL"] = $"rediss://{User}:{Password}@localhost:{_port}/0",
            ["ConnectionStrings:redis"] = null,
        }).Start();
        using var client = app.CreateHttpClient();

        using var health = await client.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
    }

    private BlazorRedisAppFactory NewApp(string password) => new(null, new Dictionary<string, string?>
    {
        ["REDIS_URL"] = $"rediss://{User}:{Uri.EscapeDataString(password)}@localhost:{_port}/0",
        ["Redis:TrustedCaCertificatePath"] = Path.Combine(_folder, "ca.pem"),
    });

    private async Task WaitForTlsAsync()
    {
        var options = ConfigurationOptions.Parse($"localhost:{_port},ssl=true,user={User},password={Password},abortConnect=false,connectTimeout=500");
        options.TrustIssuer(Path.Combine(_folder, "ca.pem"));
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(15))
        {
            await using var mux = await ConnectionMultiplexer.ConnectAsync(options);
            if (mux.IsConnected)
            {
                await mux.GetDatabase().PingAsync();
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("TLS redis-server did not come up.");
    }

    private static void WriteCertificates(string folder)
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=BlazorRedis test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(san.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(8));

        File.WriteAllText(Path.Combine(folder, "ca.pem"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "server.pem"), server.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "server.key"), serverKey.ExportPkcs8PrivateKeyPem());
    }

    public ValueTask DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill();
            _server.WaitForExit(5000);
        }

        _server?.Dispose();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
