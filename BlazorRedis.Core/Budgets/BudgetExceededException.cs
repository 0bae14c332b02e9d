namespace BlazorRedis.Core.Budgets;

/// <summary>An expensive action refused because its owner or the class has spent its budget; nothing was run. Says why and when to retry.</summary>
public sealed class BudgetExceededException : Exception
{
    public BudgetExceededException(string message, TimeSpan retryAfter)
        : base(message)
    {
        RetryAfter = retryAfter;
    }

    public BudgetExceededException()
        : this("This action is over its budget right now. Try again in a few seconds.", TimeSpan.FromSeconds(5))
    {
    }

    public BudgetExceededException(string message)
        : this(message, TimeSpan.FromSeconds(5))
    {
    }

    public BudgetExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
        RetryAfter = TimeSpan.FromSeconds(5);
    }

    /// <summary>When trying again is likely to work.</summary>
    public TimeSpan RetryAfter { get; }
}
