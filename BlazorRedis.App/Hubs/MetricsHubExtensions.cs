namespace BlazorRedis.App.Hubs;

/// <summary>Wires the metrics hub into the app.</summary>
public static class MetricsHubExtensions
{
    /// <summary>SignalR and the broadcaster that pushes every snapshot to the hub's clients.</summary>
    public static IServiceCollection AddMetricsHub(this IServiceCollection services)
    {
        services.AddSignalR();
        services.AddHostedService<MetricsHubBroadcaster>();
        return services;
    }

    /// <summary>Maps <see cref="MetricsHub"/> at <c>/hubs/metrics</c>.</summary>
    public static IEndpointRouteBuilder MapMetricsHub(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<MetricsHub>(MetricsHub.Path);
        return endpoints;
    }
}
