using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace BlazorRedis.App.Hosting;

/// <summary>
/// The pages are for reading. HEAD on a page (an uptime check) runs as the GET it stands for, with the body dropped, so it
/// answers what GET answers and does nothing GET would not. Any other method on a page (POST, PUT, OPTIONS…) gets 405
/// with <c>Allow: GET, HEAD</c> and a plain sentence, instead of the antiforgery check's developer text or an empty 405;
/// no page posts a form, and the antiforgery middleware stays in the pipeline. API, health and hub paths are not touched.
/// </summary>
internal static class PageMethods
{
    /// <summary>What a write method on a page is told.</summary>
    public const string ReadOnlyText = "This page is only for reading in a browser (GET). Nothing was changed.";

    /// <summary>
    /// Before routing: HEAD on a page or API path is routed and run as GET (RFC 9110 §9.3.2: the same headers, no
    /// body), and whatever it writes is dropped. The other machine paths (/health, /openapi) map HEAD themselves.
    /// </summary>
    public static async Task HeadAsGetAsync(HttpContext context, RequestDelegate next)
    {
        if (!HttpMethods.IsHead(context.Request.Method)
            || (AppHostingExtensions.IsMachineEndpoint(context.Request.Path) && !context.Request.Path.StartsWithSegments("/api")))
        {
            await next(context);
            return;
        }

        var body = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null, body));
        context.Request.Method = HttpMethods.Get;
        try
        {
            await next(context);
        }
        finally
        {
            context.Request.Method = HttpMethods.Head;
            context.Features.Set(body);
        }
    }

    /// <summary>After routing: a method other than GET or HEAD on a page gets 405 and a plain sentence; an error page re-run for one gets its status in plain words.</summary>
    public static Task RefuseWritesAsync(HttpContext context, RequestDelegate next)
    {
        var method = context.Request.Method;
        // The Blazor circuit's own endpoints (/_blazor: negotiate, disconnect) carry the components' metadata too.
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || AppHostingExtensions.IsMachineEndpoint(context.Request.Path)
            || context.Request.Path.StartsWithSegments("/_blazor"))
        {
            return next(context);
        }

        // The not-found page re-run for a POST to an unknown address: that page reads, so say "not found" here.
        if (context.Features.Get<IStatusCodeReExecuteFeature>() is { } rerun)
        {
            return WriteAsync(context, rerun.OriginalStatusCode, rerun.OriginalStatusCode == StatusCodes.Status404NotFound
                ? "Not found: there is no page at this address."
                : ReasonPhrases.GetReasonPhrase(rerun.OriginalStatusCode));
        }

        // No endpoint: a 404, whose page is re-run above. An endpoint that takes this method (the Blazor hub's negotiate) runs.
        var endpoint = context.GetEndpoint();
        if (endpoint is null
            || (endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is null
                && endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(method, StringComparer.OrdinalIgnoreCase) == true))
        {
            return next(context);
        }

        context.Response.Headers.Allow = "GET, HEAD";
        return WriteAsync(context, StatusCodes.Status405MethodNotAllowed, ReadOnlyText);
    }

    private static Task WriteAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text);
    }
}
