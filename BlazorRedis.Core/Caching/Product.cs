using System.Text.Json.Serialization;
using BlazorRedis.Core;

namespace BlazorRedis.Core.Caching;

/// <summary>A product as the database stores it and the cache copies it.</summary>
public sealed record Product(int Id, string Name, decimal Price, string Category, int Stock, DateTimeOffset UpdatedAt);

/// <summary>The fields a client may set on a product (create or update). Nullable so a missing field is an error, not a zero.</summary>
public sealed class ProductInput
{
    /// <summary>Longest product name accepted.</summary>
    public const int MaxNameLength = 200;

    /// <summary>Longest category accepted (it becomes part of a tag key).</summary>
    public const int MaxCategoryLength = 50;

    /// <summary>Highest price accepted.</summary>
    public const decimal MaxPrice = 1_000_000m;

    /// <summary>Highest stock accepted.</summary>
    public const int MaxStock = 1_000_000;

    public string? Name { get; set; }

    public decimal? Price { get; set; }

    public string? Category { get; set; }

    public int? Stock { get; set; }

    /// <summary>A copy of <paramref name="product"/>'s editable fields.</summary>
    public static ProductInput From(Product product)
    {
        ArgumentNullException.ThrowIfNull(product);
        return new() { Name = product.Name, Price = product.Price, Category = product.Category, Stock = product.Stock };
    }

    /// <summary>Every problem with the input, by field (camelCase, as JSON clients name them). Empty when valid.</summary>
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors["name"] = ["A name is required."];
        }
        else if (Name.Length > MaxNameLength)
        {
            errors["name"] = [$"A name must be at most {MaxNameLength} characters."];
        }
        else if (Name.Any(char.IsControl))
        {
            errors["name"] = ["A name must not contain control characters such as line breaks."];
        }

        if (Price is null)
        {
            errors["price"] = ["A price is required."];
        }
        else if (Price <= 0 || Price > MaxPrice)
        {
            errors["price"] = [$"The price must be above 0 and at most {MaxPrice:0}."];
        }

        if (string.IsNullOrWhiteSpace(Category))
        {
            errors["category"] = ["A category is required."];
        }
        else if (Category.Length > MaxCategoryLength)
        {
            errors["category"] = [$"A category must be at most {MaxCategoryLength} characters."];
        }
        else if (!Keys.RedisKeyspace.TryValidate(Category, out var keyError) || Category.Any(char.IsWhiteSpace) || Category.Contains('*', StringComparison.Ordinal))
        {
            errors["category"] = [keyError.Length > 0 ? keyError : "A category must be one word without spaces or *."];
        }

        if (Stock is null)
        {
            errors["stock"] = ["A stock count is required."];
        }
        else if (Stock < 0 || Stock > MaxStock)
        {
            errors["stock"] = [$"The stock must be between 0 and {MaxStock}."];
        }

        return errors;
    }

    /// <summary>Throws <see cref="ProductValidationException"/> when the input is not valid.</summary>
    public void EnsureValid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ProductValidationException(errors);
        }
    }
}

/// <summary>A product input that failed validation; nothing was written.</summary>
public sealed class ProductValidationException : LearnerInputException
{
    public ProductValidationException(IReadOnlyDictionary<string, string[]> errors)
        : base(string.Join(" ", errors.Values.SelectMany(v => v)))
    {
        Errors = errors;
    }

    public ProductValidationException()
        : this(new Dictionary<string, string[]>())
    {
    }

    public ProductValidationException(string message)
        : base(message)
    {
        Errors = new Dictionary<string, string[]> { ["body"] = [message] };
    }

    public ProductValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = new Dictionary<string, string[]> { ["body"] = [message] };
    }

    /// <summary>Problems by field.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }
}

/// <summary>What the cache stores for XFetch: the value, how long it took to compute (delta) and when it logically expires.</summary>
/// <param name="Value">The product.</param>
/// <param name="DeltaMs">How long the last recomputation took.</param>
/// <param name="ExpiresAtMs">Unix milliseconds of the logical expiry.</param>
public sealed record XFetchEntry(Product Value, double DeltaMs, long ExpiresAtMs);

/// <summary>One write queued for the database by write-behind.</summary>
/// <param name="ProductId">The product to change.</param>
/// <param name="Values">Its new fields.</param>
/// <param name="QueuedAt">When the write was accepted.</param>
public sealed record QueuedProductWrite(int ProductId, ProductInput Values, DateTimeOffset QueuedAt);

/// <summary>System.Text.Json source generation for everything the cache stores (no reflection at run time).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Product))]
[JsonSerializable(typeof(List<Product>))]
[JsonSerializable(typeof(XFetchEntry))]
[JsonSerializable(typeof(QueuedProductWrite))]
[JsonSerializable(typeof(ProductInput))]
public sealed partial class CachingJsonContext : JsonSerializerContext;
