using BlazorRedis.App.Api;
using Microsoft.AspNetCore.Routing.Template;

namespace BlazorRedis.App.Hosting;

/// <summary>
/// A request to an API path that exists, with a method it does not take, gets 405 with an <c>Allow</c> header.
/// Routing does this itself unless another endpoint (a page or a static file route) takes the method, which is what
/// happens to a GET on a POST-only API path: without this it would answer 404 and hide that the path exists. A path no
/// API endpoint has gets a 404 problem whatever the method. OPTIONS on a path that exists answers 204 with the same
/// <c>Allow</c> header. A path that takes GET takes HEAD too (<see cref="PageMethods.HeadAsGetAsync"/> runs it as GET).
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
        if (allowed.Length == 0)
        {
            // No API endpoint has this path: 404 whatever the method (a page route's GET, HEAD must not make it a 405).
            return ApiProblems.NotFound("No such API endpoint.", "Nothing in the API answers at this address. The endpoints are listed at /openapi/v1.json.").ExecuteAsync(context);
        }

        var options = HttpMethods.IsOptions(context.Request.Method);
        if (!options && allowed.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase))
        {
            // A right method that routing refused for another reason (415 and the like).
            return next(context);
        }

        // HEAD was turned into GET before routing, so a HEAD on a path without GET reads as a refused GET here.
        context.Response.StatusCode = options ? StatusCodes.Status204NoContent : StatusCodes.Status405MethodNotAllowed;
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
        var methods = _routes.Where(r => r.Matcher.TryMatch(path, new RouteValueDictionary())).SelectMany(r => r.Methods).ToList();
        if (methods.Count == 0)
        {
            return [];
        }

        if (methods.Contains(HttpMethods.Get, StringComparer.OrdinalIgnoreCase))
        {
            methods.Add(HttpMethods.Head);
        }

        methods.Add(HttpMethods.Options);
        return [.. methods.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)];
    }
}
