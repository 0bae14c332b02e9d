using System.Diagnostics;
using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace BlazorRedis.Core.Tracing;

/// <summary>
/// Collects the commands of one operation. Safe to use from concurrent tasks. <see cref="RunAsync{T}(string, Func{Task{T}}, Func{T, string}, string)"/>
/// is the one way the app runs a traced command; code that runs the same commands untraced (a load generator, a
/// background retry) passes <see cref="None"/>, which runs every call and records nothing.
/// </summary>
public sealed class TraceRecorder
{
    private readonly RedisTracer? _tracer;
    private readonly List<TracedCommand> _commands = [];
    private readonly List<TraceStep> _steps = [];
    private readonly Stopwatch _total = Stopwatch.StartNew();
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    private readonly Lock _lock = new();

    internal TraceRecorder(RedisTracer? tracer, string operation)
    {
        _tracer = tracer;
        Operation = operation;
    }

    /// <summary>A recorder that runs every call untraced (no profiling, nothing kept): the null object for "do not trace".</summary>
    public static TraceRecorder None { get; } = new(null, "Untraced");

    /// <summary>False for <see cref="None"/>.</summary>
    public bool IsRecording => _tracer is not null;

    /// <summary>The user action's name, e.g. "Set a session token".</summary>
    public string Operation { get; }

    /// <summary>
    /// Runs <paramref name="call"/> and records it as <paramref name="command"/>, showing the call's own source as its
    /// C#: <c>() =&gt; db.StringSetAsync(key, value, ttl)</c> is shown as <c>await db.StringSetAsync(key, value, ttl);</c>.
    /// The C# shown is then the C# that runs; the compiler fills <paramref name="csharp"/>.
    /// </summary>
    /// <param name="command">The command as redis-cli shows it (see <see cref="RedisCommandText"/>).</param>
    /// <param name="call">The real call, a single expression over the names a learner's program has (db, key…).</param>
    /// <param name="describe">Turns the reply into a short summary.</param>
    /// <param name="csharp">Filled by the compiler with the source of <paramref name="call"/>.</param>
    public Task<T> RunAsync<T>(string command, Func<Task<T>> call, Func<T, string> describe, [CallerArgumentExpression(nameof(call))] string csharp = "") =>
        RunAsync(command, RedisCommandText.CSharpOfCall(csharp), call, describe);

    /// <summary>Runs <paramref name="call"/> and records it as <paramref name="command"/>.</summary>
    /// <param name="command">The command as redis-cli shows it (see <see cref="RedisCommandText"/>).</param>
    /// <param name="csharp">The StackExchange.Redis C# that issues it: a self-contained statement (declare what is not <c>db</c>, <c>key</c>…).</param>
    /// <param name="call">The real call.</param>
    /// <param name="describe">Turns the reply into a short summary.</param>
    public async Task<T> RunAsync<T>(string command, string csharp, Func<Task<T>> call, Func<T, string> describe)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(describe);
        if (_tracer is null)
        {
            return await call().ConfigureAwait(false);
        }

        if (!_tracer.IsConnected)
        {
            // StackExchange.Redis would queue the command until it reconnects or its own timeout (5 s) passes, and
            // a queued command can still run after the learner was told it failed. Fail at once: nothing is sent.
            Add(new TracedCommand(command, csharp, TimeSpan.Zero, [], "(error) not sent: Redis is unreachable right now", Failed: true));
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "Redis is unreachable right now, so the command was not sent.", null, CommandStatus.WaitingToBeSent);
        }

        var sw = Stopwatch.StartNew();
        try
        {
            var (value, wire, elapsed) = await _tracer.ProfileAsync(call).ConfigureAwait(false);
            Add(new TracedCommand(command, csharp, elapsed, wire, describe(value)));
            return value;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Add(new TracedCommand(command, csharp, sw.Elapsed, [], "(error) " + ex.Message.Split('\n')[0].Trim(), Failed: true));
            throw;
        }
    }

    /// <summary>Runs a call with no reply worth showing; its C# is the call's own source (see the overload with a reply).</summary>
    public Task RunAsync(string command, Func<Task> call, string result = "OK", [CallerArgumentExpression(nameof(call))] string csharp = "") =>
        RunAsync(command, RedisCommandText.CSharpOfCall(csharp), call, result);

    /// <summary>Runs a call with no reply worth showing, with a hand-written snippet.</summary>
    public Task RunAsync(string command, string csharp, Func<Task> call, string result = "OK")
    {
        ArgumentNullException.ThrowIfNull(call);
        return RunAsync(command, csharp, async () => { await call().ConfigureAwait(false); return true; }, _ => result);
    }

    /// <summary>
    /// Runs a step that is not a Redis command (a database load, a database write) and records where it went and how
    /// long it took, in its place among the commands. <see cref="None"/> just runs it.
    /// </summary>
    public async Task<T> TimeAsync<T>(string where, string what, Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (_tracer is null)
        {
            return await call().ConfigureAwait(false);
        }

        int after;
        lock (_lock)
        {
            after = _commands.Count;
        }

        var sw = Stopwatch.StartNew();
        try
        {
            return await call().ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                _steps.Add(new TraceStep(where, what, sw.Elapsed, after));
            }
        }
    }

    /// <summary>Records a step that is not a Redis command, timed by the caller, after the commands recorded so far.</summary>
    public void AddStep(string where, string what, TimeSpan elapsed)
    {
        if (_tracer is null)
        {
            return;
        }

        lock (_lock)
        {
            _steps.Add(new TraceStep(where, what, elapsed, _commands.Count));
        }
    }

    /// <summary>
    /// A recorder of its own for calls the caller folds before they join this one (see <see cref="Record"/>), e.g. the
    /// steps of a SCAN walk; untraced when this one is.
    /// </summary>
    internal TraceRecorder Detached() => _tracer is null ? None : new(_tracer, Operation);

    /// <summary>Takes the commands recorded so far out of this recorder, in order (a <see cref="Detached"/> one).</summary>
    internal IReadOnlyList<TracedCommand> Take()
    {
        lock (_lock)
        {
            var taken = _commands.ToList();
            _commands.Clear();
            return taken;
        }
    }

    /// <summary>Records a command measured elsewhere (by a <see cref="Detached"/> recorder), after those recorded so far.</summary>
    internal void Record(TracedCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (_tracer is not null)
        {
            Add(command);
        }
    }

    /// <summary>The commands recorded so far, in the order they finished.</summary>
    public OperationTrace Finish()
    {
        if (_tracer is null)
        {
            return OperationTrace.Empty(Operation);
        }

        lock (_lock)
        {
            return new OperationTrace(Operation, [.. _commands], _total.Elapsed, _startedAt) { Steps = [.. _steps] };
        }
    }

    private void Add(TracedCommand command)
    {
        lock (_lock)
        {
            _commands.Add(command);
        }
    }
}
