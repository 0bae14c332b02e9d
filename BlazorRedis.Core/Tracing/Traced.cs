namespace BlazorRedis.Core.Tracing;

/// <summary>A result together with the commands that produced it.</summary>
public sealed record Traced<T>(T Value, OperationTrace Trace);
