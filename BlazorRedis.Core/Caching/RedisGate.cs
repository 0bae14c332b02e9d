using BlazorRedis.Core.Tracing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching;

/// <summary>
/// Runs cache commands with a short deadline, through the recorder (<see cref="TraceRecorder.None"/> for untraced calls). When Redis is down the call fails
/// at once (or after <see cref="CachingOptions.RedisTimeoutMs"/>) instead of waiting for the client's own timeouts,
/// so reads can fall back to the database and writes can answer 503 quickly.
/// </summary>
public sealed class RedisGate(IConnectionMultiplexer mux, IOptions<CachingOptions> options)
{
    /// <summary>The deadline of one cache command.</summary>
    public TimeSpan Timeout { get; } = TimeSpan.FromMilliseconds(options.Value.RedisTimeoutMs);

    /// <summary>The database commands go to.</summary>
    public IDatabase Db { get; } = mux.GetDatabase();

    /// <summary>True while the client has a live connection.</summary>
    public bool IsConnected => mux.IsConnected;

    /// <summary>Throws <see cref="RedisConnectionException"/> when Redis is not connected.</summary>
    public void EnsureConnected()
    {
        if (!mux.IsConnected)
        {
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "Redis is unreachable, so the cache cannot be used right now.", null, CommandStatus.Unknown);
        }
    }

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
