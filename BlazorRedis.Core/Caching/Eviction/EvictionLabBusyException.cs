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
