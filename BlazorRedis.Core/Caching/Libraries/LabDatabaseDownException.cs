namespace BlazorRedis.Core.Caching.Libraries;

/// <summary>The lab's database was stopped by the learner (the fail-safe experiment), so a load failed.</summary>
public sealed class LabDatabaseDownException : Exception
{
    public LabDatabaseDownException()
        : base("The lab's database is stopped, so the product could not be loaded.")
    {
    }

    public LabDatabaseDownException(string message)
        : base(message)
    {
    }

    public LabDatabaseDownException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
