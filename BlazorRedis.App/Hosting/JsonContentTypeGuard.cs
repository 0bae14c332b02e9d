using BlazorRedis.App.Api;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace BlazorRedis.App.Hosting;

/// <summary>
/// One rule for every endpoint that reads a JSON body: a request that names its content type must name JSON in UTF-8
/// (<c>application/json</c>, optionally <c>; charset=utf-8</c>). Anything else — another charset (<c>utf-7</c>,
/// <c>ibm037</c>, <c>utf-16</c>), a quoted, empty or repeated charset, a header that does not parse, or a type that is
/// not JSON — gets 415 problem+json before the body is bound. Without it the framework's binder throws on a charset it
/// cannot decode (a logged 500), and the products endpoints, which read the body themselves, read any charset as UTF-8.
/// A missing content type is left to the endpoint (a body without one is refused by binding; no body is a 400).
/// </summary>
internal sealed class JsonContentTypeGuard(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType;
        if (contentType is null || !ReadsJson(context.GetEndpoint()) || IsUtf8Json(contentType))
        {
            return next(context);
        }

        return ApiProblems.UnsupportedMediaType().ExecuteAsync(context);
    }

    private static bool ReadsJson(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<IAcceptsMetadata>() is { } accepts
        && accepts.ContentTypes.Any(t => MediaTypeHeaderValue.TryParse(t, out var m) && IsJson(m));

    /// <summary>JSON as the binder reads it (<c>application/json</c> or a <c>+json</c> type), with no charset but UTF-8.</summary>
    internal static bool IsUtf8Json(string contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && IsJson(media)
        && media.Parameters.Where(p => p.Name.Equals("charset", StringComparison.OrdinalIgnoreCase))
            .All(p => p.Value.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    private static bool IsJson(MediaTypeHeaderValue media) =>
        media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase);
}
