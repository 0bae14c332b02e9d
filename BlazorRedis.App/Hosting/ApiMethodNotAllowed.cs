using Microsoft.AspNetCore.Routing.Template;

namespace BlazorRedis.App.Hosting;

/// <summary>
/// A request to an API path that exists, with a method it does not take, gets 405 with an <c>Allow</c> header.
/// Routing does this itself unless another endpoint (a page or a static file route) takes the method, which is what
/// happens to a GET on a POST-only API path: without this it would answer 404 and hide that the path exists.
/// </summary>
internal sealed class ApiMethodNotAllowed(RequestDelegate next, EndpointDataSource endpoints)
{
    private (TemplateMatcher Matcher, IReadOnlyList<string> Methods)[]? _routes;

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (!path.StartsWithSegments("/api") || IsApiEndpoint(context.GetEndpoint()))
        {
            return next(context);
        }

        // Not cached per path: only unmatched /api requests get here, and a cache keyed by path would grow without bound.
        var allowed = AllowedMethods(path.Value ?? "/");
        if (allowed.Length == 0 || allowed.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase))
        {
            // Unknown path (404), or a right method that routing refused for another reason (415 and the like).
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        context.Response.Headers.Allow = string.Join(", ", allowed);
        return Task.CompletedTask;
    }

    private static bool IsApiEndpoint(Endpoint? endpoint) =>
        endpoint is RouteEndpoint route && (route.RoutePattern.RawText ?? "").StartsWith("/api", StringComparison.OrdinalIgnoreCase);

    private string[] AllowedMethods(string path)
    {
        _routes ??= [.. endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(IsApiEndpoint)
            .Select(e => (new TemplateMatcher(TemplateParser.Parse(e.RoutePattern.RawText!), new RouteValueDictionary()),
                e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []))];
        return [.. _routes.Where(r => r.Matcher.TryMatch(path, new RouteValueDictionary())).SelectMany(r => r.Methods).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)];
    }
}
