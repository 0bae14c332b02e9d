using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching;

/// <summary>
/// Runs cache commands with a short deadline, through the recorder (<see cref="TraceRecorder.None"/> for untraced calls). When Redis is down the call fails
/// at once (or after the app's one command budget, <see cref="RedisCommandBudget"/>) instead of waiting for the client's own timeouts,
/// so reads can fall back to the database and writes can answer 503 quickly.
/// </summary>
public sealed class RedisGate(IConnectionMultiplexer mux, RedisCommandBudget budget)
{
    /// <summary>The deadline of one cache command (<c>Redis:CommandTimeoutMs</c>).</summary>
    public TimeSpan Timeout { get; } = budget.Timeout;

    /// <summary>The database commands go to.</summary>
    public IDatabase Db { get; } = mux.GetDatabase();

    /// <summary>True while the client has a live connection.</summary>
    public bool IsConnected => mux.IsConnected;

    /// <summary>Throws <see cref="RedisConnectionException"/> when Redis is not connected.</summary>
    public void EnsureConnected() => budget.EnsureConnected();

    /// <summary>Runs <paramref name="call"/> (recorded as <paramref name="command"/>).</summary>
    public Task<T> RunAsync<T>(TraceRecorder recorder, string command, string csharp, Func<IDatabase, Task<T>> call, Func<T, string> describe) =>
        RunAsync(recorder, command, csharp, call, describe, Timeout);

    /// <summary>Like the other overload, with its own deadline (a race of thousands of readers needs a longer one on a busy machine).</summary>
    public Task<T> RunAsync<T>(TraceRecorder recorder, string command, string csharp, Func<IDatabase, Task<T>> call, Func<T, string> describe, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(call);
        EnsureConnected();
        ArgumentNullException.ThrowIfNull(recorder);
        return recorder.RunAsync(command, csharp, () => call(Db).WaitAsync(timeout), describe);
    }
}
