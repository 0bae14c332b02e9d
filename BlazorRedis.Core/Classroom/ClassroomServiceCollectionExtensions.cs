using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Core.Classroom;

/// <summary>Registers the class in Redis.</summary>
public static class ClassroomServiceCollectionExtensions
{
    /// <summary>Binds and validates the class settings of <c>Classroom</c>; registers the class service, its polls, stampede rounds, leaderboard and channel, and the two hubs.</summary>
    public static IServiceCollection AddClasses(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ClassOptions>().Bind(configuration.GetSection(ClassOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ClassService>();
        services.AddSingleton<ClassEventHub>();
        services.AddSingleton<ClassPolls>();
        services.AddSingleton<ClassLeaderboard>();
        services.AddSingleton<ClassChannel>();
        services.AddSingleton<ClassChannelHub>();
        services.AddSingleton<ClassStampede>();
        return services;
    }
}
