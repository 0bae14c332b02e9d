using StackExchange.Redis;

namespace BlazorRedis.Core.Connection;

/// <summary>
/// The one deadline of every Redis command an HTTP request or a click waits on (<c>Redis:CommandTimeoutMs</c>,
/// default 1000 ms): cache reads and writes, sessions, publishing, rate-limit decisions. While Redis is not connected
/// a call fails at once; a connected but slow Redis gets the budget, then a <see cref="TimeoutException"/>. Without
/// it a command waits in StackExchange.Redis's backlog for the client's own timeout (5 s), so a publish during an
/// outage hung for nearly 6 s before its 503. Both failures count as "unavailable" (<see cref="RedisFailures"/>),
/// which the API answers with 503 and <c>Retry-After</c> and the pages with their "Redis unavailable" message.
/// </summary>
public sealed class RedisCommandBudget
{
    /// <summary>The default budget in milliseconds.</summary>
    public const int DefaultMilliseconds = 1000;

    private readonly IConnectionMultiplexer _mux;

    public RedisCommandBudget(IConnectionMultiplexer mux, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _mux = mux ?? throw new ArgumentNullException(nameof(mux));
        Timeout = timeout;
    }

    /// <summary>How long one command may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Throws <see cref="RedisConnectionException"/> when Redis is not connected.</summary>
    public void EnsureConnected()
    {
        if (!_mux.IsConnected)
        {
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "Redis is unreachable right now.", null, CommandStatus.Unknown);
        }
    }

    /// <summary>Runs <paramref name="call"/> within the budget: at once a failure when disconnected, a timeout past the deadline.</summary>
    public Task<T> RunAsync<T>(Func<Task<T>> call) => RunAsync(call, Timeout);

    /// <summary>Like <see cref="RunAsync{T}(Func{Task{T}})"/> with a deadline of its own, for the rare call that needs longer.</summary>
    public Task<T> RunAsync<T>(Func<Task<T>> call, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(call);
        EnsureConnected();
        return call().WaitAsync(timeout);
    }
}
