using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using BlazorRedis.App.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;

namespace BlazorRedis.App.Hosting;

/// <summary>
/// A body or query an API endpoint cannot bind (JSON that does not parse or does not fit the request's shape, a query
/// value of the wrong kind) is the client's mistake: problem+json that says what is wrong — the body's expected fields,
/// or the query parameter and what it takes — logged at Debug, in every environment. The binder throws
/// <see cref="BadHttpRequestException"/> for these (<see cref="RouteHandlerOptions.ThrowOnBadRequest"/> is on); without
/// this the answer would be a bare "Bad Request", or the exception handler's logged 500.
/// </summary>
internal sealed partial class UnreadableRequestProblems(RequestDelegate next, ILogger<UnreadableRequestProblems> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted && AppHostingExtensions.IsMachineEndpoint(context.Request.Path))
        {
            LogRefused(logger, ex.StatusCode, ex.Message);
            await Problem(context, ex).ExecuteAsync(context);
        }
    }

    private static ProblemHttpResult Problem(HttpContext context, BadHttpRequestException ex) => ex.StatusCode switch
    {
        StatusCodes.Status400BadRequest => TypedResults.Problem(statusCode: ex.StatusCode, title: "The request could not be read.", detail: Detail(context, ex)),
        StatusCodes.Status415UnsupportedMediaType => ApiProblems.UnsupportedMediaType(),
        _ => TypedResults.Problem(statusCode: ex.StatusCode),
    };

    /// <summary>What is wrong, in plain words: the query parameter (or URL part) the binder refused, or the body's expected shape.</summary>
    internal static string Detail(HttpContext context, BadHttpRequestException ex)
    {
        var endpoint = context.GetEndpoint();
        if (ex.InnerException is not JsonException && ParameterName().Match(ex.Message) is { Success: true } match)
        {
            var name = match.Groups["name"].Value;
            var type = endpoint?.Metadata.GetMetadata<MethodInfo>()?.GetParameters().FirstOrDefault(p => p.Name == name)?.ParameterType;
            if (context.Request.Query.ContainsKey(name) || !context.Request.RouteValues.ContainsKey(name))
            {
                return (Nullable.GetUnderlyingType(type ?? typeof(object)) ?? type) == typeof(QueryFlag)
                    ? QueryFlag.Describe(name)
                    : $"The query parameter \"{name}\" is missing or has a value this endpoint cannot read.";
            }

            return $"The \"{name}\" part of the URL is not valid here.";
        }

        if (ex.InnerException is JsonException json && DuplicateMember(json) is { } duplicate)
        {
            return duplicate.Message;
        }

        var body = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType is { IsClass: true } shape && shape != typeof(string) ? shape : null;
        var properties = body?.GetProperties(BindingFlags.Public | BindingFlags.Instance) ?? [];

        // A field with a range (99999999999 where 1 to 5000 belongs, which does not even fit an int): name the field and its range.
        if (ex.InnerException is JsonException { Path: ['$', '.', .. var field] }
            && properties.FirstOrDefault(p => string.Equals(JsonNamingPolicy.CamelCase.ConvertName(p.Name), field, StringComparison.OrdinalIgnoreCase)) is { } failed
            && failed.GetCustomAttribute<System.ComponentModel.DataAnnotations.RangeAttribute>() is { } range)
        {
            return $"\"{JsonNamingPolicy.CamelCase.ConvertName(failed.Name)}\" must be {Kind(failed.PropertyType)} between {range.Minimum} and {range.Maximum}. Nothing was changed.";
        }

        var fields = properties.Select(p => $"\"{JsonNamingPolicy.CamelCase.ConvertName(p.Name)}\" ({Kind(p.PropertyType)})").ToList();
        return fields.Count == 0
            ? "The request body is not valid JSON of the shape this endpoint takes. Nothing was changed."
            : $"The request body is not valid JSON of the shape this endpoint takes: a JSON object with {Wording(fields)}. Nothing was changed.";
    }

    /// <summary>
    /// The member a body holds twice (<c>{"name":"A","name":"B"}</c>) and the plain-words reason, from the serializer's
    /// refusal (AllowDuplicateProperties is off for every API body); null for any other JSON error.
    /// </summary>
    internal static (string Member, string Message)? DuplicateMember(JsonException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        if (!ex.Message.StartsWith("Duplicate propert", StringComparison.Ordinal))
        {
            return null;
        }

        var member = DuplicateName().Match(ex.Message) is { Success: true } match ? match.Groups["name"].Value
            : ex.Path is ['$', '.', .. var field] ? field
            : "";
        return member.Length > 0
            ? (member, $"The member \"{member}\" appears more than once in the request body: send each member once. Nothing was changed.")
            : ("body", "A member appears more than once in the request body: send each member once. Nothing was changed.");
    }

    private static string Kind(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return "text";
        }

        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return "a whole number";
        }

        if (type == typeof(decimal) || type == typeof(double) || type == typeof(float))
        {
            return "a number";
        }

        var item = type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
        return item is null ? "a value" : $"a list, each {Kind(item)}";
    }

    private static string Wording(List<string> items) =>
        items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1];

    /// <summary>The parameter a binding failure names: <c>Failed to bind parameter "QueryFlag bypassCache" from "yes".</c></summary>
    [GeneratedRegex("parameter \"(?:[^\"]* )?(?<name>[^\" ]+)\"", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex ParameterName();

    /// <summary>The member the serializer names: <c>Duplicate property 'name' encountered during deserialization of type …</c></summary>
    [GeneratedRegex("^Duplicate property '(?<name>[^']+)'", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex DuplicateName();

    [LoggerMessage(Level = LogLevel.Debug, Message = "A request the API could not bind was refused with {Status}: {Reason}")]
    private static partial void LogRefused(ILogger logger, int status, string reason);
}
