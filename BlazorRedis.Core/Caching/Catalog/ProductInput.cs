namespace BlazorRedis.Core.Caching.Catalog;

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
        else if (Text.HiddenCharacters.Problem(Name, "A name") is { } hidden)
        {
            // Other people see product names (the teacher's projector, GET /api/products): the rule nicknames follow.
            errors["name"] = [hidden];
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
        else if (Text.HiddenCharacters.Problem(Category, "A category") is { } hiddenInCategory)
        {
            errors["category"] = [hiddenInCategory];
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
