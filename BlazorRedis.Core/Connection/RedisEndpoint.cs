using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.Connection;

/// <summary>Whether the app talks to its own redis-server or to one somebody else runs.</summary>
public enum RedisMode
{
    /// <summary>A redis-server child process this app started and will stop.</summary>
    Embedded,

    /// <summary>A server named by REDIS_URL or ConnectionStrings:redis.</summary>
    External,
}

/// <summary>The resolved Redis the app uses: options to connect with, where they came from, and the embedded server if any.</summary>
public sealed class RedisEndpoint : IDisposable
{
    private readonly ConfigurationOptions _options;

    public RedisEndpoint(ConfigurationOptions options, RedisMode mode, string source, EmbeddedRedisServer? embedded = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _options.AbortOnConnectFail = false;

        // INFO (status, memory facts) is an "admin" command to StackExchange.Redis. The app never issues
        // FLUSHALL, FLUSHDB, KEYS or CONFIG SET on this server; BlazorRedis.Tests/Core/SafetyTests checks the source.
        _options.AllowAdmin = true;
        Mode = mode;
        Source = source;
        Embedded = embedded;
    }

    /// <summary>Embedded or external.</summary>
    public RedisMode Mode { get; }

    /// <summary>Which setting chose this Redis ("REDIS_URL", "ConnectionStrings:redis", "embedded").</summary>
    public string Source { get; }

    /// <summary>The child server when <see cref="Mode"/> is <see cref="RedisMode.Embedded"/>.</summary>
    public EmbeddedRedisServer? Embedded { get; }

    /// <summary>Endpoints, TLS and database; never the password.</summary>
    public string Description => RedisUrlParser.Describe(_options);

    /// <summary>A fresh copy of the connection options (the multiplexer mutates what it is given).</summary>
    public ConfigurationOptions CreateOptions() => _options.Clone();

    /// <summary>Picks REDIS_URL, then ConnectionStrings:redis, else starts an embedded redis-server.</summary>
    public static RedisEndpoint Resolve(RedisConnectionOptions settings, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);
        RedisEndpoint endpoint;
        if (!string.IsNullOrWhiteSpace(settings.Url))
        {
            endpoint = new RedisEndpoint(RedisUrlParser.Parse(settings.Url), RedisMode.External, "REDIS_URL");
        }
        else if (!string.IsNullOrWhiteSpace(settings.ConnectionString))
        {
            ConfigurationOptions parsed;
            try
            {
                parsed = ConfigurationOptions.Parse(settings.ConnectionString);
            }
            catch (ArgumentException ex)
            {
                // The parser's own message names the bad option, not its value, so no secret leaks.
                throw new FormatException($"ConnectionStrings:redis is not a valid StackExchange.Redis connection string: {ex.Message}", ex);
            }

            if (parsed.EndPoints.Count == 0)
            {
                throw new FormatException("ConnectionStrings:redis names no endpoint; expected e.g. localhost:6379.");
            }

            endpoint = new RedisEndpoint(parsed, RedisMode.External, "ConnectionStrings:redis");
        }
        else
        {
            var server = EmbeddedRedisServer.StartAsync(settings.Embedded, logger).GetAwaiter().GetResult();
            var options = ConfigurationOptions.Parse(server.EndPoint);
            options.ClientName = "BlazorRedis";
            endpoint = new RedisEndpoint(options, RedisMode.Embedded, "embedded", server);
        }

        if (endpoint.Mode == RedisMode.External && !string.IsNullOrWhiteSpace(settings.TrustedCaCertificatePath))
        {
            // Accept exactly the certificates this CA issued (plus what the OS already trusts).
            endpoint._options.TrustIssuer(settings.TrustedCaCertificatePath);
        }

        logger.LogInformation("Using {Mode} Redis at {Endpoint} (from {Source})", endpoint.Mode, endpoint.Description, endpoint.Source);
        return endpoint;
    }

    /// <summary>Stops the embedded server, if this endpoint owns one.</summary>
    public void Dispose() => Embedded?.Dispose();
}

/// <summary>Validates <see cref="RedisConnectionOptions"/> at start so a bad setting stops the app with its name.</summary>
internal sealed class RedisConnectionOptionsValidator : IValidateOptions<RedisConnectionOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisConnectionOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Url))
        {
            try
            {
                RedisUrlParser.Parse(options.Url);
            }
            catch (FormatException ex)
            {
                return ValidateOptionsResult.Fail(ex.Message);
            }
        }

        if (!string.IsNullOrWhiteSpace(options.TrustedCaCertificatePath) && !File.Exists(options.TrustedCaCertificatePath))
        {
            return ValidateOptionsResult.Fail($"Redis:TrustedCaCertificatePath names a file that does not exist: {options.TrustedCaCertificatePath}");
        }

        if (options.CommandTimeoutMs is < 50 or > 30_000)
        {
            return ValidateOptionsResult.Fail("Redis:CommandTimeoutMs must be between 50 and 30000.");
        }

        if (options.Embedded.Port is < 0 or > 65535)
        {
            return ValidateOptionsResult.Fail("Redis:Embedded:Port must be 0 (pick a free port) or 1-65535.");
        }

        if (options.Embedded.StartTimeoutSeconds is < 1 or > 300)
        {
            return ValidateOptionsResult.Fail("Redis:Embedded:StartTimeoutSeconds must be between 1 and 300.");
        }

        return ValidateOptionsResult.Success;
    }
}
