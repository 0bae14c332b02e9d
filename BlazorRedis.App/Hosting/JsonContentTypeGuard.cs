using BlazorRedis.App.Api;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace BlazorRedis.App.Hosting;

/// <summary>
/// One rule for every endpoint that reads a JSON body: a request that names its content type must name JSON in UTF-8
/// (<c>application/json</c>, optionally <c>; charset=utf-8</c>, or the same quoted, <c>charset="utf-8"</c>, which RFC 9110
/// §5.6.6 makes equal). Anything else — another charset (<c>utf-7</c>, <c>ibm037</c>, <c>utf-16</c>), an empty or
/// repeated charset, a header that does not parse, or a type that is not JSON — gets 415 problem+json before the body is bound. Without it the framework's binder throws on a charset it
/// cannot decode (a logged 500), and the products endpoints, which read the body themselves, read any charset as UTF-8.
/// A missing content type is left to the endpoint (a body without one is refused by binding; no body is a 400).
/// </summary>
internal sealed class JsonContentTypeGuard(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType;
        if (contentType is null || !ReadsJson(context.GetEndpoint()))
        {
            return next(context);
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || !IsUtf8Json(media))
        {
            return ApiProblems.UnsupportedMediaType().ExecuteAsync(context);
        }

        if (media.Charset.HasValue && !media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            // charset="utf-8": the same charset, quoted. The binder looks the raw value up as an encoding name, so hand it
            // the plain spelling rather than leave it to guess.
            media.Charset = "utf-8";
            context.Request.ContentType = media.ToString();
        }

        return next(context);
    }

    private static bool ReadsJson(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<IAcceptsMetadata>() is { } accepts
        && accepts.ContentTypes.Any(t => MediaTypeHeaderValue.TryParse(t, out var m) && IsJson(m));

    /// <summary>JSON as the binder reads it (<c>application/json</c> or a <c>+json</c> type), with no charset but UTF-8.</summary>
    private static bool IsUtf8Json(MediaTypeHeaderValue media) =>
        IsJson(media)
        && media.Parameters.Where(p => p.Name.Equals("charset", StringComparison.OrdinalIgnoreCase))
            .All(p => HeaderUtilities.RemoveQuotes(p.Value).Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    private static bool IsJson(MediaTypeHeaderValue media) =>
        media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase);
}
