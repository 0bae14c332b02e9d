namespace BlazorRedis.Tests.Infrastructure.Chaos;

/// <summary>
/// Faults to inject into Redis calls, in the spirit of FusionCache's chaos components: a delay before each
/// call and a probability that a call fails as if the connection broke. Changeable while running.
/// </summary>
public sealed class ChaosOptions
{
    /// <summary>Added before every database call.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>0..1: the chance that a call throws <see cref="StackExchange.Redis.RedisConnectionException"/>.</summary>
    public double ErrorProbability { get; set; }

    /// <summary>When set, every call fails with this error reply from a server that is up (e.g. <c>LOADING …</c> after a restart).</summary>
    public string? ServerError { get; set; }

    /// <summary>Turns all faults off.</summary>
    public void Reset()
    {
        Delay = TimeSpan.Zero;
        ErrorProbability = 0;
        ServerError = null;
    }
}
