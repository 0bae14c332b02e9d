using System.Diagnostics;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace BlazorRedis.Core.Tracing;

/// <summary>
/// Records which Redis commands an operation ran. Every step runs inside its own StackExchange.Redis
/// <see cref="ProfilingSession"/>, carried by an <see cref="AsyncLocal{T}"/>, so concurrent learners'
/// commands never mix and each step's wire commands and timings are the client's own measurements.
/// </summary>
public sealed class RedisTracer
{
    private readonly AsyncLocal<ProfilingSession?> _session = new();
    private readonly IConnectionMultiplexer _mux;

    /// <summary>Registers the profiler on <paramref name="mux"/> (one tracer per multiplexer).</summary>
    public RedisTracer(IConnectionMultiplexer mux)
    {
        ArgumentNullException.ThrowIfNull(mux);
        _mux = mux;
        mux.RegisterProfiler(() => _session.Value);
    }

    /// <summary>False while the multiplexer has no connection: a traced command then fails at once instead of waiting in the backlog.</summary>
    internal bool IsConnected => _mux.IsConnected;

    /// <summary>Starts recording the commands of one user action.</summary>
    public TraceRecorder Start(string operation) => new(this, operation);

    internal async Task<(T Value, IReadOnlyList<WireCommand> Wire, TimeSpan Elapsed)> ProfileAsync<T>(Func<Task<T>> call)
    {
        var session = new ProfilingSession();
        var previous = _session.Value;
        _session.Value = session;
        var sw = Stopwatch.StartNew();
        try
        {
            var value = await call().ConfigureAwait(false);
            sw.Stop();
            return (value, Collect(session), sw.Elapsed);
        }
        finally
        {
            _session.Value = previous;
        }
    }

    internal static IReadOnlyList<WireCommand> Collect(ProfilingSession session) =>
        session.FinishProfiling()
            .OrderBy(c => c.CommandCreated)
            .Select(c => new WireCommand(c.Command, c.ElapsedTime))
            .ToList();
}
