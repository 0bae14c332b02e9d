using BlazorRedis.App.Api;

namespace BlazorRedis.App.Classroom;

/// <summary>Lets only the teacher's browser through to a class-wide control; anyone else gets 403 problem+json and nothing runs.</summary>
public sealed class TeacherOnlyFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return TeacherAccess.IsTeacherRequest(context.HttpContext) ? next(context) : ValueTask.FromResult<object?>(ApiProblems.TeacherOnly(read: HttpMethods.IsGet(context.HttpContext.Request.Method) || HttpMethods.IsHead(context.HttpContext.Request.Method)));
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
