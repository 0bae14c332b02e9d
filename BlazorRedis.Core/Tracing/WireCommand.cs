namespace BlazorRedis.Core.Tracing;

/// <summary>A command as StackExchange.Redis profiled it.</summary>
/// <param name="Name">The Redis command name, e.g. <c>SET</c> or <c>EVALSHA</c>.</param>
/// <param name="RoundTrip">From creation to completion of the command in the client.</param>
public sealed record WireCommand(string Name, TimeSpan RoundTrip);
