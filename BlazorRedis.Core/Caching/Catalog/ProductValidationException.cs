namespace BlazorRedis.Core.Caching.Catalog;

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
