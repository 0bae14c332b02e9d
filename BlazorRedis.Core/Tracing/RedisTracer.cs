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
    private readonly bool _ambient;
    private ProfilingSession? _current;

    /// <summary>Registers the profiler on <paramref name="mux"/> (one tracer per multiplexer).</summary>
    /// <param name="mux">The multiplexer whose commands are traced.</param>
    /// <param name="ambient">
    /// For a multiplexer that serves one action at a time (a learner's own lab connection): a command sent from code
    /// that does not flow the async context (a library's background work item) still counts toward the step under
    /// way. The shared multiplexer keeps this off, so concurrent learners' commands never mix.
    /// </param>
    public RedisTracer(IConnectionMultiplexer mux, bool ambient = false)
    {
        ArgumentNullException.ThrowIfNull(mux);
        _mux = mux;
        _ambient = ambient;
        mux.RegisterProfiler(() => _session.Value ?? (_ambient ? Volatile.Read(ref _current) : null));
    }

    /// <summary>False while the multiplexer has no connection: a traced command then fails at once instead of waiting in the backlog.</summary>
    internal bool IsConnected => _mux.IsConnected;

    /// <summary>Starts recording the commands of one user action.</summary>
    public TraceRecorder Start(string operation)
    {
        var recorder = new TraceRecorder(this, operation);
        TraceCapture.Add(recorder); // so a failed action can still show what it ran
        return recorder;
    }

    internal async Task<(T Value, IReadOnlyList<WireCommand> Wire, TimeSpan Elapsed)> ProfileAsync<T>(Func<Task<T>> call)
    {
        var session = new ProfilingSession();
        var previous = _session.Value;
        _session.Value = session;
        var previousAmbient = _ambient ? Interlocked.Exchange(ref _current, session) : null;
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
            if (_ambient)
            {
                Volatile.Write(ref _current, previousAmbient);
            }
        }
    }

    internal static IReadOnlyList<WireCommand> Collect(ProfilingSession session) =>
        session.FinishProfiling()
            .OrderBy(c => c.CommandCreated)
            .Select(c => new WireCommand(c.Command, c.ElapsedTime))
            .ToList();
}
