namespace BlazorRedis.Core.Lessons;

/// <summary>How a check compares what Redis answered with what the lesson expects.</summary>
public enum CheckOperator
{
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,

    /// <summary><c>in A..B</c>: a number from A to B, both included.</summary>
    InRange,

    /// <summary><c>contains X</c>: X is one of the reply's elements, or part of its text.</summary>
    Contains,
}
