namespace BlazorRedis.Core.Caching.Eviction;

/// <summary>The sandbox redis-server cannot be started here (no binary, or it would not start).</summary>
public sealed class EvictionSandboxUnavailableException : InvalidOperationException
{
    public EvictionSandboxUnavailableException()
        : base("The eviction lab's sandbox Redis is not available.")
    {
    }

    public EvictionSandboxUnavailableException(string message)
        : base(message)
    {
    }

    public EvictionSandboxUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
