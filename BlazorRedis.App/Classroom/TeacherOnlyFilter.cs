using BlazorRedis.App.Api;
using BlazorRedis.App.Hosting;

namespace BlazorRedis.App.Classroom;

/// <summary>
/// Lets only the teacher's browser through to a class-wide control; anyone else gets 403 problem+json and nothing runs.
/// The teacher's request slides the teacher cookie and the learner cookie it is bound to, as a page request does: the
/// learner cookie middleware gives machine endpoints no cookies, so a teacher who only used the API would otherwise lose
/// the role when the cookies ran out.
/// </summary>
public sealed class TeacherOnlyFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        if (!TeacherAccess.IsTeacherRequest(http))
        {
            return ValueTask.FromResult<object?>(ApiProblems.TeacherOnly(read: HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)));
        }

        // Elsewhere the middleware has slid them already (once per request, once a day at most).
        if (AppHostingExtensions.IsMachineEndpoint(http.Request.Path) && http.RequestServices.GetService<LearnerTokens>() is { } tokens)
        {
            LearnerCookieMiddleware.TrySlide(http, tokens);
        }

        return next(context);
    }
}

/// <summary>Marks an endpoint as one of the class-wide controls.</summary>
public static class TeacherOnlyExtensions
{
    /// <summary>Only the teacher may call the endpoint (403 problem+json for everyone else).</summary>
    public static TBuilder RequireTeacher<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, TeacherOnlyFilter>();
}
