namespace BlazorRedis.Core.Connection;

/// <summary>Where the app's Redis lives. Bound from configuration at start.</summary>
public sealed class RedisConnectionOptions
{
    /// <summary>A StackExchange.Redis connection string (<c>ConnectionStrings:redis</c>).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>A <c>redis://</c> or <c>rediss://</c> URL (the <c>REDIS_URL</c> environment variable). Wins over the connection string.</summary>
    public string? Url { get; set; }

    /// <summary>
    /// A PEM file with the certificate authority that signed the server's TLS certificate, for servers whose
    /// certificate is not trusted by the operating system (a private CA). Used with <c>rediss://</c> or <c>ssl=true</c>.
    /// </summary>
    public string? TrustedCaCertificatePath { get; set; }

    /// <summary>
    /// The deadline, in milliseconds, of every Redis command a request or a click waits on (see
    /// <see cref="RedisCommandBudget"/>). Past it a read falls back or the action answers "Redis is unavailable".
    /// </summary>
    public int CommandTimeoutMs { get; set; } = RedisCommandBudget.DefaultMilliseconds;

    /// <summary>How the app's own redis-server is started when neither of the above is set.</summary>
    public EmbeddedRedisOptions Embedded { get; set; } = new();
}

/// <summary>Settings of the redis-server child process the app owns when no Redis is configured.</summary>
public sealed class EmbeddedRedisOptions
{
    /// <summary>The redis-server executable: a name looked up on PATH, or a full path.</summary>
    public string ServerPath { get; set; } = "redis-server";

    /// <summary>Keep data across restarts (append-only file in <see cref="DataDirectory"/>). Off by default.</summary>
    public bool Persistent { get; set; }

    /// <summary>The folder for persistent data; a fresh temporary folder is used (and removed) when not persistent.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>A fixed port; 0 picks a free loopback port.</summary>
    public int Port { get; set; }

    /// <summary>How long to wait for the server to answer PING.</summary>
    public int StartTimeoutSeconds { get; set; } = 15;

    /// <summary>Extra redis-server arguments (e.g. <c>--maxmemory 2mb</c>), used by the eviction sandbox.</summary>
    public IList<string> ExtraArguments { get; } = [];
}
