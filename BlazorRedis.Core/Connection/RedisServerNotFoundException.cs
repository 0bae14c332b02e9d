namespace BlazorRedis.Core.Connection;

/// <summary>Thrown at start when the app must run its own Redis but no redis-server binary can be found.</summary>
public sealed class RedisServerNotFoundException : Exception
{
    public RedisServerNotFoundException()
        : this("redis-server")
    {
    }

    public RedisServerNotFoundException(string serverPath)
        : base(
            $"Could not find '{serverPath}'. Install it (Debian/Ubuntu: sudo apt-get install -y redis-server) " +
            "or point the app at an existing Redis with REDIS_URL=redis://host:6379 or ConnectionStrings__redis=host:6379.")
    {
    }

    public RedisServerNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
