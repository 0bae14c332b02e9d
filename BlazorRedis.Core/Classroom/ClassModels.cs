namespace BlazorRedis.Core.Classroom;

/// <summary>An open class.</summary>
/// <param name="Code">The join code.</param>
/// <param name="OpenedAt">When the teacher opened it.</param>
/// <param name="Paused">True while the teacher has paused the class.</param>
/// <param name="TeacherPage">The page the teacher last brought everyone to (where "catch up" leads), or null.</param>
public sealed record ClassInfo(string Code, DateTimeOffset OpenedAt, bool Paused, string? TeacherPage = null);

/// <summary>A learner's place in a class.</summary>
/// <param name="Code">The class.</param>
/// <param name="Learner">The learner's id.</param>
/// <param name="Nickname">The nickname in the class.</param>
public sealed record ClassMembership(string Code, string Learner, string Nickname);

/// <summary>One row of the teacher's roster.</summary>
/// <param name="Learner">The learner's id.</param>
/// <param name="Nickname">The nickname.</param>
/// <param name="JoinedAt">When they joined.</param>
/// <param name="LastSeen">The last heartbeat (null: offline, the presence key has expired).</param>
/// <param name="Page">The page they are on.</param>
/// <param name="LastAction">What they ran last.</param>
/// <param name="LastActionAt">When.</param>
public sealed record RosterEntry(
    string Learner, string Nickname, DateTimeOffset JoinedAt, DateTimeOffset? LastSeen, string? Page, string? LastAction, DateTimeOffset? LastActionAt);

/// <summary>No open class has this code (wrong, closed or expired). The API answers 404; nothing changed.</summary>
public sealed class ClassNotFoundException : Exception
{
    /// <summary>The one message.</summary>
    public ClassNotFoundException()
        : base("No open class has this code. Check it on the teacher's screen: the class may also have been closed.")
    {
    }

    /// <summary>With a message of its own.</summary>
    public ClassNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>With a cause.</summary>
    public ClassNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Too many join attempts from one client: the API answers 429 with Retry-After; nothing was tried.</summary>
public sealed class TooManyJoinAttemptsException : Exception
{
    /// <summary>Refused for <paramref name="retryAfter"/>.</summary>
    public TooManyJoinAttemptsException(TimeSpan retryAfter)
        : base($"Too many attempts; try again in {Seconds(retryAfter)} s.") => RetryAfter = retryAfter;

    /// <summary>Not used; for serializers.</summary>
    public TooManyJoinAttemptsException()
        : this(TimeSpan.FromSeconds(1))
    {
    }

    /// <summary>Not used; for serializers.</summary>
    public TooManyJoinAttemptsException(string message)
        : base(message)
    {
    }

    /// <summary>Not used; for serializers.</summary>
    public TooManyJoinAttemptsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>How long to wait.</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>Whole seconds, rounded up, at least 1.</summary>
    public int RetryAfterSeconds => Seconds(RetryAfter);

    private static int Seconds(TimeSpan t) => Math.Max(1, (int)Math.Ceiling(t.TotalSeconds));
}
