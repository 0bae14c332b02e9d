namespace BlazorRedis.Core.Caching.LoadGeneration;

/// <summary>What to run.</summary>
/// <param name="Requests">Total requests (1–100000).</param>
/// <param name="Concurrency">Requests in flight at once (1–256).</param>
/// <param name="Products">How many products (ids 1..K) the requests spread over.</param>
/// <param name="Distribution">How products are picked.</param>
/// <param name="Cached">True: cache-aside reads; false: every read goes to the database.</param>
/// <param name="WriteRatio">Share of requests that are writes (0–0.5); each write updates the database and invalidates.</param>
public sealed record LoadRequest(int Requests, int Concurrency, int Products, KeyDistribution Distribution, bool Cached, double WriteRatio)
{
    /// <summary>Most requests one run may make.</summary>
    public const int MaxRequests = 100_000;

    /// <summary>Most requests in flight at once.</summary>
    public const int MaxConcurrency = 256;

    /// <summary>Highest write share.</summary>
    public const double MaxWriteRatio = 0.5;

    /// <summary>
    /// The longest the run may take (the class's <c>Budgets:LoadRunSeconds</c>): it stops then and reports what it
    /// measured. Null: no limit.
    /// </summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>How long the run takes if every request waits <paramref name="databaseLatency"/> for the database (no cache hits), C at a time.</summary>
    public TimeSpan UncachedEstimate(TimeSpan databaseLatency) => databaseLatency * Math.Ceiling((double)Requests / Math.Max(1, Concurrency));

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad field.</summary>
    public void Validate(int catalogSize)
    {
        if (Requests is < 1 or > MaxRequests)
        {
            throw new LearnerInputException($"Requests must be between 1 and {MaxRequests}.");
        }

        if (Concurrency is < 1 or > MaxConcurrency)
        {
            throw new LearnerInputException($"Concurrency must be between 1 and {MaxConcurrency}.");
        }

        if (Products < 1 || Products > catalogSize)
        {
            throw new LearnerInputException($"Products must be between 1 and {catalogSize} (the catalog's size).");
        }

        if (!Enum.IsDefined(Distribution))
        {
            throw new LearnerInputException("Choose uniform or Zipf.");
        }

        if (double.IsNaN(WriteRatio) || WriteRatio < 0 || WriteRatio > MaxWriteRatio)
        {
            throw new LearnerInputException($"The write share must be between 0 and {MaxWriteRatio}.");
        }

        if (TimeLimit is { } limit && limit <= TimeSpan.Zero)
        {
            throw new LearnerInputException("A run's time limit must be more than zero.");
        }
    }
}
