using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Sessions;

/// <summary>
/// A new session was refused because the user already holds the most sessions the caller allows: the create script
/// counted them and wrote nothing, in one atomic step, so two logins at once can never both take the last slot.
/// </summary>
public sealed class SessionLimitException : LearnerInputException
{
    public SessionLimitException()
        : this(0, 0, OperationTrace.Empty("Log in"))
    {
    }

    public SessionLimitException(string message)
        : base(message)
    {
        Trace = OperationTrace.Empty("Log in");
    }

    public SessionLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
        Trace = OperationTrace.Empty("Log in");
    }

    /// <summary>A refusal: the user holds <paramref name="count"/> sessions and at most <paramref name="max"/> are allowed.</summary>
    public SessionLimitException(long count, int max, OperationTrace trace)
        : base($"This user already holds {count} sessions, the most allowed ({max}), so no new session was made. End one first.", "username")
    {
        Count = count;
        Max = max;
        Trace = trace;
    }

    /// <summary>The sessions the user held when the script refused.</summary>
    public long Count { get; }

    /// <summary>The most the caller allows.</summary>
    public int Max { get; }

    /// <summary>The refused create's commands (the script that counted and wrote nothing).</summary>
    public OperationTrace Trace { get; }
}
