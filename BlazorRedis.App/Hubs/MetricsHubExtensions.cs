using BlazorRedis.App.Hosting;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using StackExchange.Redis;

namespace BlazorRedis.App.Hubs;

/// <summary>Wires the metrics hub into the app.</summary>
public static class MetricsHubExtensions
{
    /// <summary>The part of a backplane channel's name after the key prefix.</summary>
    public const string BackplaneChannelSegment = "signalr:";

    /// <summary>
    /// SignalR and the broadcaster that pushes every snapshot to the hub's clients; with
    /// <c>ScaleOut:SignalRBackplane</c>, the Redis backplane, so every instance's clients get what any instance sends.
    /// </summary>
    public static IServiceCollection AddMetricsHub(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var signalR = services.AddSignalR();
        if (configuration.GetValue($"{ScaleOutOptions.Section}:{nameof(ScaleOutOptions.SignalRBackplane)}", false))
        {
            signalR.AddStackExchangeRedis();

            // The backplane's own connection (it subscribes to a channel per hub, group and user, and disposes the
            // connection on shutdown), made from the app's resolved endpoint: the same server, TLS and password,
            // embedded or not. The channels live under the key prefix, so two apps on one Redis never hear each other.
            services.AddOptions<RedisOptions>().Configure<IServiceProvider>((o, sp) =>
            {
                var endpoint = sp.GetRequiredService<RedisEndpoint>();
                var prefix = sp.GetRequiredService<RedisKeyspace>().Prefix;
                o.Configuration = endpoint.CreateOptions();
                o.Configuration.ChannelPrefix = RedisChannel.Literal(prefix + BackplaneChannelSegment);
                o.ConnectionFactory = async writer =>
                {
                    var options = endpoint.CreateOptions();
                    options.ChannelPrefix = RedisChannel.Literal(prefix + BackplaneChannelSegment);
                    return await ConnectionMultiplexer.ConnectAsync(options, writer);
                };
            });
        }

        services.AddSingleton<MetricsHubConnections>();
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
