using BlazorRedis.App.Api;
using BlazorRedis.App.Hosting;
using BlazorRedis.Core.Classroom;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BlazorRedis.App.Classroom;

/// <summary>The answer of <c>POST /api/classroom/reset-learner-keys</c>.</summary>
public sealed record ResetLearnerKeysResponse(long Deleted);

/// <summary>The teacher link and the teacher's class-wide API.</summary>
public static class ClassroomEndpoints
{
    /// <summary>The teacher's access, its settings (validated at start) and the start-up link in the log.</summary>
    public static IServiceCollection AddClassroom(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClassroomOptions>().Bind(configuration.GetSection(ClassroomOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClassroomOptions>, ClassroomOptions.Validator>();
        services.AddSingleton<TeacherAccess>();
        services.AddHostedService<TeacherLinkAnnouncer>();
        return services;
    }

    public static IEndpointRouteBuilder MapClassroom(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(TeacherAccess.ClaimPath, ClaimTeacher).ExcludeFromDescription();
        endpoints.MapGroup("/api/classroom").WithTags("Classroom").AddEndpointFilter<RedisFailureFilter>().RequireTeacher()
            .MapPost("/reset-learner-keys", ResetLearnerKeysAsync)
            .WithName("ResetEveryLearnersKeys")
            .WithSummary("Deletes every learner's demo keys (teacher only).")
            .DisableAntiforgery();
        return endpoints;
    }

    /// <summary>
    /// Opens the teacher link: the right token makes this browser the teacher and goes to <c>/teacher</c>; a wrong,
    /// used or earlier token gets 403 and changes nothing (logged at Debug: a guess is not an error of the app).
    /// </summary>
    private static Results<RedirectHttpResult, ProblemHttpResult> ClaimTeacher(HttpContext context, TeacherAccess access, ILoggerFactory loggers, string? token)
    {
        if (LearnerCookieMiddleware.Get(context) is not { } learner || !access.TryClaim(token))
        {
            loggers.CreateLogger(typeof(ClassroomEndpoints)).LogDebug("A teacher link with a wrong or spent token was refused.");
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "This teacher link does not work.",
                detail: "It is wrong, was already opened once, or belongs to an earlier start of the app. The console of the app shows the current link.");
        }

        context.Response.Cookies.Append(TeacherAccess.CookieName, access.ForCookie(learner), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            IsEssential = true,
            Path = "/",
            MaxAge = TimeSpan.FromDays(30),
        });
        return TypedResults.Redirect("/teacher");
    }

    private static async Task<Ok<ResetLearnerKeysResponse>> ResetLearnerKeysAsync(LearnerKeysReset reset)
    {
        var deleted = await reset.ResetEveryLearnerAsync();
        return TypedResults.Ok(new ResetLearnerKeysResponse(deleted.Value));
    }
}
