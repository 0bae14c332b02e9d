using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Core.Workbench;

/// <summary>Registers the workbench.</summary>
public static class WorkbenchServiceCollectionExtensions
{
    /// <summary>Binds and validates <c>Workbench</c>; registers the executor (one for the app, a session per console) and the key browser.</summary>
    public static IServiceCollection AddWorkbench(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<WorkbenchOptions>()
            .Bind(configuration.GetSection(WorkbenchOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<BlockingConnections>();
        services.AddSingleton<WorkbenchExecutor>();
        services.AddSingleton<WorkbenchKeyBrowser>();
        return services;
    }
}
