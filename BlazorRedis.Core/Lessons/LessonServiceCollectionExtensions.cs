using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Core.Lessons;

/// <summary>Registers the course: its catalog, the check grader and learners' progress.</summary>
public static class LessonServiceCollectionExtensions
{
    /// <summary>Binds and validates <c>Lessons</c>; registers the catalog (which watches the teacher's folder), the grader and the progress store.</summary>
    public static IServiceCollection AddLessons(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<LessonOptions>()
            .Bind(configuration.GetSection(LessonOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<LessonCatalog>();
        services.AddSingleton<CheckEvaluator>();
        services.AddSingleton<LessonProgressStore>();
        services.AddSingleton<ClassQuizReporter>();
        return services;
    }
}
