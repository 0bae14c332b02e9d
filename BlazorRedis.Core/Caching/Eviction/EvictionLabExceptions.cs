namespace BlazorRedis.Core.Caching.Eviction;

/// <summary>Another learner's run holds the sandbox; runs never interleave.</summary>
public sealed class EvictionLabBusyException : InvalidOperationException
{
    public EvictionLabBusyException()
        : base("Another learner is running the lab right now. A run takes a few seconds; try again in a moment.")
    {
    }

    public EvictionLabBusyException(string message)
        : base(message)
    {
    }

    public EvictionLabBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

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
