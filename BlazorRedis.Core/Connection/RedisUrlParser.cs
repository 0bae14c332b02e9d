using System.Globalization;
using StackExchange.Redis;

namespace BlazorRedis.Core.Connection;

/// <summary>
/// Turns a <c>redis://[user:pass@]host:port[/db]</c> or <c>rediss://</c> (TLS) URL into StackExchange.Redis options.
/// Error messages never echo the password.
/// </summary>
public static class RedisUrlParser
{
    /// <summary>The default Redis port used when the URL names none.</summary>
    public const int DefaultPort = 6379;

    /// <summary>
    /// Parses <paramref name="url"/>; throws <see cref="FormatException"/> with a learner-readable reason. Several endpoints
    /// (the nodes of a Redis Cluster) are separated by commas: <c>redis://[user:pass@]h1:7000,h2:7001,h3:7002</c>, where
    /// the scheme, credentials and database of the first apply to all; a later part may repeat them in full only if they agree.
    /// </summary>
    public static ConfigurationOptions Parse(string url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new FormatException("REDIS_URL is empty. Expected redis://[user:password@]host:port[/db] or rediss://… for TLS.");
        }

        var parts = url.Split(',', StringSplitOptions.TrimEntries);
        var options = ParseOne(parts[0]);
        var scheme = options.Ssl ? "rediss" : "redis";
        foreach (var part in parts.Skip(1))
        {
            if (part.Length == 0)
            {
                throw new FormatException("REDIS_URL has an empty endpoint between commas; expected redis://host1:port1,host2:port2.");
            }

            var other = ParseOne(part.Contains("://", StringComparison.Ordinal) ? part : $"{scheme}://{part}");
            if (part.Contains("://", StringComparison.Ordinal)
                && (other.Ssl != options.Ssl || other.User != options.User || other.Password != options.Password || other.DefaultDatabase != options.DefaultDatabase))
            {
                throw new FormatException("REDIS_URL lists endpoints whose scheme, user, password or database differ; name them once, on the first endpoint.");
            }

            foreach (var endpoint in other.EndPoints)
            {
                if (options.EndPoints.Contains(endpoint))
                {
                    throw new FormatException($"REDIS_URL lists the endpoint {Format(endpoint)} twice.");
                }

                options.EndPoints.Add(endpoint);
            }
        }

        return options;
    }

    private static ConfigurationOptions ParseOne(string url)
    {
        url = url.Trim();
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? "" : url[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("redis" or "rediss"))
        {
            throw new FormatException("REDIS_URL must start with redis:// or rediss:// (TLS).");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException($"REDIS_URL is not a valid URL: expected {scheme}://[user:password@]host:port[/db].");
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new FormatException("REDIS_URL options after '?' or '#' are not supported; use ConnectionStrings:redis for StackExchange.Redis options.");
        }

        var port = uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port;
        if (port is < 1 or > 65535)
        {
            throw new FormatException($"REDIS_URL port {port} is out of range (1-65535).");
        }

        var options = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            Ssl = scheme == "rediss",
            ClientName = "BlazorRedis",
        };
        var host = uri.Host.Trim('[', ']');
        options.EndPoints.Add(host, port);
        if (options.Ssl)
        {
            options.SslHost = host;
        }

        ApplyUserInfo(uri.UserInfo, options);
        options.DefaultDatabase = ParseDatabase(uri.AbsolutePath);
        return options;
    }

    /// <summary>Describes a configuration for logs and the UI: endpoints, TLS and database, never credentials.</summary>
    public static string Describe(ConfigurationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoints = string.Join(", ", options.EndPoints.Select(e => Format(e)));
        var parts = new List<string> { endpoints };
        if (options.Ssl)
        {
            parts.Add("TLS");
        }

        if (options.DefaultDatabase is { } db and not 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"db {db}"));
        }

        if (!string.IsNullOrEmpty(options.Password))
        {
            parts.Add("password set");
        }

        return string.Join(", ", parts);
    }

    private static string Format(System.Net.EndPoint endPoint) => endPoint switch
    {
        System.Net.DnsEndPoint dns => string.Create(CultureInfo.InvariantCulture, $"{dns.Host}:{dns.Port}"),
        System.Net.IPEndPoint ip => ip.ToString(),
        _ => endPoint.ToString() ?? "?",
    };

    private static void ApplyUserInfo(string userInfo, ConfigurationOptions options)
    {
        if (string.IsNullOrEmpty(userInfo))
        {
            return;
        }

        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        string user;
        string? password;
        if (colon < 0)
        {
            // redis://secret@host is how many clients spell a password without a user name.
            user = "";
            password = Uri.UnescapeDataString(userInfo);
        }
        else
        {
            user = Uri.UnescapeDataString(userInfo[..colon]);
            password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        }

        if (user.Length > 0)
        {
            options.User = user;
        }

        if (!string.IsNullOrEmpty(password))
        {
            options.Password = password;
        }
    }

    private static int? ParseDatabase(string path)
    {
        var trimmed = path.Trim('/');
        if (trimmed.Length == 0)
        {
            return null;
        }

        if (!int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var db) || db > 15_999)
        {
            throw new FormatException("REDIS_URL database (the part after the last '/') must be a number such as /0.");
        }

        return db;
    }
}
