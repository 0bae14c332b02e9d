namespace BlazorRedis.App.Hosting;

/// <summary>Settings for running several app instances on one Redis (<c>ScaleOut:*</c>).</summary>
public sealed class ScaleOutOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "ScaleOut";

    /// <summary>
    /// Keep the Data Protection key ring in Redis (one key under the prefix), so the learner cookie, antiforgery tokens and
    /// the teacher cookie issued by one instance are valid on every instance and after restarts. Off: the default key ring
    /// of this machine's user profile, which suits one instance.
    /// </summary>
    public bool DataProtectionInRedis { get; set; }

    /// <summary>
    /// Send the SignalR hubs' messages (<c>/hubs/metrics</c>) through Redis pub/sub (the SignalR Redis backplane), so a
    /// message sent on one instance reaches the clients connected to every instance. Its own connection, made from the
    /// app's Redis settings; its channels start with the key prefix followed by <c>signalr:</c>. Off: in-process, which
    /// suits one instance.
    /// </summary>
    public bool SignalRBackplane { get; set; }
}
