namespace BlazorRedis.Core;

/// <summary>
/// A learner typed something a demo cannot use (an empty name, a number out of range, a pattern with spaces) or
/// asked for a step that needs another first. Pages show its message next to the form; the API answers 400.
/// Every other exception is a bug and reaches the error boundary and the log.
/// </summary>
public class LearnerInputException : ArgumentException
{
    /// <summary>An input error with no parameter name.</summary>
    public LearnerInputException()
    {
    }

    /// <summary>An input error whose message the learner reads.</summary>
    public LearnerInputException(string message)
        : base(message)
    {
    }

    /// <summary>An input error about the parameter <paramref name="paramName"/>.</summary>
    public LearnerInputException(string message, string? paramName)
        : base(message, paramName)
    {
    }

    /// <summary>An input error caused by <paramref name="innerException"/>.</summary>
    public LearnerInputException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
