using System.Text.Json;
using BlazorRedis.Core.Caching;
using BlazorRedis.Core.Caching.CacheAside;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.Libraries;
using BlazorRedis.Core.Caching.WriteStrategies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorRedis.App.Api;

/// <summary>A product read: who answered and how long the whole read took (measured on the server).</summary>
public sealed record ProductResponse(string Source, double ResponseTimeMs, Product Data);

/// <summary>A write-behind write the queue accepted: the stream entry id and the value the cache now holds.</summary>
public sealed record WriteBehindAcceptedResponse(string EntryId, Product Data);

/// <summary>The cached product list.</summary>
public sealed record ProductListResponse(string Source, double ResponseTimeMs, int Count, IReadOnlyList<Product> Data);

/// <summary>
/// What a write did: the product now, the cache keys it invalidated, and (rarely) the keys it could not invalidate
/// because Redis failed after the database had changed. Those are retried in the background and reads skip them.
/// </summary>
public sealed record ProductWriteResponse(Product Data, IReadOnlyList<string> InvalidatedKeys, double DatabaseMs, IReadOnlyList<string> PendingKeys, string? Warning);

/// <summary>
/// <c>/api/products</c>: cache-aside reads and writes that invalidate. Errors are problem+json: 400 with field
/// errors for bad ids and bodies, 404 for unknown products, 409 for a create into a full catalog, 429 with
/// <c>Retry-After</c> past the per-address write budget (reads are not limited), and the shared Redis failures
/// (<see cref="RedisFailureFilter"/>): 503 when a write cannot reach Redis, 409 when Redis refuses a command.
/// </summary>
public static class ProductsApi
{
    // Strict numbers: "stock": "5" is the wrong type, as the error message for it says (the Web defaults would accept it).
    // No duplicate members: {"name":"A","name":"B"} is refused, naming "name", as in every other API body.
    private static readonly JsonSerializerOptions BodyOptions = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = CachingJsonContext.Default,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
        AllowDuplicateProperties = false,
    };

    private static readonly Dictionary<string, CacheLibrary> Vias = new(StringComparer.Ordinal) { ["hybrid"] = CacheLibrary.Hybrid, ["fusion"] = CacheLibrary.Fusion };

    private static readonly HashSet<string> Strategies = new(StringComparer.Ordinal) { "invalidate", "write-through", "write-behind" };

    /// <summary>
    /// The one budget POST, PUT and DELETE share per client address (<c>RateLimiting:ProductWritePermitLimit</c>), taken
    /// once the id and body are valid and before the database is touched.
    /// </summary>
    internal const string WriteScope = "product-writes";

    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/products").WithTags("Products").AddEndpointFilter<RedisFailureFilter>();
        group.MapGet("/", GetProductsAsync)
            .WithName("GetProducts")
            .WithSummary("The product list, cache-aside (or from the database with ?bypassCache=true).");
        group.MapGet("/{id}", GetProductAsync)
            .WithName("GetProduct")
            .WithSummary("One product, cache-aside: who answered (cache or database) and how long the read took; ?via=hybrid or fusion reads it through HybridCache or FusionCache (L1 in the app, Redis as L2).")
            .Produces<ProductResponse>();
        group.MapPost("/", CreateProductAsync)
            .Accepts<ProductInput>("application/json")
            .WithName("CreateProduct")
            .WithSummary("Inserts a product and drops the cached list; 409 when the catalog is full (Catalog:MaxProducts).")
            .RequireRedisRateLimit(WriteScope, o => o.ProductWriteRule);
        group.MapPut("/{id}", UpdateProductAsync)
            .Accepts<ProductInput>("application/json")
            .WithName("UpdateProduct")
            .WithSummary("Updates a product: by default, then invalidates its key and the list key; ?strategy=write-through or write-behind (202, queued; 503 + Retry-After when the queue is full).")
            .RequireRedisRateLimit(WriteScope, o => o.ProductWriteRule);
        group.MapDelete("/{id}", DeleteProductAsync)
            .WithName("DeleteProduct")
            .WithSummary("Deletes a product and its cache entries.")
            .RequireRedisRateLimit(WriteScope, o => o.ProductWriteRule);
        return endpoints;
    }

    private static async Task<Ok<ProductListResponse>> GetProductsAsync(IProductReader reader, QueryFlag? bypassCache, CancellationToken ct)
    {
        var read = (await reader.GetAllAsync(bypassCache?.Value ?? false, ct)).Value;
        return TypedResults.Ok(new ProductListResponse(Source(read.Source), Ms(read.Elapsed), read.Products.Count, read.Products));
    }

    private static async Task<Results<ProductJsonResult, ValidationProblem, ProblemHttpResult>> GetProductAsync(
        string id, QueryFlag? bypassCache, string? via, IProductReader reader, HttpContext context, CancellationToken ct)
    {
        if (!TryParseId(id, out var productId, out var invalid))
        {
            return invalid;
        }

        if (via is not null)
        {
            if (!Vias.TryGetValue(via, out var library))
            {
                return TypedResults.ValidationProblem(
                    new Dictionary<string, string[]> { ["via"] = ["via must be hybrid (HybridCache) or fusion (FusionCache); leave it out for our cache-aside."] },
                    title: "The cache library is not valid.");
            }

            if (bypassCache?.Value == true)
            {
                return TypedResults.ValidationProblem(
                    new Dictionary<string, string[]> { ["bypassCache"] = ["bypassCache reads the database without any cache, so it cannot be combined with via."] },
                    title: "The query is not valid.");
            }

            // Resolved only here: the libraries' caches are built on the first ?via= read, never on the hot path.
            var libraries = context.RequestServices.GetRequiredService<LibraryProductCache>();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var (json, loaded) = await libraries.GetJsonAsync(library, productId, ct);
            return json is null ? NotFound(productId) : new ProductJsonResult(loaded ? "database" : "cache", Ms(clock.Elapsed), json);
        }

        // The hot path: a hit passes the cached JSON through (no parse, no re-serialize) into a ProductResponse.
        var read = await reader.GetJsonAsync(productId, bypassCache?.Value ?? false, ct);
        return read.Json is null ? NotFound(productId) : new ProductJsonResult(Source(read.Source), Ms(read.Elapsed), read.Json);
    }

    private static async Task<Results<Created<ProductWriteResponse>, ValidationProblem, ProblemHttpResult>> CreateProductAsync(HttpRequest request, IProductWriter writer, CancellationToken ct)
    {
        var body = await ReadBodyAsync(request, ct);
        if (body.Input is null)
        {
            return body.Invalid is { } invalid ? invalid : body.Problem!;
        }

        if (await RateLimitApi.CheckEndpointLimitAsync(request.HttpContext) is { } refused)
        {
            return refused;
        }

        ProductWriteResult result;
        try
        {
            result = (await writer.CreateAsync(body.Input, ct)).Value;
        }
        catch (CatalogFullException full)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The catalog is full",
                detail: full.Message,
                extensions: new Dictionary<string, object?> { ["maxProducts"] = full.MaxProducts });
        }

        return TypedResults.Created($"/api/products/{result.Product!.Id}", ToResponse(result));
    }

    private static async Task<Results<Ok<ProductWriteResponse>, Accepted<WriteBehindAcceptedResponse>, ValidationProblem, ProblemHttpResult>> UpdateProductAsync(
        string id, string? strategy, HttpRequest request, IProductWriter writer, WriteBehindService writeBehind, IProductDatabase database, CancellationToken ct)
    {
        if (!TryParseId(id, out var productId, out var invalidId))
        {
            return invalidId;
        }

        if (!Strategies.Contains(strategy ?? "invalidate"))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["strategy"] = ["The strategy must be invalidate (the default), write-through or write-behind."] },
                title: "The write strategy is not valid.");
        }

        var body = await ReadBodyAsync(request, ct);
        if (body.Input is null)
        {
            return body.Invalid is { } invalid ? invalid : body.Problem!;
        }

        if (await RateLimitApi.CheckEndpointLimitAsync(request.HttpContext) is { } refused)
        {
            return refused;
        }

        if (strategy == "write-behind")
        {
            if (await database.PeekAsync(productId, ct) is null)
            {
                return NotFound(productId);
            }

            try
            {
                var receipt = (await writeBehind.EnqueueAsync(productId, body.Input)).Value;
                return TypedResults.Accepted("/api/cache/write-behind", new WriteBehindAcceptedResponse(receipt.EntryId, receipt.Product));
            }
            catch (WriteBehindQueueFullException full)
            {
                request.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(full.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The write-behind queue is full", detail: full.Message);
            }
        }

        var result = strategy == "write-through"
            ? (await writer.WriteThroughAsync(productId, body.Input, ct)).Value
            : (await writer.UpdateAsync(productId, body.Input, ct)).Value;
        return result.Product is null ? NotFound(productId) : TypedResults.Ok(ToResponse(result));
    }

    private static async Task<Results<NoContent, Ok<ProductWriteResponse>, ValidationProblem, ProblemHttpResult>> DeleteProductAsync(
        string id, IProductWriter writer, HttpContext context, CancellationToken ct)
    {
        if (!TryParseId(id, out var productId, out var invalidId))
        {
            return invalidId;
        }

        if (await RateLimitApi.CheckEndpointLimitAsync(context) is { } refused)
        {
            return refused;
        }

        var result = (await writer.DeleteAsync(productId, ct)).Value;
        if (result.Product is null)
        {
            return NotFound(productId);
        }

        // Deleted, but when the cache half needs a retry, say so.
        return result.KeysPending.Count == 0 ? TypedResults.NoContent() : TypedResults.Ok(ToResponse(result));
    }

    private static bool TryParseId(string raw, out int id, out ValidationProblem invalid)
    {
        if (int.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out id) && id > 0)
        {
            invalid = null!;
            return true;
        }

        invalid = TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { ["id"] = ["The product id must be a positive whole number."] },
            title: "The product id is not valid.");
        return false;
    }

    private static async Task<(ProductInput? Input, ValidationProblem? Invalid, ProblemHttpResult? Problem)> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        static (ProductInput?, ValidationProblem?, ProblemHttpResult?) Bad(string field, string message) =>
            (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request body is not valid."), null);

        if (request.ContentLength == 0)
        {
            return Bad("body", "A JSON body is required: { \"name\", \"price\", \"category\", \"stock\" }.");
        }

        if (!request.HasJsonContentType())
        {
            return (null, null, TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "The body must be JSON.",
                detail: "Send the product with Content-Type: application/json."));
        }

        try
        {
            var input = await JsonSerializer.DeserializeAsync(request.Body, CachingJsonContextFor.Input, ct);
            if (input is null)
            {
                return Bad("body", "A JSON object is required.");
            }

            var errors = input.Validate();
            return errors.Count == 0
                ? (input, null, null)
                : (null, TypedResults.ValidationProblem(errors.ToDictionary(), title: "The product is not valid."), null);
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's body limit (Api:MaxRequestBodyBytes) or a broken upload: the client's fault, not a 500.
            return (null, null, TypedResults.Problem(statusCode: ex.StatusCode, title: "The request body could not be read.", detail: ex.Message));
        }
        catch (JsonException ex) when (ex.InnerException is JsonException)
        {
            // The reader's own error (System.Text.Json wraps it): the text is not JSON at all, e.g. cut off after
            // {"name": — whatever its path says, no value of the wrong type was ever read.
            return Bad("body", $"The body is not valid JSON: it is incomplete or malformed (at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).");
        }
        catch (JsonException ex) when (Hosting.UnreadableRequestProblems.DuplicateMember(ex) is { } duplicate)
        {
            return Bad(duplicate.Member, duplicate.Message);
        }
        catch (JsonException ex)
        {
            var field = ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";
            return Bad(field, field == "body" ? "The body is not valid JSON." : $"The value of {field} has the wrong type.");
        }
    }

    private static ProblemHttpResult NotFound(int id) => ApiProblems.NotFound("Product not found", $"There is no product {id}.");

    private static ProductWriteResponse ToResponse(ProductWriteResult result) =>
        new(result.Product!, result.KeysInvalidated, Ms(result.DatabaseTime), result.KeysPending, PendingWarning(result.KeysPending));

    /// <summary>The plain-language warning for a write whose cache half failed, or null.</summary>
    internal static string? PendingWarning(IReadOnlyList<string> pending) => pending.Count == 0 ? null :
        $"The database was written, but Redis failed before the cache was cleared. {string.Join(", ", pending)} will be " +
        "invalidated as soon as Redis answers; until then reads skip those keys and go to the database.";

    private static string Source(ReadSource source) => source == ReadSource.Cache ? "cache" : "database";

    private static double Ms(TimeSpan t) => Math.Round(t.TotalMilliseconds, 3);

    private static class CachingJsonContextFor
    {
        public static readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo<ProductInput> Input =
            (System.Text.Json.Serialization.Metadata.JsonTypeInfo<ProductInput>)BodyOptions.GetTypeInfo(typeof(ProductInput));
    }
}

/// <summary>
/// Writes a <see cref="ProductResponse"/> whose <c>data</c> is JSON text the app serialized itself (the cached value),
/// embedded as it is.
/// </summary>
internal sealed class ProductJsonResult(string source, double responseTimeMs, string productJson) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(httpContext.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteString("source", source);
        writer.WriteNumber("responseTimeMs", responseTimeMs);
        writer.WritePropertyName("data");
        writer.WriteRawValue(productJson, skipInputValidation: true);
        writer.WriteEndObject();
        await writer.FlushAsync(httpContext.RequestAborted);
    }
}
