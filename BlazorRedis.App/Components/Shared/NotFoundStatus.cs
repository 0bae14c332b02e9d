namespace BlazorRedis.App.Components.Shared;

/// <summary>
/// Answers 404 for a page that names nothing (an unknown lesson, the not-found page itself), while the page is still
/// shown with its links. Only the server's first render of a request has an <see cref="HttpContext"/>: a page reached
/// by navigating inside a circuit has no HTTP status to change. On that first render Blazor leaves a 404's body to the
/// status-code pages, so the first response is the friendly not-found page (with the menu); inside a circuit the page
/// shows its own text.
/// </summary>
internal static class NotFoundStatus
{
    /// <summary>Sets 404 on the response of <paramref name="context"/>, when there is one and it has not started.</summary>
    public static void Set(HttpContext? context)
    {
        if (context is { Response.HasStarted: false })
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }
}
