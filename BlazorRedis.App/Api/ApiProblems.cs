using BlazorRedis.Core;
using BlazorRedis.Core.Budgets;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Connection;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;

namespace BlazorRedis.App.Api;

/// <summary>The problem+json answers every API group shares, so a client sees one shape for one kind of failure.</summary>
public static class ApiProblems
{
    /// <summary>
    /// 503: Redis is unreachable or too slow. Sets the one <c>Retry-After</c> rule. When the command was never sent
    /// (no connection) nothing changed; when Redis did not answer in time, the command may still have run there, and
    /// the answer says so instead of promising that nothing changed.
    /// </summary>
    public static ProblemHttpResult Unavailable(HttpContext context, Exception? failure = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.RetryAfter = RedisFailures.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var detail = failure is TimeoutException or RedisTimeoutException
            ? "Redis did not answer within the app's budget. If this was a write, it may or may not have been applied: read it back before you send it again."
            : "The app cannot reach Redis right now, so nothing was changed. Try again in a few seconds.";
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Redis is unavailable", detail: detail);
    }

    /// <summary>409: Redis is up and answered with an error (e.g. WRONGTYPE when a key holds another type).</summary>
    public static ProblemHttpResult Refused(RedisServerException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Redis refused the command",
            detail: "Redis refused the command: " + ex.Message);
    }

    /// <summary>429: the caller (or the class) has spent the budget of this expensive action; nothing ran. Says when to retry.</summary>
    public static ProblemHttpResult OverBudget(HttpContext context, BudgetExceededException ex)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(ex);
        var seconds = (int)Math.Max(1, Math.Ceiling(ex.RetryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Over budget", detail: ex.Message);
    }

    /// <summary>400 with the field the learner got wrong.</summary>
    public static ValidationProblem Invalid(LearnerInputException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        if (ex is ProductValidationException product)
        {
            return TypedResults.ValidationProblem(product.Errors.ToDictionary(), title: "The product is not valid.");
        }

        var message = ex.ParamName is { } name ? ex.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : ex.Message;
        return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [ex.ParamName ?? "request"] = [message] }, title: "The request is not valid.");
    }

    /// <summary>415: the body is not JSON in UTF-8 (or, for logout, no JSON content type was named at all).</summary>
    public static ProblemHttpResult UnsupportedMediaType() =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status415UnsupportedMediaType,
            title: "The body must be JSON in UTF-8.",
            detail: "Send Content-Type: application/json (with no charset, or charset=utf-8; this API reads no other charset).");

    /// <summary>403: a class-wide control (or, <paramref name="read"/>, the teacher's view of the class), and the caller is not the teacher; nothing changed.</summary>
    public static ProblemHttpResult TeacherOnly(bool read = false) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "The teacher controls this.",
            detail: read
                ? "This is the teacher's view of the class (its learners, polls and scores), so only the teacher's browser can see it."
                : "This setting is shared by the whole class, so only the teacher's browser can change it. Nothing was changed.");

    /// <summary>404 for a thing that does not exist.</summary>
    public static ProblemHttpResult NotFound(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: title, detail: detail);
}
