using System.Globalization;
using System.Text;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Core.Tracing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.Workbench;

/// <summary>
/// Runs one line of a learner's console: parse (redis-cli syntax), allow-list (<see cref="WorkbenchPolicy"/>), move
/// the keys into the learner's space (<see cref="WorkbenchKeyRewriter"/>), check the limits, send through the app's
/// traced, time-boxed path, and print the reply as redis-cli does with the learner's own key names. Commands that reach
/// keys without naming them (KEYS, DBSIZE, SCAN, RANDOMKEY, FLUSHDB) are emulated with SCAN over the learner's prefix;
/// MULTI … EXEC is queued in the session and sent as one transaction.
/// </summary>
public sealed class WorkbenchExecutor
{
    /// <summary>Keys one SCAN asks for while the workbench walks a learner's keys.</summary>
    public const int ScanCount = 1000;

    /// <summary>Keys one UNLINK of FLUSHDB deletes.</summary>
    public const int FlushBatch = 100;

    /// <summary>The highest COUNT a learner's SCAN may ask for.</summary>
    public const int MaxScanCount = 1000;

    private static readonly string[] InfoFields = ["redis_version", "redis_mode", "os", "arch_bits", "tcp_port", "uptime_in_seconds", "uptime_in_days"];

    private readonly IConnectionMultiplexer _mux;
    private readonly RedisTracer _tracer;
    private readonly RedisKeyspace _keyspace;
    private readonly RedisCommandBudget _budget;
    private readonly IRateLimitService? _limiter;
    private readonly WorkbenchOptions _options;
    private readonly BlockingConnections? _blocking;

    public WorkbenchExecutor(IConnectionMultiplexer mux, RedisTracer tracer, RedisKeyspace keyspace, RedisCommandBudget budget, IOptions<WorkbenchOptions> options, IRateLimitService? limiter = null, BlockingConnections? blocking = null)
    {
        _blocking = blocking;
        ArgumentNullException.ThrowIfNull(options);
        _mux = mux ?? throw new ArgumentNullException(nameof(mux));
        _tracer = tracer ?? throw new ArgumentNullException(nameof(tracer));
        _keyspace = keyspace ?? throw new ArgumentNullException(nameof(keyspace));
        _budget = budget ?? throw new ArgumentNullException(nameof(budget));
        _limiter = limiter;
        _options = options.Value;
    }

    /// <summary>The limits in force.</summary>
    public WorkbenchOptions Options => _options;

    /// <summary>A console for <paramref name="learner"/>.</summary>
    public WorkbenchSession OpenSession(LearnerId learner) => new(_keyspace.ForLearner(learner));

    /// <summary>Runs one line; never throws for anything the learner typed or for a Redis that is away.</summary>
    public async Task<WorkbenchReply> ExecuteAsync(WorkbenchSession session, string line, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(line);
        await session.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunLineAsync(session, line, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            session.Gate.Release();
        }
    }

    /// <summary>Lines of history kept per learner (↑/↓ in the console), across pages and reloads.</summary>
    public const int MaxHistory = 100;

    /// <summary>The longest line kept in the history; a longer one is run but not kept.</summary>
    public const int MaxHistoryLineLength = 2048;

    private static RedisKey HistoryKey(WorkbenchSession session) => session.Keys.Key("wbhistory", "lines");

    /// <summary>The learner's console history, oldest first (empty when Redis cannot be read).</summary>
    public async Task<IReadOnlyList<string>> HistoryAsync(WorkbenchSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        try
        {
            var key = HistoryKey(session);
            var db = _mux.GetDatabase();
            var lines = await _budget.RunAsync(() => db.ListRangeAsync(key, 0, MaxHistory - 1)).ConfigureAwait(false);
            return [.. lines.Reverse().Select(l => l.ToString())];
        }
        catch (Exception ex) when (RedisFailures.IsUnavailable(ex) || ex is RedisServerException)
        {
            return [];
        }
    }

    /// <summary>Keeps <paramref name="line"/> at the end of the learner's history (LPUSH, LTRIM, EXPIRE; not waited for).</summary>
    public void Remember(WorkbenchSession session, string line)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(line);
        if (line.Length > MaxHistoryLineLength || !_mux.IsConnected)
        {
            return;
        }

        var key = HistoryKey(session);
        var db = _mux.GetDatabase();
        _ = db.ListLeftPushAsync(key, line, flags: CommandFlags.FireAndForget);
        _ = db.ListTrimAsync(key, 0, MaxHistory - 1, CommandFlags.FireAndForget);
        _ = db.KeyExpireAsync(key, TimeSpan.FromSeconds(_options.KeyTtlSeconds), CommandFlags.FireAndForget);
    }

    /// <summary>The most names the completion offers.</summary>
    public const int MaxCompletions = 8;

    /// <summary>
    /// Help for a line being typed, from the server's own <c>COMMAND DOCS</c> and command table: nothing is sent but the
    /// one-time reads of those two. Null for a blank line, or when Redis cannot be asked.
    /// </summary>
    public async Task<WorkbenchHint?> HintAsync(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || line.Length > CommandLineParser.MaxLineLength)
        {
            return null;
        }

        CommandTable table;
        CommandDocs docs;
        try
        {
            table = await CommandTable.ForAsync(_mux).ConfigureAwait(false);
            docs = await CommandDocs.ForAsync(_mux).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisFailures.IsUnavailable(ex) || ex is RedisServerException)
        {
            return null;
        }

        var first = words[0].Trim('"', '\'').ToLowerInvariant();
        var args = words.Select(w => Encoding.UTF8.GetBytes(w.Trim('"', '\''))).ToList();
        IReadOnlyList<string> completions = words.Length == 1 && !char.IsWhiteSpace(line[^1])
            ? [.. table.Commands.Values
                .Where(c => c.Name.StartsWith(first, StringComparison.Ordinal) && WorkbenchPolicy.Classify(c, [Encoding.UTF8.GetBytes(c.Name)]).Route != WorkbenchRoute.Refuse)
                .Select(c => c.Name.ToUpperInvariant())
                .Order(StringComparer.Ordinal)
                .Take(MaxCompletions)]
            : [];
        var spec = table.Find(args);
        var verdict = spec is null ? null : WorkbenchPolicy.Classify(spec, args);
        var refusal = verdict switch
        {
            { Route: WorkbenchRoute.Refuse } => verdict.Reason,
            { Route: WorkbenchRoute.Block } when _blocking is null => WorkbenchPolicy.Refuse(spec!.Name, WorkbenchPolicy.BlockingReason).Reason,
            _ => null,
        };
        var note = verdict is { Route: WorkbenchRoute.Block } && _blocking is { } pool
            ? string.Create(CultureInfo.InvariantCulture, $"It blocks on a connection of its own, for at most {pool.MaxBlock.TotalSeconds:0.#} s (a timeout of 0 waits that long).")
            : null;
        var doc = docs.Find(first, words.Length > 1 ? words[1].Trim('"', '\'').ToLowerInvariant() : null);
        return new WorkbenchHint(doc, completions, refusal, note);
    }

    private async Task<WorkbenchReply> RunLineAsync(WorkbenchSession session, string line, CancellationToken cancellationToken)
    {
        IReadOnlyList<byte[]> args;
        try
        {
            args = CommandLineParser.Parse(line);
        }
        catch (LearnerInputException ex)
        {
            return new WorkbenchReply(line, ErrorText(ex.Message), true, null, OperationTrace.Empty("Workbench"));
        }

        if (args.Count == 0)
        {
            return new WorkbenchReply(line, "", false, null, OperationTrace.Empty("Workbench"));
        }

        // The workbench's own checks (the key count, APPEND's length) are traced apart from the learner's command, so
        // the round trip shown is the command's own.
        var operation = "Workbench: " + Shorten(line, 60);
        var steps = new Steps(_tracer.Start(operation + " (the workbench's checks)"), _tracer.Start(operation));
        try
        {
            var table = await CommandTable.ForAsync(_mux).ConfigureAwait(false);
            var (text, isError) = await DispatchAsync(session, table, args, steps, cancellationToken).ConfigureAwait(false);
            return Reply(line, text, isError, steps);
        }
        catch (LearnerInputException ex)
        {
            return Reply(line, ErrorText(ex.Message), true, steps);
        }
        catch (RedisServerException ex) when (!RedisFailures.IsUnavailable(ex))
        {
            return Reply(line, RedisCliFormatter.FormatError(UnprefixText(session, ex.Message)), true, steps);
        }
        catch (Exception ex) when (RedisFailures.IsUnavailable(ex))
        {
            return Reply(line, "(error) Redis is unavailable right now, so the workbench could not run this. Try again in a moment.", true, steps);
        }
    }

    private static WorkbenchReply Reply(string line, string text, bool isError, Steps steps)
    {
        var command = steps.Command.Finish();
        var trace = OperationTrace.Combine(command.Operation, steps.Checks.Finish(), command);
        TimeSpan? roundTrip = command.Commands.Count == 0 ? null : TimeSpan.FromTicks(command.Commands.Sum(c => c.RoundTrip.Ticks));
        return new WorkbenchReply(line, text, isError, roundTrip, trace);
    }

    // Two recorders of one line: the workbench's checks, and the learner's command (or its emulation).
    private sealed record Steps(TraceRecorder Checks, TraceRecorder Command);

    private async Task<(string Text, bool IsError)> DispatchAsync(WorkbenchSession session, CommandTable table, IReadOnlyList<byte[]> args, Steps steps, CancellationToken cancellationToken)
    {
        var rec = steps.Command;
        var spec = table.Find(args);
        if (spec is null || spec.Subcommands.Count > 0)
        {
            // Unknown command or subcommand, or a container without its subcommand: Redis's own words. Inside MULTI
            // Redis also marks the transaction, so its EXEC answers EXECABORT.
            try
            {
                WorkbenchKeyRewriter.Rewrite(table, session.Keys, args);
            }
            catch (LearnerInputException) when (session.InMulti)
            {
                session.Dirty = true;
                throw;
            }
        }

        var verdict = WorkbenchPolicy.Classify(spec!, args);
        if (verdict.Route == WorkbenchRoute.Transaction)
        {
            return await TransactionAsync(session, spec!, args, steps, cancellationToken).ConfigureAwait(false);
        }

        if (session.InMulti)
        {
            return Queue(session, table, spec!, verdict, args);
        }

        switch (verdict.Route)
        {
            case WorkbenchRoute.Refuse:
                throw new LearnerInputException(verdict.Reason!);
            case WorkbenchRoute.Emulate:
                WorkbenchKeyRewriter.Rewrite(table, session.Keys, args); // arity
                await CheckRateAsync(session, cancellationToken).ConfigureAwait(false);
                return await EmulateAsync(session, spec!.Name, args, rec).ConfigureAwait(false);
            case WorkbenchRoute.Block:
                return await BlockAsync(session, table, args, steps, cancellationToken).ConfigureAwait(false);
            default:
                var command = Rewrite(session, table, args);
                // The rate first: the checks after it may scan the learner's keys.
                await CheckRateAsync(session, cancellationToken).ConfigureAwait(false);
                await CheckLimitsAsync(session, command, steps.Checks).ConfigureAwait(false);
                await CheckGrowthAsync(session, [command], steps.Checks).ConfigureAwait(false);
                await ShowLearnersTtlAsync(session, [command], steps.Checks).ConfigureAwait(false);
                RedisResult reply;
                try
                {
                    reply = ToResp2(command.Spec.Name, await SendAsync(session, command, rec).ConfigureAwait(false));
                }
                catch (RedisServerException ex) when (!RedisFailures.IsUnavailable(ex))
                {
                    AfterWrite(session, command, RedisResult.Create(ex.Message, ResultType.Error));
                    throw;
                }

                var housekeeping = await HousekeepingTtlAsync(session, command, reply, steps.Checks).ConfigureAwait(false);
                AfterWrite(session, command, reply);
                var (text, isError) = Print(session, housekeeping ? NoTtl(command) : reply);
                return (housekeeping ? text + "\n" + HousekeepingNote() : text, isError);
        }
    }

    // A blocking command runs alone on a connection of its own, its timeout capped (0, "forever", becomes the cap).
    private async Task<(string, bool)> BlockAsync(WorkbenchSession session, CommandTable table, IReadOnlyList<byte[]> args, Steps steps, CancellationToken cancellationToken)
    {
        if (_blocking is null)
        {
            throw new LearnerInputException(WorkbenchPolicy.Refuse(table.Find(args)!.Name, WorkbenchPolicy.BlockingReason).Reason!);
        }

        var command = Rewrite(session, table, args);
        await CheckRateAsync(session, cancellationToken).ConfigureAwait(false);
        await CheckLimitsAsync(session, command, steps.Checks).ConfigureAwait(false);
        await CheckGrowthAsync(session, [command], steps.Checks).ConfigureAwait(false);
        command = CapTimeout(command, _blocking.MaxBlock, out var capped);
        var name = Name(command);
        var sendArgs = Arguments(command);
        var blocking = _blocking;
        var reply = ToResp2(command.Spec.Name, await steps.Command.RunAsync(
            CommandText(command),
            "// a blocking command runs on a connection of its own, never on the multiplexer the app shares\n{\n"
                + "    await using var blocking = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);\n"
                + "    await " + CSharpOf(command, "blocking.GetDatabase()") + ";\n}",
            () => _budget.RunAsync(() => blocking.RunAsync(db => db.ExecuteAsync(name, sendArgs)), blocking.MaxBlock + TimeSpan.FromSeconds(3)),
            r => FirstLine(RedisCliFormatter.Format(Unprefix(session, r)))).ConfigureAwait(false));
        AfterWrite(session, command, reply);
        var (text, isError) = Print(session, reply);
        if (capped && reply.IsNull)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"\n(waited {blocking.MaxBlock.TotalSeconds:0.#} s, the longest the workbench waits)");
        }

        return (text, isError);
    }

    // The timeout of a blocking command: the last argument (BLPOP … 5), the first (BLMPOP 5 …), or after BLOCK (ms).
    internal static WorkbenchCommand CapTimeout(WorkbenchCommand command, TimeSpan max, out bool capped)
    {
        capped = false;
        var args = command.Arguments;
        var name = command.Spec.Name;
        int at;
        double unit;
        if (name is "xread" or "xreadgroup")
        {
            at = -1;
            for (var i = 1; i + 1 < args.Count; i++)
            {
                if (string.Equals(Encoding.ASCII.GetString(args[i]), "BLOCK", StringComparison.OrdinalIgnoreCase))
                {
                    at = i + 1;
                    break;
                }
            }

            unit = 1;
        }
        else
        {
            at = name is "blmpop" or "bzmpop" ? 1 : args.Count - 1;
            unit = 1000;
        }

        if (at < 1 || at >= args.Count)
        {
            return command; // no timeout where it belongs: Redis answers with its syntax error
        }

        // Only a plain number is read here: Redis also takes hex, exponents and "inf" (strtold), which would wait past
        // the cap, so anything else is refused rather than sent.
        var text = Encoding.ASCII.GetString(args[at]);
        if (!IsPlainTimeout(text, fraction: unit > 1)
            || !double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            throw new LearnerInputException(unit > 1
                ? "ERR the workbench takes a blocking command's timeout as a plain number of seconds, such as 5 or 0.5 (0 waits as long as the workbench allows)."
                : "ERR the workbench takes XREAD's BLOCK as a plain number of milliseconds, a whole one such as 2500 (0 waits as long as the workbench allows).");
        }

        if (value > 0 && value * unit <= max.TotalMilliseconds)
        {
            return command; // within the cap
        }

        capped = true;
        var sent = args.ToArray();
        sent[at] = Encoding.ASCII.GetBytes((max.TotalMilliseconds / unit).ToString("0.###", CultureInfo.InvariantCulture));
        return command with { Arguments = sent };
    }

    // Digits, with a decimal point and more digits where a fraction is allowed (5, 0.5, .5, 5.).
    private static bool IsPlainTimeout(string text, bool fraction)
    {
        var point = fraction ? text.IndexOf('.', StringComparison.Ordinal) : -1;
        var digits = point < 0 ? text : text.Remove(point, 1);
        return digits.Length > 0 && digits.All(char.IsAsciiDigit);
    }

    private WorkbenchCommand Rewrite(WorkbenchSession session, CommandTable table, IReadOnlyList<byte[]> args)
    {
        var command = WorkbenchKeyRewriter.Rewrite(table, session.Keys, args);
        if (command.Spec.Name == "publish")
        {
            // A learner's channels live in their own space too: PUBLISH news hi goes to br:learner:{id}:wb:news.
            var sent = command.Arguments.ToArray();
            sent[1] = [.. session.PrefixBytes, .. sent[1]];
            command = command with { Arguments = sent };
        }

        return command;
    }

    private (string, bool) Queue(WorkbenchSession session, CommandTable table, CommandSpec spec, WorkbenchVerdict verdict, IReadOnlyList<byte[]> args)
    {
        try
        {
            if (verdict.Route == WorkbenchRoute.Refuse)
            {
                throw new LearnerInputException(verdict.Reason!);
            }

            if (verdict.Route == WorkbenchRoute.Emulate)
            {
                throw new LearnerInputException($"ERR the workbench answers '{spec.Name}' itself over your keys, so it cannot be part of a MULTI: run it before MULTI or after EXEC.");
            }

            // EXEC costs one of the learner's commands per second for each queued command, so a MULTI may queue no
            // more than a second's worth.
            var most = _limiter is null ? _options.MaxQueuedCommands : Math.Min(_options.MaxQueuedCommands, _options.CommandsPerSecond);
            if (session.Queue.Count >= most)
            {
                throw new LearnerInputException(most < _options.MaxQueuedCommands
                    ? $"ERR the workbench queues at most {most} commands in one MULTI: EXEC counts each of them against your {_options.CommandsPerSecond} commands per second."
                    : $"ERR the workbench queues at most {most} commands in one MULTI.");
            }

            var command = Rewrite(session, table, args);
            CheckArguments(session, command);
            session.Queue.Add(command);
            return ("QUEUED", false);
        }
        catch (LearnerInputException)
        {
            session.Dirty = true;
            throw;
        }
    }

    private async Task<(string, bool)> TransactionAsync(WorkbenchSession session, CommandSpec spec, IReadOnlyList<byte[]> args, Steps steps, CancellationToken cancellationToken)
    {
        if (!spec.AcceptsArgumentCount(args.Count))
        {
            var arity = $"wrong number of arguments for '{spec.Name}' command";
            if (session.InMulti && spec.Name == "exec")
            {
                // Redis ends the transaction at once, naming the error.
                EndMulti(session);
                throw new LearnerInputException("EXECABORT Transaction discarded because of: " + arity);
            }

            // Inside MULTI, an arity error marks the transaction as any other queue-time error does.
            session.Dirty |= session.InMulti;
            throw new LearnerInputException("ERR " + arity);
        }

        switch (spec.Name)
        {
            case "multi":
                if (session.InMulti)
                {
                    throw new LearnerInputException("ERR MULTI calls can not be nested");
                }

                session.InMulti = true;
                session.Dirty = false;
                session.Queue.Clear();
                return ("OK", false);
            case "discard":
                if (!session.InMulti)
                {
                    throw new LearnerInputException("ERR DISCARD without MULTI");
                }

                EndMulti(session);
                return ("OK", false);
            case "watch":
                if (session.InMulti)
                {
                    throw new LearnerInputException("ERR WATCH inside MULTI is not allowed");
                }

                throw new LearnerInputException(
                    "NOPERM the workbench does not run 'watch': WATCH belongs to a connection, and the workbench sends every learner's commands over one shared connection, "
                    + "so another learner's EXEC would clear your WATCH. Your MULTI … EXEC still runs as one transaction.");
            case "unwatch":
                return ("OK", false);
            default: // exec
                if (!session.InMulti)
                {
                    throw new LearnerInputException("ERR EXEC without MULTI");
                }

                if (session.Dirty)
                {
                    EndMulti(session);
                    throw new LearnerInputException("EXECABORT Transaction discarded because of previous errors.");
                }

                var queued = session.Queue.ToList();
                EndMulti(session);
                return await ExecAsync(session, queued, steps, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void EndMulti(WorkbenchSession session)
    {
        session.InMulti = false;
        session.Dirty = false;
        session.Queue.Clear();
    }

    private async Task<(string, bool)> ExecAsync(WorkbenchSession session, List<WorkbenchCommand> queued, Steps steps, CancellationToken cancellationToken)
    {
        var rec = steps.Command;
        if (queued.Count == 0)
        {
            return ("(empty array)", false);
        }

        // Each queued command costs one of the learner's commands per second, taken before the checks that may scan.
        foreach (var _ in queued)
        {
            await CheckRateAsync(session, cancellationToken).ConfigureAwait(false);
        }

        foreach (var command in queued)
        {
            await CheckLimitsAsync(session, command, steps.Checks).ConfigureAwait(false);
        }

        await CheckGrowthAsync(session, queued, steps.Checks).ConfigureAwait(false);
        await ShowLearnersTtlAsync(session, queued, steps.Checks).ConfigureAwait(false);
        var sent = "MULTI\n" + string.Join("\n", queued.Select(CommandText)) + "\nEXEC";
        // In a block of its own, so a lesson's run of two transactions still compiles as one snippet.
        var csharp = "{\n    var tran = db.CreateTransaction();\n"
            + string.Concat(queued.Select((c, i) => "    var r" + (i + 1).ToString(CultureInfo.InvariantCulture) + " = " + CSharpOf(c, "tran") + ";\n"))
            + "    await tran.ExecuteAsync(); // MULTI … EXEC, then await r1, r2 …\n}";
        RedisResult[] results;
        try
        {
            results = await RunTransactionAsync(queued, sent, csharp, rec).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (!RedisFailures.IsUnavailable(ex))
        {
            AfterTransaction(session, queued);
            throw;
        }

        var housekeeping = false;
        for (var i = 0; i < queued.Count; i++)
        {
            results[i] = ToResp2(queued[i].Spec.Name, results[i]);
            var only = await HousekeepingTtlAsync(session, queued[i], results[i], steps.Checks).ConfigureAwait(false);
            AfterWrite(session, queued[i], results[i], slide: false);
            if (only)
            {
                results[i] = NoTtl(queued[i]);
                housekeeping = true;
            }
        }

        AfterTransaction(session, queued);
        var (text, isError) = Print(session, RedisResult.Create(results));
        return (housekeeping ? text + "\n" + HousekeepingNote() : text, isError);
    }

    private Task<RedisResult[]> RunTransactionAsync(List<WorkbenchCommand> queued, string sent, string csharp, TraceRecorder rec)
    {
        var db = _mux.GetDatabase();
        return rec.RunAsync(
            sent,
            csharp,
            () => _budget.RunAsync(async () =>
            {
                var tran = db.CreateTransaction();
                var tasks = queued.Select(c => tran.ExecuteAsync(Name(c), Arguments(c))).ToList();
                await tran.ExecuteAsync().ConfigureAwait(false);
                var replies = new RedisResult[tasks.Count];
                for (var i = 0; i < tasks.Count; i++)
                {
                    try
                    {
                        replies[i] = await tasks[i].ConfigureAwait(false);
                    }
                    catch (RedisServerException ex)
                    {
                        replies[i] = RedisResult.Create(ex.Message, ResultType.Error);
                    }
                }

                return replies;
            }),
            r => r.Length + " replies");
    }

    private async Task<RedisResult> SendAsync(WorkbenchSession session, WorkbenchCommand command, TraceRecorder rec)
    {
        var db = _mux.GetDatabase();
        var name = Name(command);
        var sendArgs = Arguments(command);
        return await rec.RunAsync(
            CommandText(command),
            "await " + CSharpOf(command, "db") + ";",
            () => _budget.RunAsync(() => db.ExecuteAsync(name, sendArgs)),
            r => FirstLine(RedisCliFormatter.Format(Unprefix(session, r)))).ConfigureAwait(false);
    }

    private static string Name(WorkbenchCommand command) => Encoding.UTF8.GetString(command.Arguments[0]);

    // Keys go as RedisKey (so a cluster routes them), the rest as bytes: arguments are binary-safe.
    private static object[] Arguments(WorkbenchCommand command)
    {
        var keys = command.KeyPositions.ToHashSet();
        var args = new object[command.Arguments.Count - 1];
        for (var i = 1; i < command.Arguments.Count; i++)
        {
            args[i - 1] = keys.Contains(i) ? (RedisKey)command.Arguments[i] : (RedisValue)command.Arguments[i];
        }

        return args;
    }

    // ---- limits ----

    // The console and the key browser have a bucket each, so browsing never eats the commands a learner types.
    internal async Task CheckRateAsync(WorkbenchSession session, CancellationToken cancellationToken, string bucket = "wb-")
    {
        if (_limiter is null)
        {
            return;
        }

        var rule = new RateLimitRule(_options.CommandsPerSecond, TimeSpan.FromSeconds(1));
        var decision = await _limiter.CheckAsync(RateLimitAlgorithm.TokenBucket, bucket + session.Learner.Value, rule, cancellationToken).ConfigureAwait(false);
        if (!decision.Value.Allowed)
        {
            throw new LearnerInputException(string.Create(
                CultureInfo.InvariantCulture,
                $"ERR too many commands: the workbench takes {_options.CommandsPerSecond} per second from each learner. Try again in {Math.Max(1, (int)decision.Value.RetryAfter.TotalMilliseconds)} ms."));
        }
    }

    private void CheckArguments(WorkbenchSession session, WorkbenchCommand command)
    {
        var args = command.Arguments;
        var keys = command.KeyPositions.ToHashSet();
        for (var i = 1; i < args.Count; i++)
        {
            // A key carries the prefix: count the learner's part.
            var length = keys.Contains(i) ? args[i].Length - session.PrefixBytes.Length : args[i].Length;

            if (length > _options.MaxValueBytes)
            {
                throw new LearnerInputException(string.Create(CultureInfo.InvariantCulture, $"ERR the workbench takes arguments of at most {_options.MaxValueBytes:N0} bytes; argument {i} has {length:N0}."));
            }
        }

        switch (command.Spec.Name)
        {
            case "setbit" when TryLong(args[2], out var offset) && offset > _options.MaxBitOffset:
                throw new LearnerInputException(string.Create(CultureInfo.InvariantCulture, $"ERR the workbench keeps bitmaps to {_options.MaxBitOffset + 1:N0} bits: the bit offset must be at most {_options.MaxBitOffset:N0}."));
            case "setrange" when TryLong(args[2], out var offset) && offset + args[3].Length > _options.MaxValueBytes:
                throw new LearnerInputException(string.Create(CultureInfo.InvariantCulture, $"ERR the workbench keeps strings to {_options.MaxValueBytes:N0} bytes: offset + value length must be at most that."));
            case "bitfield":
                CheckBitfield(args);
                break;
            case "srandmember" or "zrandmember" or "hrandfield" when args.Count > 2 && TryLong(args[2], out var count) && count < -_options.MaxReplyElements:
                // A negative count may repeat elements, so Redis builds a reply of |count| elements however small the key.
                throw new LearnerInputException(string.Create(CultureInfo.InvariantCulture, $"ERR the workbench takes a negative count of at most {_options.MaxReplyElements:N0} here: with a negative count Redis repeats elements to build a reply that long, whatever the key holds, and a huge reply would stall the Redis every learner shares."));
        }
    }

    private void CheckBitfield(IReadOnlyList<byte[]> args)
    {
        for (var i = 2; i < args.Count; i++)
        {
            var op = Encoding.ASCII.GetString(args[i]).ToUpperInvariant();
            var writes = op is "SET" or "INCRBY";
            if (!(writes || op == "GET") || i + 2 >= args.Count)
            {
                continue;
            }

            var type = Encoding.ASCII.GetString(args[i + 1]);
            var offsetText = Encoding.ASCII.GetString(args[i + 2]);
            if (writes && type.Length > 1 && int.TryParse(type.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var bits)
                && long.TryParse(offsetText.TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                var bit = offsetText.StartsWith('#') ? offset * bits : offset;
                if (bit + bits - 1 > _options.MaxBitOffset)
                {
                    throw new LearnerInputException(string.Create(CultureInfo.InvariantCulture, $"ERR the workbench keeps bitmaps to {_options.MaxBitOffset + 1:N0} bits: BITFIELD may write up to bit {_options.MaxBitOffset:N0}."));
                }
            }

            i += writes ? 3 : 2;
        }
    }

    private async Task CheckLimitsAsync(WorkbenchSession session, WorkbenchCommand command, TraceRecorder rec)
    {
        CheckArguments(session, command);
        if (command.Spec.Name == "append")
        {
            var key = (RedisKey)command.Arguments[1];
            var db = _mux.GetDatabase();
            var length = await rec.RunAsync(
                RedisCommandText.Format("STRLEN", Display(command.Arguments[1])),
                "await db.StringLengthAsync(key); // the workbench checks the size APPEND would reach",
                () => _budget.RunAsync(() => db.StringLengthAsync(key)),
                RedisCommandText.IntegerReply).ConfigureAwait(false);
            if (length + command.Arguments[2].Length > _options.MaxValueBytes)
            {
                throw new LearnerInputException(string.Create(CultureInfo.InvariantCulture, $"ERR the workbench keeps strings to {_options.MaxValueBytes:N0} bytes: this APPEND would make {length + command.Arguments[2].Length:N0}."));
            }
        }
    }

    private async Task CheckGrowthAsync(WorkbenchSession session, IReadOnlyList<WorkbenchCommand> commands, TraceRecorder rec)
    {
        await CheckKeyCountAsync(session, commands, rec).ConfigureAwait(false);
        await CheckBytesAsync(session, commands, rec).ConfigureAwait(false);
    }

    // The bytes a write may add, at most: the string SETBIT, SETRANGE or BITFIELD may grow to, or its arguments as the
    // encoding Redis gives them stores them (WriteSizeEstimate), into the key as it is (existing) for one that adds
    // elements to a collection.
    internal long GrowthOf(WorkbenchCommand command, EncodingThresholds thresholds, ExistingKey? existing = null)
    {
        var args = command.Arguments;
        return command.Spec.Name switch
        {
            "setbit" when TryLong(args[2], out var offset) => (offset / 8) + 1,
            "setrange" when TryLong(args[2], out var offset) => offset + args[3].Length,
            "bitfield" => (_options.MaxBitOffset / 8) + 1,
            _ => WriteSizeEstimate.Estimate(command, thresholds, existing).Bytes,
        };
    }

    // A key a RENAME, RENAMENX or COPY earlier in the same transaction made hold what its source held: Known when that
    // was followed already, else what Origin held before the transaction. Conditional when the command does nothing if
    // the destination is there (RENAMENX, COPY without REPLACE). Any of them does nothing when its source is not there.
    private sealed record MovedKey(byte[] Origin, ExistingKey? Known, bool Conditional);

    // Follows a RENAME, RENAMENX or COPY of a transaction for the writes after it: the destination then holds what the
    // source held (what is known of it, or the source as it was before the transaction), and RENAME's source is gone.
    // Without this, a write into the destination was costed as into an empty key, and a transaction could convert a key
    // of 512 fields (MULTI, RENAME big k2, HSET k2 one more, EXEC) for the price of one small field.
    private static void Moved(WorkbenchCommand command, Dictionary<string, ExistingKey?> known, Dictionary<string, MovedKey> moved)
    {
        var name = command.Spec.Name;
        if (name is not ("rename" or "renamenx" or "copy") || command.KeyPositions.Count != 2)
        {
            return;
        }

        var source = command.Arguments[command.KeyPositions[0]];
        var (from, to) = (Convert.ToBase64String(source), Convert.ToBase64String(command.Arguments[command.KeyPositions[1]]));
        if (from == to)
        {
            return;
        }

        var conditional = name == "renamenx" || (name == "copy" && !WorkbenchPolicy.HasWord(command.Arguments, "REPLACE"));
        var sourceKnown = known.TryGetValue(from, out var state);
        if ((sourceKnown && state is null) || (conditional && known.TryGetValue(to, out var there) && there is not null))
        {
            return; // no source, or a destination NX keeps: the command does nothing
        }

        moved.Remove(to);
        if (state is not null && !conditional)
        {
            known[to] = state;
        }
        else
        {
            known.Remove(to);
            moved[to] = !sourceKnown && moved.TryGetValue(from, out var earlier)
                ? earlier with { Conditional = conditional }
                : new MovedKey(source, state, conditional);
        }

        if (name == "rename")
        {
            moved.Remove(from);
            known[from] = null;
        }
    }

    // The key a write adds elements to, as it is (null when it is not there, or holds another type and the write
    // fails): OBJECT ENCODING, then its element count (SCARD, HLEN, ZCARD) and, for a compact key or a list, its MEMORY
    // USAGE. Within a transaction a key is read once and then followed through the commands that add to it, and one a
    // RENAME or COPY filled is read where its content came from (for RENAMENX, only when the destination was not there).
    private async Task<ExistingKey?> ExistingAsync(WorkbenchCommand command, Dictionary<string, ExistingKey?> known, Dictionary<string, MovedKey> moved, TraceRecorder rec)
    {
        var key = command.Arguments[1];
        var id = Convert.ToBase64String(key);
        if (known.TryGetValue(id, out var state))
        {
            return state;
        }

        if (moved.TryGetValue(id, out var origin))
        {
            // RENAMENX kept a destination that was there; RENAME of a source that was not there did nothing.
            var own = origin.Conditional ? await ReadExistingAsync(command, key, rec).ConfigureAwait(false) : null;
            return known[id] = own ?? origin.Known ?? await ReadExistingAsync(command, origin.Origin, rec).ConfigureAwait(false)
                ?? (origin.Conditional ? null : await ReadExistingAsync(command, key, rec).ConfigureAwait(false));
        }

        return known[id] = await ReadExistingAsync(command, key, rec).ConfigureAwait(false);
    }

    // What key holds now, for the write command that adds to it.
    private async Task<ExistingKey?> ReadExistingAsync(WorkbenchCommand command, byte[] key, TraceRecorder rec)
    {
        var db = _mux.GetDatabase();
        var k = (RedisKey)key;
        var encoding = await rec.RunAsync(
            RedisCommandText.Format("OBJECT", "ENCODING", Display(key)),
            "await db.ExecuteAsync(\"OBJECT\", \"ENCODING\", key); // the workbench checks whether this write changes the key's encoding",
            () => _budget.RunAsync(() => db.ExecuteAsync("OBJECT", "ENCODING", k)),
            r => r.IsNull ? "(nil)" : RedisCommandText.Reply((RedisValue)r)).ConfigureAwait(false);
        if (encoding.IsNull)
        {
            return null;
        }

        var name = (string?)encoding ?? "";
        var card = WriteSizeEstimate.CardCommand(command.Spec.Name);
        var count = card is null ? Task.FromResult<long?>(0) : CardAsync(card, key, rec);
        var bytes = name is "hashtable" or "skiplist" ? Task.FromResult(0L) : MemoryUsageAsync(key, rec, "the key this write adds to");
        await Task.WhenAll(count, bytes).ConfigureAwait(false);
        return await count.ConfigureAwait(false) is { } elements ? new ExistingKey(name, elements, await bytes.ConfigureAwait(false)) : null;
    }

    private EncodingThresholds? _thresholds;

    // The server's encoding thresholds, read once (the workbench's own look-up, so not in the learner's trace); a server
    // that refuses CONFIG GET leaves Redis's defaults.
    private async Task<EncodingThresholds> ThresholdsAsync()
    {
        if (_thresholds is { } known)
        {
            return known;
        }

        try
        {
            var db = _mux.GetDatabase();
            var reply = await _budget.RunAsync(() => db.ExecuteAsync("CONFIG", "GET", "*-max-*")).ConfigureAwait(false);
            var config = reply.ToDictionary(StringComparer.OrdinalIgnoreCase).ToDictionary(p => p.Key, p => (string?)p.Value ?? "", StringComparer.OrdinalIgnoreCase);
            return _thresholds = EncodingThresholds.From(config);
        }
        catch (Exception ex) when (ex is RedisServerException or RedisCommandException or InvalidCastException)
        {
            return _thresholds = EncodingThresholds.Defaults;
        }
    }

    // Writes may grow a learner's memory to MaxLearnerBytes. The session keeps an upper bound (the memory measured once,
    // plus what each write may add); only when the bound would pass the limit is the memory measured again for real
    // (MEMORY USAGE of each key), so a learner near the limit is refused on what Redis says, not on a guess. A write that
    // builds a key out of other keys (COPY, SUNIONSTORE, BITOP …) may add as much as its sources hold, whatever its
    // arguments: its sources are measured first (DerivedGrowthAsync).
    private async Task CheckBytesAsync(WorkbenchSession session, IReadOnlyList<WorkbenchCommand> commands, TraceRecorder rec)
    {
        var growth = 0L;
        DerivedEstimate? largest = null;
        var written = new Dictionary<string, WrittenSize?>(StringComparer.Ordinal);
        var thresholds = commands.Any(c => c.Spec.Flags.Contains("denyoom")) ? await ThresholdsAsync().ConfigureAwait(false) : EncodingThresholds.Defaults;
        var keys = new Dictionary<string, ExistingKey?>(StringComparer.Ordinal);
        var moved = new Dictionary<string, MovedKey>(StringComparer.Ordinal);
        foreach (var command in commands)
        {
            long adds = 0;
            Moved(command, keys, moved);
            if (command.Spec.Flags.Contains("denyoom") && WriteSizeEstimate.AddsElements(command.Spec.Name) && command.KeyPositions.Count == 1 && command.Arguments.Count > 2)
            {
                var existing = await ExistingAsync(command, keys, moved, rec).ConfigureAwait(false);
                var estimate = WriteSizeEstimate.Estimate(command, thresholds, existing);
                adds = estimate.Bytes;
                keys[Convert.ToBase64String(command.Arguments[1])] = new ExistingKey(estimate.Encoding, (existing?.Count ?? 0) + estimate.Elements, (existing?.Bytes ?? 0) + adds);
            }
            else if (command.Spec.Flags.Contains("denyoom"))
            {
                adds = GrowthOf(command, thresholds);
            }

            var pending = command.Spec.Name switch
            {
                "xreadgroup" => await PendingGrowthAsync(command, written, commands.Count, rec).ConfigureAwait(false),
                "xclaim" or "xautoclaim" => await ClaimGrowthAsync(command, written, commands.Count, rec).ConfigureAwait(false),
                _ => null,
            };
            if (pending is not null)
            {
                adds += pending.Growth;
                if (largest is null || pending.Growth > largest.Growth)
                {
                    largest = pending;
                }
            }

            if (adds > 0 && DerivedKeys(command) is { } derived)
            {
                var estimate = await DerivedGrowthAsync(session, command, derived, written, growth, rec).ConfigureAwait(false);
                adds += estimate.Growth;
                if (largest is null || estimate.Growth > largest.Growth)
                {
                    largest = estimate;
                }

                Wrote(written, command, derived, estimate);
            }
            else if (command.Spec.Flags.Contains("write"))
            {
                Wrote(written, command, null, null, adds);
            }

            growth += adds;
        }

        if (growth == 0)
        {
            return;
        }

        session.KnownBytes ??= await MeasureBytesAsync(session, rec).ConfigureAwait(false);
        if (session.KnownBytes + growth <= _options.MaxLearnerBytes)
        {
            session.KnownBytes += growth;
            return;
        }

        var used = await MeasureBytesAsync(session, rec).ConfigureAwait(false);
        session.KnownBytes = used;
        if (used + growth > _options.MaxLearnerBytes)
        {
            var how = largest is null ? "" : ": " + largest.Explanation;
            throw new LearnerInputException(string.Create(CultureInfo.InvariantCulture, $"ERR the workbench keeps at most {_options.MaxLearnerBytes:N0} bytes per learner; your keys use {used:N0} and this write may add {growth:N0}{how}. Delete some keys (DEL, UNLINK or FLUSHDB) first."));
        }

        session.KnownBytes = used + growth;
    }

    // What a key written earlier in the same transaction may hold now: its MEMORY USAGE before the transaction plus
    // Bytes, or Bytes alone when Absolute; a null entry means unknown (a key moved or copied into it), bounded by the
    // learner's whole memory.
    private sealed record WrittenSize(bool Absolute, long Bytes);

    // How much a key built from other keys (or an XREADGROUP's pending entries) may add, and how that was worked out
    // (for the refusal).
    private sealed record DerivedEstimate(long Bytes, long Growth, string Explanation);

    // Where a write that builds a key out of other keys reads and writes: its sources are the keys of its read-only key
    // specs, its destinations the others (Replaced when the command overwrites it, as SUNIONSTORE does, rather than
    // adding to it, as PFMERGE does). Null for any other command: LMOVE, SMOVE, RENAME … only move what exists.
    internal static (IReadOnlyList<int> Sources, IReadOnlyList<(int Position, bool Replaced)> Destinations)? DerivedKeys(WorkbenchCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!command.Spec.Flags.Contains("denyoom"))
        {
            return null;
        }

        var keys = command.KeyPositions.ToHashSet();
        var sources = new List<int>();
        var destinations = new List<(int, bool)>();
        foreach (var spec in command.Spec.KeySpecs)
        {
            var positions = (command.Spec with { KeySpecs = [spec] }).KeyPositions(command.Arguments) ?? [];
            var readOnly = spec.Flags.Contains("RO", StringComparer.OrdinalIgnoreCase);
            var replaced = !spec.Flags.Contains("insert", StringComparer.OrdinalIgnoreCase)
                && (spec.Flags.Contains("OW", StringComparer.OrdinalIgnoreCase) || spec.Flags.Contains("update", StringComparer.OrdinalIgnoreCase));
            foreach (var position in positions.Where(keys.Contains))
            {
                if (readOnly)
                {
                    sources.Add(position);
                }
                else
                {
                    destinations.Add((position, replaced));
                }
            }
        }

        return sources.Count > 0 && destinations.Count > 0 ? (sources, destinations) : null;
    }

    // The size of what a command builds from its sources: MEMORY USAGE (default SAMPLES) of each distinct source (one
    // round trip each; the key limit bounds how many), the sum for a union or a copy, the smallest for an
    // intersection, the first for a difference, the largest for BITOP; less what the keys it overwrites hold now.
    private async Task<DerivedEstimate> DerivedGrowthAsync(
        WorkbenchSession session,
        WorkbenchCommand command,
        (IReadOnlyList<int> Sources, IReadOnlyList<(int Position, bool Replaced)> Destinations) derived,
        Dictionary<string, WrittenSize?> written,
        long growthSoFar,
        TraceRecorder rec)
    {
        var sources = derived.Sources.Select(p => command.Arguments[p]).DistinctBy(Convert.ToBase64String).ToList();
        var replaced = derived.Destinations.Where(d => d.Replaced).Select(d => command.Arguments[d.Position])
            .DistinctBy(Convert.ToBase64String).Where(k => !written.ContainsKey(Convert.ToBase64String(k))).ToList();
        var measured = await Task.WhenAll(sources.Concat(replaced)
            .Select(k => written.TryGetValue(Convert.ToBase64String(k), out var w) && w is null or { Absolute: true } ? Task.FromResult(0L) : MemoryUsageAsync(k, rec, "what this write would copy"))).ConfigureAwait(false);
        var sizes = new long[sources.Count];
        for (var i = 0; i < sources.Count; i++)
        {
            if (!written.TryGetValue(Convert.ToBase64String(sources[i]), out var w))
            {
                sizes[i] = measured[i];
            }
            else if (w is null)
            {
                // No key can hold more than all the learner's keys together.
                session.KnownBytes ??= await MeasureBytesAsync(session, rec).ConfigureAwait(false);
                sizes[i] = session.KnownBytes.Value + growthSoFar;
            }
            else
            {
                sizes[i] = (w.Absolute ? 0 : measured[i]) + w.Bytes;
            }
        }

        var name = command.Spec.Name;
        var (bytes, how) = name switch
        {
            "sinterstore" or "zinterstore" => (sizes.Min(), "the smallest MEMORY USAGE of its source keys"),
            "sdiffstore" or "zdiffstore" => (sizes[0], "the MEMORY USAGE of its first source key"),
            "bitop" => (sizes.Max(), "the largest MEMORY USAGE of its source keys"),
            _ => (sizes.Sum(), sizes.Length == 1 ? "the MEMORY USAGE of its source key" : "the MEMORY USAGE of its source keys, summed"),
        };
        if (ResultKind(name) is { } sortedSet)
        {
            var (extra, why) = await EncodingGrowthAsync(name, sortedSet, sources, sizes, written, rec).ConfigureAwait(false);
            bytes += extra;
            how += why;
        }

        var freed = measured.Skip(sources.Count).Sum();
        var explanation = string.Create(CultureInfo.InvariantCulture, $"{name.ToUpperInvariant()} would create about {bytes:N0} bytes from its source keys ({how}")
            + (freed > 0 ? string.Create(CultureInfo.InvariantCulture, $", less the {freed:N0} bytes of the key it overwrites)") : ")");
        return new DerivedEstimate(bytes, Math.Max(0, bytes - freed), explanation);
    }

    // Whether a command builds a sorted set (true) or a set (false) out of its sources; null for anything else.
    private static bool? ResultKind(string name) => name switch
    {
        "zunionstore" or "zinterstore" or "zdiffstore" or "zrangestore" or "geosearchstore" or "georadius" or "georadiusbymember" => true,
        "sunionstore" or "sinterstore" or "sdiffstore" => false,
        _ => null,
    };

    // A set or sorted set built from small sources (listpack, intset) takes the big encoding (hashtable, skiplist) once
    // it has more elements than the compact one holds: then each element the small sources held costs a hashtable
    // entry (and a skiplist node) besides its bytes, many times its place in a listpack. The sources' element counts
    // (SCARD/ZCARD) bound the result's; the bytes of the members themselves are in the sources' MEMORY USAGE already.
    private async Task<(long Bytes, string Why)> EncodingGrowthAsync(
        string name, bool sortedSet, List<byte[]> sources, long[] sizes, Dictionary<string, WrittenSize?> written, TraceRecorder rec)
    {
        var thresholds = await ThresholdsAsync().ConfigureAwait(false);
        var elements = await Task.WhenAll(sources.Select((k, i) => written.ContainsKey(Convert.ToBase64String(k))
            ? Task.FromResult((Count: sizes[i] / 4, Compact: true)) // written earlier in this transaction: at most a quarter of its bytes
            : ElementsAsync(k, sortedSet, rec))).ConfigureAwait(false);
        var counts = elements.Select(e => e.Count).ToList();
        var count = name switch
        {
            "zunionstore" or "sunionstore" => counts.Sum(),
            "zinterstore" or "sinterstore" => counts.Min(),
            _ => counts[0],
        };
        var compact = Math.Min(count, elements.Where(e => e.Compact).Sum(e => e.Count));
        var threshold = sortedSet ? thresholds.ZsetEntries : thresholds.SetListpackEntries is { } listpack ? Math.Min(listpack, thresholds.SetIntsetEntries) : thresholds.SetIntsetEntries;
        if (count > threshold || elements.Any(e => !e.Compact && e.Count > 0))
        {
            var fixedBytes = sortedSet ? WriteSizeEstimate.SkiplistFixed : WriteSizeEstimate.HashtableFixed;
            var each = (sortedSet ? WriteSizeEstimate.SkiplistEntry : WriteSizeEstimate.HashtableEntry) + 24;
            var encoding = sortedSet ? "skiplist" : "hashtable";
            return (fixedBytes + (compact * each), string.Create(CultureInfo.InvariantCulture,
                $", plus {each} bytes for each of up to {compact:N0} elements of compact source keys: the result may take the {encoding} encoding Redis uses past {threshold:N0} elements"));
        }

        // It stays compact; a sorted set's scores may be rewritten longer (WEIGHTS 0.1 makes 1 into 0.10000000000000001).
        return sortedSet
            ? (count * 24, string.Create(CultureInfo.InvariantCulture, $", plus 24 bytes for the score of each of up to {count:N0} elements"))
            : (0, "");
    }

    // How many elements a source holds (SCARD or ZCARD; a sorted-set command may read a set) and whether it is in a
    // compact encoding (OBJECT ENCODING); none for a key that is not there or of another type (the command then fails).
    private async Task<(long Count, bool Compact)> ElementsAsync(byte[] key, bool sortedSet, TraceRecorder rec)
    {
        var db = _mux.GetDatabase();
        var k = (RedisKey)key;
        var encoding = await rec.RunAsync(
            RedisCommandText.Format("OBJECT", "ENCODING", Display(key)),
            "await db.ExecuteAsync(\"OBJECT\", \"ENCODING\", key); // the workbench checks whether the result may change encoding",
            () => _budget.RunAsync(() => db.ExecuteAsync("OBJECT", "ENCODING", k)),
            r => r.IsNull ? "(nil)" : RedisCommandText.Reply((RedisValue)r)).ConfigureAwait(false);
        if (encoding.IsNull)
        {
            return (0, true);
        }

        var compact = (string?)encoding is "listpack" or "ziplist" or "intset";
        var count = sortedSet && (string?)encoding is not ("intset" or "hashtable")
            ? await CardAsync("ZCARD", key, rec).ConfigureAwait(false) ?? await CardAsync("SCARD", key, rec).ConfigureAwait(false) // a set in a listpack (Redis 7.2 on)
            : await CardAsync("SCARD", key, rec).ConfigureAwait(false);
        return (count ?? 0, compact);
    }

    // SCARD, ZCARD or HLEN; null for a key of another type.
    private async Task<long?> CardAsync(string card, byte[] key, TraceRecorder rec)
    {
        var db = _mux.GetDatabase();
        var k = (RedisKey)key;
        var call = card switch { "SCARD" => "db.SetLengthAsync(key)", "HLEN" => "db.HashLengthAsync(key)", _ => "db.SortedSetLengthAsync(key)" };
        try
        {
            return await rec.RunAsync(
                RedisCommandText.Format(card, Display(key)),
                "await " + call + "; // the workbench counts the elements the key holds",
                () => _budget.RunAsync(() => card switch { "SCARD" => db.SetLengthAsync(k), "HLEN" => db.HashLengthAsync(k), _ => db.SortedSetLengthAsync(k) }),
                RedisCommandText.IntegerReply).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal))
        {
            return null;
        }
    }

    /// <summary>What one entry of a consumer group's pending entries list adds to the stream's MEMORY USAGE, at most (measured: 550 to 1,170 bytes, by how the entry IDs spread).</summary>
    public const int PendingEntryBytes = 1280;

    /// <summary>What a consumer XREADGROUP creates adds to the stream's MEMORY USAGE, at most (measured: about 270 bytes).</summary>
    public const int ConsumerBytes = 512;

    // XREADGROUP adds an entry to the group's pending entries list (and to the consumer's) for each entry it delivers
    // with ">", unless NOACK (other IDs deliver again what is pending already), and may create the consumer. It delivers
    // at most COUNT entries of each stream and never more than the stream holds (XLEN, plus one if it blocks: the entry
    // that wakes it; plus the commands before it in a transaction, which may add entries).
    private async Task<DerivedEstimate?> PendingGrowthAsync(WorkbenchCommand command, Dictionary<string, WrittenSize?> written, int queued, TraceRecorder rec)
    {
        var args = command.Arguments;
        long? count = null;
        bool noAck = false, block = false;
        var i = 4; // XREADGROUP GROUP group consumer
        for (; i < args.Count; i++)
        {
            var word = Encoding.ASCII.GetString(args[i]).ToUpperInvariant();
            if (word == "STREAMS")
            {
                break;
            }

            if (word == "COUNT" && i + 1 < args.Count && TryLong(args[i + 1], out var c))
            {
                count = c > 0 ? c : null; // COUNT 0: no limit
                i++;
            }
            else if (word == "BLOCK")
            {
                block = true;
                i++;
            }
            else if (word == "NOACK")
            {
                noAck = true;
            }
        }

        var streams = (args.Count - i - 1) / 2;
        if (streams <= 0)
        {
            return null; // Redis answers a syntax error
        }

        var db = _mux.GetDatabase();
        long entries = 0;
        for (var j = 0; j < streams; j++)
        {
            var key = args[i + 1 + j];
            if (noAck || !args[i + 1 + streams + j].AsSpan().SequenceEqual(">"u8))
            {
                continue;
            }

            var k = (RedisKey)key;
            var length = await rec.RunAsync(
                RedisCommandText.Format("XLEN", Display(key)),
                "await db.StreamLengthAsync(key); // the workbench counts the pending entries XREADGROUP may add",
                () => _budget.RunAsync(() => db.StreamLengthAsync(k)),
                RedisCommandText.IntegerReply).ConfigureAwait(false);
            var available = length + (block ? 1 : 0) + (written.ContainsKey(Convert.ToBase64String(key)) ? queued : 0);
            entries += Math.Min(count ?? long.MaxValue, available);
        }

        var bytes = (entries * PendingEntryBytes) + (streams * (long)ConsumerBytes);
        var explanation = string.Create(CultureInfo.InvariantCulture,
            $"XREADGROUP would add up to {entries:N0} pending entries, about {PendingEntryBytes:N0} bytes each as MEMORY USAGE counts them (XACK removes them; a smaller COUNT adds fewer)");
        return new DerivedEstimate(bytes, bytes, explanation);
    }

    // XCLAIM … FORCE adds to the group's pending entries list each ID it names that the stream holds and no consumer
    // was delivered (at most the IDs it names, and the stream's XLEN, plus the commands before it in a transaction);
    // without FORCE XCLAIM, like XAUTOCLAIM, only moves pending entries to another consumer. Either may create that consumer.
    private async Task<DerivedEstimate?> ClaimGrowthAsync(WorkbenchCommand command, Dictionary<string, WrittenSize?> written, int queued, TraceRecorder rec)
    {
        var args = command.Arguments;
        if (args.Count < 6)
        {
            return null; // Redis answers that the arguments are wrong
        }

        long entries = 0;
        if (command.Spec.Name == "xclaim")
        {
            // XCLAIM key group consumer min-idle-time id [id …] [IDLE ms] [TIME ms] [RETRYCOUNT n] [FORCE] [JUSTID] [LASTID id]
            var ids = new HashSet<string>(StringComparer.Ordinal);
            var force = false;
            for (var i = 5; i < args.Count; i++)
            {
                var word = Encoding.ASCII.GetString(args[i]).ToUpperInvariant();
                if (word is "IDLE" or "TIME" or "RETRYCOUNT" or "LASTID")
                {
                    i++;
                }
                else if (word == "FORCE")
                {
                    force = true;
                }
                else if (word != "JUSTID")
                {
                    ids.Add(word);
                }
            }

            if (force && ids.Count > 0)
            {
                var key = args[1];
                var db = _mux.GetDatabase();
                var k = (RedisKey)key;
                var length = await rec.RunAsync(
                    RedisCommandText.Format("XLEN", Display(key)),
                    "await db.StreamLengthAsync(key); // the workbench counts the pending entries XCLAIM … FORCE may add",
                    () => _budget.RunAsync(() => db.StreamLengthAsync(k)),
                    RedisCommandText.IntegerReply).ConfigureAwait(false);
                entries = Math.Min(ids.Count, length + (written.ContainsKey(Convert.ToBase64String(key)) ? queued : 0));
            }
        }

        var bytes = (entries * PendingEntryBytes) + ConsumerBytes;
        var name = command.Spec.Name.ToUpperInvariant();
        var explanation = entries > 0
            ? string.Create(CultureInfo.InvariantCulture,
                $"{name} … FORCE would add up to {entries:N0} pending entries, about {PendingEntryBytes:N0} bytes each as MEMORY USAGE counts them (XACK removes them; claiming fewer IDs adds fewer)")
            : string.Create(CultureInfo.InvariantCulture, $"{name} may create the consumer that claims, about {ConsumerBytes:N0} bytes");
        return new DerivedEstimate(bytes, bytes, explanation);
    }

    // Keeps what a command of a transaction may have left in the keys it writes, for the commands after it.
    private static void Wrote(Dictionary<string, WrittenSize?> written, WorkbenchCommand command, (IReadOnlyList<int> Sources, IReadOnlyList<(int Position, bool Replaced)> Destinations)? derived, DerivedEstimate? estimate, long adds = 0)
    {
        if (derived is { } d)
        {
            foreach (var (position, replaced) in d.Destinations)
            {
                var id = Convert.ToBase64String(command.Arguments[position]);
                written[id] = replaced ? new WrittenSize(true, estimate!.Bytes)
                    : written.TryGetValue(id, out var before) ? before is null ? null : before with { Bytes = before.Bytes + estimate!.Bytes }
                    : new WrittenSize(false, estimate!.Bytes);
            }

            return;
        }

        foreach (var position in command.KeyPositions)
        {
            var id = Convert.ToBase64String(command.Arguments[position]);
            if (command.KeyPositions.Count > 1)
            {
                written[id] = null; // RENAME, LMOVE, MSET …: bounded by the learner's whole memory
            }
            else if (!written.TryGetValue(id, out var before))
            {
                written[id] = new WrittenSize(false, adds);
            }
            else if (before is not null)
            {
                written[id] = before with { Bytes = before.Bytes + adds };
            }
        }
    }

    // One traced MEMORY USAGE (0 for a key that is not there); "why" ends the comment of the C# line shown.
    private async Task<long> MemoryUsageAsync(byte[] key, TraceRecorder rec, string why)
    {
        var db = _mux.GetDatabase();
        var size = await rec.RunAsync(
            RedisCommandText.Format("MEMORY USAGE", Display(key)),
            "await db.ExecuteAsync(\"MEMORY\", \"USAGE\", key); // the workbench measures " + why,
            () => _budget.RunAsync(() => db.ExecuteAsync("MEMORY", "USAGE", (RedisKey)key)),
            r => r.IsNull ? "(nil)" : RedisCommandText.IntegerReply((long)r)).ConfigureAwait(false);
        return size.IsNull ? 0 : (long)size;
    }

    // MEMORY USAGE of every key of the learner, pipelined.
    private async Task<long> MeasureBytesAsync(WorkbenchSession session, TraceRecorder rec)
    {
        var keys = await ScanKeysAsync(session, rec, null, unprefix: false).ConfigureAwait(false);
        var sizes = await Task.WhenAll(keys.Select(k => MemoryUsageAsync(k, rec, "your keys' memory"))).ConfigureAwait(false);
        return sizes.Sum();
    }

    // Commands that may add data (denyoom) may add as many keys as they name; past the limit the keys are counted for real.
    private async Task CheckKeyCountAsync(WorkbenchSession session, IReadOnlyList<WorkbenchCommand> commands, TraceRecorder rec)
    {
        var newKeys = commands.Where(c => c.Spec.Flags.Contains("denyoom")).SelectMany(c => c.KeyPositions.Select(p => c.Arguments[p])).DistinctBy(Convert.ToBase64String).ToList();
        if (newKeys.Count == 0)
        {
            return;
        }

        session.KnownKeys ??= await CountKeysAsync(session, rec).ConfigureAwait(false);
        if (session.KnownKeys + newKeys.Count <= _options.MaxKeys)
        {
            session.KnownKeys += newKeys.Count;
            return;
        }

        var count = await CountKeysAsync(session, rec).ConfigureAwait(false);
        var db = _mux.GetDatabase();
        var missing = 0;
        foreach (var key in newKeys)
        {
            var k = (RedisKey)key;
            var exists = await rec.RunAsync(
                RedisCommandText.Format("EXISTS", Display(key)),
                "await db.KeyExistsAsync(key); // the workbench counts the keys this write would add",
                () => _budget.RunAsync(() => db.KeyExistsAsync(k)),
                RedisCommandText.Flag).ConfigureAwait(false);
            missing += exists ? 0 : 1;
        }

        session.KnownKeys = count;
        if (count + missing > _options.MaxKeys)
        {
            throw new LearnerInputException(string.Create(CultureInfo.InvariantCulture, $"ERR the workbench keeps at most {_options.MaxKeys:N0} keys per learner and you have {count:N0}: delete some (DEL, UNLINK or FLUSHDB) before adding more."));
        }

        session.KnownKeys = count + missing;
    }

    // ---- after a command ----

    // EXPIRE and its kin, which may take NX, XX, GT or LT.
    private static readonly HashSet<string> ExpireFamily = new(StringComparer.Ordinal) { "expire", "pexpire", "expireat", "pexpireat" };

    // The commands that read a key's TTL, and PERSIST, which answers whether it took one away.
    private static readonly HashSet<string> ReadsTtl = new(StringComparer.Ordinal) { "ttl", "pttl", "expiretime", "pexpiretime", "persist" };

    // True when the reply of a TTL read (or PERSIST's 1) is about the workbench's housekeeping TTL alone: the key is not
    // in the learner's record of keys they gave a TTL (SISMEMBER, one of the workbench's checks). Asked before the
    // command's AfterWrite, which may change the record.
    private async Task<bool> HousekeepingTtlAsync(WorkbenchSession session, WorkbenchCommand command, RedisResult reply, TraceRecorder rec)
    {
        var name = command.Spec.Name;
        if (!ReadsTtl.Contains(name) || reply.Resp2Type != ResultType.Integer || (long)reply < (name == "persist" ? 1 : 0))
        {
            return false;
        }

        return !await OwnsTtlAsync(session, command.Arguments[1], rec).ConfigureAwait(false);
    }

    // SISMEMBER of the learner's record of keys they gave a TTL (one of the workbench's checks).
    private async Task<bool> OwnsTtlAsync(WorkbenchSession session, byte[] key, TraceRecorder rec)
    {
        var db = _mux.GetDatabase();
        var record = OwnTtlKey(session);
        return await rec.RunAsync(
            RedisCommandText.Format("SISMEMBER", record.ToString(), Display(key)),
            "await db.SetContainsAsync(ownTtlKeys, key); // the workbench checks whether this TTL is yours or its housekeeping one",
            () => _budget.RunAsync(() => db.SetContainsAsync(record, key)),
            RedisCommandText.Flag).ConfigureAwait(false);
    }

    // EXPIRE … NX, XX, GT or LT compares the new expiry with the key's TTL as the learner sees it: none, when the only TTL
    // is the workbench's housekeeping one. So, before such a command runs (or a transaction holding one), the
    // housekeeping TTL of its key is taken away (PERSIST, one of the workbench's checks) and Redis compares as a bare
    // Redis would; AfterWrite gives the key its housekeeping TTL back when the command leaves it without one.
    private async Task ShowLearnersTtlAsync(WorkbenchSession session, IEnumerable<WorkbenchCommand> commands, TraceRecorder rec)
    {
        var db = _mux.GetDatabase();
        foreach (var key in commands.Where(c => ExpireFamily.Contains(c.Spec.Name) && c.Arguments.Count > 3).Select(c => c.Arguments[1]).DistinctBy(Convert.ToBase64String))
        {
            if (await OwnsTtlAsync(session, key, rec).ConfigureAwait(false))
            {
                continue;
            }

            var k = (RedisKey)key;
            await rec.RunAsync(
                RedisCommandText.Format("PERSIST", Display(key)),
                "await db.KeyPersistAsync(key); // the workbench takes its housekeeping TTL away, so NX, XX, GT and LT compare with no TTL, as on a bare Redis",
                () => _budget.RunAsync(() => db.KeyPersistAsync(k)),
                RedisCommandText.Flag).ConfigureAwait(false);
        }
    }

    // What Redis answers for a key without a TTL: -1 (TTL, PTTL, EXPIRETIME, PEXPIRETIME), 0 for PERSIST.
    private static RedisResult NoTtl(WorkbenchCommand command) => RedisResult.Create(command.Spec.Name == "persist" ? 0 : -1, ResultType.Integer);

    private string HousekeepingNote() => string.Create(
        CultureInfo.InvariantCulture,
        $"(you gave this key no TTL, so Redis would answer as shown; the workbench still deletes it {_options.KeyTtlSeconds:N0} s after you last use it, to keep the shared Redis tidy)");

    // The keys whose TTL the learner set are kept in Redis (a set beside the workbench's keys, under the learner's hash
    // tag, so one slot with them), not in the session: every console of the learner (another tab, a lesson page, the
    // page after a reload) leaves that TTL alone. KEYS[1] is the set, KEYS[2..] the keys a command named; ARGV: the
    // workbench's TTL in seconds, the most keys the set remembers, "slide" (mark, then give every key its housekeeping
    // TTL) or "mark" (a command of a transaction: the TTLs slide once, after the last), then each key's action: "own"
    // (the command set their TTL), "clear" (it took it away), "use", or the index in KEYS of the key whose TTL it now
    // holds (RENAME, COPY: the learner's when that key's was, as it was before this script).
    private const string SlideTtlScript = """
        local ttl = tonumber(ARGV[1])
        local was = {}
        for i = 2, #KEYS do
            local from = tonumber(ARGV[i + 2])
            if from then was[i] = redis.call('SISMEMBER', KEYS[1], KEYS[from]) end
        end
        for i = 2, #KEYS do
            local action = ARGV[i + 2]
            if action == 'own' or was[i] == 1 then
                if redis.call('SCARD', KEYS[1]) < tonumber(ARGV[2]) then redis.call('SADD', KEYS[1], KEYS[i]) end
            elseif action ~= 'use' then
                redis.call('SREM', KEYS[1], KEYS[i])
            end
        end
        if ARGV[3] == 'slide' then
            for i = 2, #KEYS do
                if redis.call('SISMEMBER', KEYS[1], KEYS[i]) == 1 then
                    -- A key of the record that has no TTL lost the learner's (recreated, overwritten by MSET or a
                    -- …STORE, or after DEL or its expiry).
                    if redis.call('EXPIRE', KEYS[i], ttl, 'NX') == 1 then redis.call('SREM', KEYS[1], KEYS[i]) end
                else
                    redis.call('EXPIRE', KEYS[i], ttl)
                end
            end
        end
        if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('EXPIRE', KEYS[1], ttl) end
        return 0
        """;

    internal static RedisKey OwnTtlKey(WorkbenchSession session) => OwnTtlKey(session.Keys);

    /// <summary>The set of a learner's workbench keys whose TTL the learner gave them (any other TTL is the workbench's housekeeping one).</summary>
    internal static RedisKey OwnTtlKey(LearnerKeyspace keys) => keys.Key("wbttl", "own");

    private static readonly string[] ExpiryOptions = ["EX", "PX", "EXAT", "PXAT"];

    // What a command that did not fail did to the learner's own TTL of each key it names (in KeyPositions order).
    internal static string[] TtlActions(WorkbenchCommand command, RedisResult reply)
    {
        var actions = Enumerable.Repeat("use", command.KeyPositions.Count).ToArray();
        if (reply.Resp2Type == ResultType.Error || actions.Length == 0)
        {
            return actions;
        }

        // The words after the key (GETEX's options; SET's value, then its options), as option names.
        var words = command.Arguments.Skip(2).Select(a => a.Length <= 7 ? Encoding.ASCII.GetString(a).ToUpperInvariant() : "").ToList();
        var options = words.Skip(1).ToList();
        var one = reply.Resp2Type == ResultType.Integer && (long)reply == 1;
        switch (command.Spec.Name)
        {
            // EXPIRE … NX/XX/GT/LT answers 0 when it set nothing.
            case "expire" or "pexpire" or "expireat" or "pexpireat" when one:
            case "setex" or "psetex":
                actions[0] = "own";
                break;
            case "persist" or "getset":
                actions[0] = "clear";
                break;
            case "getex" when !reply.IsNull:
                actions[0] = words.Any(ExpiryOptions.Contains) ? "own" : words.Contains("PERSIST") ? "clear" : "use";
                break;
            case "set" when SetApplied(options, reply):
                // SET … KEEPTTL keeps the record as it is ("use").
                actions[0] = options.Any(ExpiryOptions.Contains) ? "own" : options.Contains("KEEPTTL") ? "use" : "clear";
                break;
            case "rename" when actions.Length == 2:
            case "renamenx" when actions.Length == 2 && one:
                // The destination holds the source's TTL; the source is gone. Index 2 is the source in the script's KEYS.
                actions = ["clear", "2"];
                break;
            case "copy" when actions.Length == 2 && one:
                actions = ["use", "2"];
                break;
        }

        return actions;
    }

    // Whether SET wrote (its options after the value): OK, or with GET the old value, when it did; nil when NX or XX
    // kept it from writing (with GET, nil is an absent old value: NX wrote, XX did not).
    private static bool SetApplied(List<string> options, RedisResult reply) =>
        !options.Contains("GET") ? !reply.IsNull
        : options.Contains("NX") ? reply.IsNull
        : !options.Contains("XX") || !reply.IsNull;

    // Every key the learner uses expires KeyTtlSeconds after its last use, unless they gave it a TTL of their own: then
    // it only gets the workbench's TTL when it has none (after PERSIST, or recreated). A failed command slides the TTL
    // too: it may have run after ShowLearnersTtlAsync took the housekeeping TTL away. A command of a transaction
    // (slide: false) only records what it did to the learner's TTL, in order; AfterTransaction slides the TTLs once.
    private void AfterWrite(WorkbenchSession session, WorkbenchCommand command, RedisResult reply, bool slide = true)
    {
        // DEL and UNLINK take what they deleted off the learner's key count.
        if (command.Spec.Name is "del" or "unlink" && reply.Resp2Type == ResultType.Integer && session.KnownKeys is { } known)
        {
            session.KnownKeys = Math.Max(0, known - (long)reply);
        }

        var actions = TtlActions(command, reply);
        if (command.KeyPositions.Count > 0 && (slide || actions.Any(a => a != "use")))
        {
            SlideTtl(session, command.KeyPositions.Select(p => command.Arguments[p]), actions, slide);
        }
    }

    // After EXEC: each command's marks in order (the TTL reads after it ask the record as it left it), then every key's
    // TTL slides once, after the whole transaction, so a key the transaction "used" before giving it a TTL keeps that TTL.
    private void AfterTransaction(WorkbenchSession session, IReadOnlyList<WorkbenchCommand> queued)
    {
        var keys = queued.SelectMany(c => c.KeyPositions.Select(p => c.Arguments[p])).DistinctBy(Convert.ToBase64String).ToList();
        if (keys.Count > 0)
        {
            SlideTtl(session, keys, [.. keys.Select(_ => "use")], slide: true);
        }
    }

    private void SlideTtl(WorkbenchSession session, IEnumerable<byte[]> keys, string[] actions, bool slide)
    {
        RedisKey[] sent = [OwnTtlKey(session), .. keys.Select(k => (RedisKey)k)];
        RedisValue[] values = [_options.KeyTtlSeconds, WorkbenchSession.MaxOwnTtlKeys, slide ? "slide" : "mark", .. actions.Select(a => (RedisValue)a)];
        _ = _mux.GetDatabase().ScriptEvaluateAsync(SlideTtlScript, sent, values, CommandFlags.FireAndForget);
    }

    // ---- emulations ----

    private async Task<(string, bool)> EmulateAsync(WorkbenchSession session, string name, IReadOnlyList<byte[]> args, TraceRecorder rec)
    {
        switch (name)
        {
            case "keys":
                {
                    var keys = await ScanKeysAsync(session, rec, args[1]).ConfigureAwait(false);
                    return Print(session, RedisResult.Create([.. keys.Select(k => RedisResult.Create((RedisValue)k))]));
                }

            case "dbsize":
                {
                    var count = await CountKeysAsync(session, rec).ConfigureAwait(false);
                    session.KnownKeys = count;
                    return ("(integer) " + count.ToString(CultureInfo.InvariantCulture), false);
                }

            case "randomkey":
                {
                    var keys = await ScanKeysAsync(session, rec, null).ConfigureAwait(false);
                    return keys.Count == 0 ? ("(nil)", false) : (RedisCliFormatter.Quote(keys[Random.Shared.Next(keys.Count)]), false);
                }

            case "flushdb":
                return await FlushAsync(session, args, rec).ConfigureAwait(false);
            case "subscribe" or "psubscribe":
                return await SubscribeAsync(session, args, name == "psubscribe", rec).ConfigureAwait(false);
            case "unsubscribe" or "punsubscribe":
                return await UnsubscribeAsync(session, args, name == "punsubscribe", rec).ConfigureAwait(false);
            case "scan":
                return await ScanAsync(session, args, rec).ConfigureAwait(false);
            case "cluster|keyslot":
                return (KeySlotText(session, args[2]), false);
            default:
                return await InfoAsync(session, args, rec).ConfigureAwait(false);
        }
    }

    // CLUSTER KEYSLOT on the name as typed (nothing is sent: it is the same on every server), with why all of the
    // learner's own keys share one slot here.
    private static string KeySlotText(WorkbenchSession session, byte[] name) => string.Create(
        CultureInfo.InvariantCulture,
        $"(integer) {KeySlot.Of(name)}\n(the slot of the name as you typed it. In the workbench all of your own keys share your hash tag, so they sit in one slot, {KeySlot.Of(session.PrefixBytes)}: that is why MSET cart:1 a cart:2 b works here, though on a cluster it fails across slots with CROSSSLOT)");

    /// <summary>Channels and patterns one console may listen to at once.</summary>
    public const int MaxSubscriptions = 10;

    // SUBSCRIBE news → the app's subscriber listens to br:learner:{id}:wb:news; PSUBSCRIBE n* to the prefix (escaped) + n*.
    // Messages arrive as redis-cli prints them, in the learner's names; the subscription ends with the console.
    private async Task<(string, bool)> SubscribeAsync(WorkbenchSession session, IReadOnlyList<byte[]> args, bool pattern, TraceRecorder rec)
    {
        var sub = _mux.GetSubscriber();
        var kind = pattern ? "psubscribe" : "subscribe";
        var replies = new List<string>();
        foreach (var arg in args.Skip(1))
        {
            var name = Encoding.UTF8.GetString(arg);
            int count;
            lock (session.Subscribed)
            {
                if (!session.Subscribed.ContainsKey((name, pattern)) && session.Subscribed.Count >= MaxSubscriptions)
                {
                    throw new LearnerInputException($"ERR the workbench listens to at most {MaxSubscriptions} channels and patterns per console: UNSUBSCRIBE or PUNSUBSCRIBE some first.");
                }

                count = session.Subscribed.Count;
            }

            if (!session.Subscribed.ContainsKey((name, pattern)))
            {
                var full = pattern
                    ? RedisChannel.Pattern(RedisKeyspace.PrefixPattern(session.Prefix)[..^1] + name)
                    : RedisChannel.Literal(session.Prefix + name);
                var shown = Encoding.UTF8.GetString((byte[])full!);
                Action<RedisChannel, RedisValue> handler = (channel, message) => session.Deliver(Message(session, pattern ? name : null, channel, message));
                await rec.RunAsync(
                    RedisCommandText.Format(pattern ? "PSUBSCRIBE" : "SUBSCRIBE", shown),
                    $"await sub.SubscribeAsync(RedisChannel.{(pattern ? "Pattern" : "Literal")}({RedisCommandText.CSharpString(shown)}), (channel, message) => Console.WriteLine($\"{{channel}}: {{message}}\"));",
                    () => _budget.RunAsync(async () =>
                    {
                        await sub.SubscribeAsync(full, handler).ConfigureAwait(false);
                        return true;
                    }),
                    _ => "listening").ConfigureAwait(false);
                lock (session.Subscribed)
                {
                    session.Subscribed[(name, pattern)] = (full, handler);
                    count = session.Subscribed.Count;
                }

                session.OnDispose ??= Unsubscribe;
                if (session.IsDisposed)
                {
                    // The console closed while this subscribed: nothing would ever unsubscribe it.
                    Unsubscribe(session);
                }
            }

            replies.Add(RedisCliFormatter.Format(RedisResult.Create([RedisResult.Create((RedisValue)kind), RedisResult.Create((RedisValue)arg), RedisResult.Create(count, ResultType.Integer)])));
        }

        return (string.Join("\n", replies), false);
    }

    private async Task<(string, bool)> UnsubscribeAsync(WorkbenchSession session, IReadOnlyList<byte[]> args, bool pattern, TraceRecorder rec)
    {
        var sub = _mux.GetSubscriber();
        var kind = pattern ? "punsubscribe" : "unsubscribe";
        List<string> names;
        lock (session.Subscribed)
        {
            names = args.Count > 1
                ? [.. args.Skip(1).Select(a => Encoding.UTF8.GetString(a))]
                : [.. session.Subscribed.Keys.Where(k => k.Pattern == pattern).Select(k => k.Name)];
        }

        if (names.Count == 0)
        {
            return (RedisCliFormatter.Format(RedisResult.Create([RedisResult.Create((RedisValue)kind), RedisResult.Create(RedisValue.Null), RedisResult.Create(0, ResultType.Integer)])), false);
        }

        var replies = new List<string>();
        foreach (var name in names)
        {
            bool had;
            (RedisChannel Channel, Action<RedisChannel, RedisValue> Handler) entry;
            lock (session.Subscribed)
            {
                had = session.Subscribed.Remove((name, pattern), out entry);
            }

            if (had)
            {
                var (full, handler) = entry;
                var shown = Encoding.UTF8.GetString((byte[])full!);
                await rec.RunAsync(
                    RedisCommandText.Format(pattern ? "PUNSUBSCRIBE" : "UNSUBSCRIBE", shown),
                    $"await sub.UnsubscribeAsync(RedisChannel.{(pattern ? "Pattern" : "Literal")}({RedisCommandText.CSharpString(shown)}));",
                    () => _budget.RunAsync(async () =>
                    {
                        await sub.UnsubscribeAsync(full, handler).ConfigureAwait(false);
                        return true;
                    }),
                    _ => "stopped").ConfigureAwait(false);
            }

            int left;
            lock (session.Subscribed)
            {
                left = session.Subscribed.Count;
            }

            replies.Add(RedisCliFormatter.Format(RedisResult.Create([RedisResult.Create((RedisValue)kind), RedisResult.Create((RedisValue)name), RedisResult.Create(left, ResultType.Integer)])));
        }

        return (string.Join("\n", replies), false);
    }

    // The console closed: its subscriptions end with it (handlers of other consoles on the same channel stay).
    private void Unsubscribe(WorkbenchSession session)
    {
        var sub = _mux.GetSubscriber();
        lock (session.Subscribed)
        {
            foreach (var (channel, handler) in session.Subscribed.Values)
            {
                _ = sub.UnsubscribeAsync(channel, handler, CommandFlags.FireAndForget);
            }

            session.Subscribed.Clear();
        }
    }

    private static WorkbenchReply Message(WorkbenchSession session, string? pattern, RedisChannel channel, RedisValue message)
    {
        var name = UnprefixText(session, channel.ToString());
        RedisResult[] parts = pattern is null
            ? [RedisResult.Create((RedisValue)"message"), RedisResult.Create((RedisValue)name), RedisResult.Create(message)]
            : [RedisResult.Create((RedisValue)"pmessage"), RedisResult.Create((RedisValue)pattern), RedisResult.Create((RedisValue)name), RedisResult.Create(message)];
        return new WorkbenchReply("", RedisCliFormatter.Format(RedisResult.Create(parts)), false, null, OperationTrace.Empty("Workbench: a message")) { IsPush = true };
    }

    private async Task<(string, bool)> FlushAsync(WorkbenchSession session, IReadOnlyList<byte[]> args, TraceRecorder rec)
    {
        if (args.Count > 2 || (args.Count == 2 && Encoding.ASCII.GetString(args[1]).ToUpperInvariant() is not ("ASYNC" or "SYNC")))
        {
            throw new LearnerInputException("ERR syntax error");
        }

        var keys = await ScanKeysAsync(session, rec, null, unprefix: false).ConfigureAwait(false);
        var db = _mux.GetDatabase();
        foreach (var batch in keys.Chunk(FlushBatch))
        {
            await KeyScanner.UnlinkAsync(rec, db, [.. batch.Select(k => (RedisKey)k)], _budget.Timeout).ConfigureAwait(false);
        }

        session.KnownKeys = 0;
        session.KnownBytes = 0;
        _ = db.KeyDeleteAsync(OwnTtlKey(session), CommandFlags.FireAndForget);
        return ("OK", false);
    }

    private async Task<(string, bool)> ScanAsync(WorkbenchSession session, IReadOnlyList<byte[]> args, TraceRecorder rec)
    {
        var cursorText = Encoding.ASCII.GetString(args[1]);
        if (!ulong.TryParse(cursorText, NumberStyles.None, CultureInfo.InvariantCulture, out var cursor))
        {
            throw new LearnerInputException("ERR invalid cursor");
        }

        byte[] pattern = [(byte)'*'];
        long count = 10;
        byte[]? type = null;
        for (var i = 2; i < args.Count; i += 2)
        {
            var option = Encoding.ASCII.GetString(args[i]).ToUpperInvariant();
            if (i + 1 >= args.Count)
            {
                throw new LearnerInputException("ERR syntax error");
            }

            switch (option)
            {
                case "MATCH":
                    pattern = args[i + 1];
                    break;
                case "COUNT":
                    if (!TryLong(args[i + 1], out count))
                    {
                        throw new LearnerInputException("ERR value is not an integer or out of range");
                    }

                    if (count < 1)
                    {
                        throw new LearnerInputException("ERR syntax error");
                    }

                    break;
                case "TYPE":
                    type = args[i + 1];
                    break;
                default:
                    throw new LearnerInputException("ERR syntax error");
            }
        }

        count = Math.Min(count, MaxScanCount);
        var match = Match(session, pattern);
        var server = Server(session);
        List<object> sent = [cursor.ToString(CultureInfo.InvariantCulture), "MATCH", match, "COUNT", count];
        if (type is not null)
        {
            sent.AddRange(["TYPE", type]);
        }

        var reply = await rec.RunAsync(
            "SCAN " + string.Join(' ', sent.Select(a => a is byte[] b ? Display(b) : Convert.ToString(a, CultureInfo.InvariantCulture))),
            $"await server.ExecuteAsync(\"SCAN\", {cursor}, \"MATCH\", {RedisCommandText.CSharpString(Encoding.UTF8.GetString(match))}, \"COUNT\", {count}); // the workbench keeps MATCH inside your keys",
            () => _budget.RunAsync(() => server.ExecuteAsync("SCAN", [.. sent])),
            r => Wording(((RedisResult[])r!)[1].Length)).ConfigureAwait(false);
        return Print(session, reply);
    }

    private async Task<(string, bool)> InfoAsync(WorkbenchSession session, IReadOnlyList<byte[]> args, TraceRecorder rec)
    {
        var asked = args.Skip(1).Select(a => Encoding.ASCII.GetString(a).ToLowerInvariant()).ToHashSet();
        var all = asked.Count == 0 || asked.Overlaps(["default", "all", "everything"]);
        var sb = new StringBuilder();
        if (all || asked.Contains("server"))
        {
            var server = Server(session);
            var info = await rec.RunAsync(
                "INFO server",
                "await server.ExecuteAsync(\"INFO\", \"server\"); // the workbench shows a few of its fields",
                () => _budget.RunAsync(() => server.ExecuteAsync("INFO", "server")),
                _ => "(the server section)").ConfigureAwait(false);
            sb.Append("# Server\n");
            foreach (var l in ((string?)info ?? "").Split('\n'))
            {
                var field = l.TrimEnd('\r');
                var colon = field.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && InfoFields.Contains(field[..colon]))
                {
                    sb.Append(field).Append('\n');
                }
            }
        }

        if (all || asked.Contains("keyspace"))
        {
            var count = await CountKeysAsync(session, rec).ConfigureAwait(false);
            session.KnownKeys = count;
            sb.Append(sb.Length > 0 ? "\n" : "").Append("# Keyspace\n");
            if (count > 0)
            {
                sb.Append("db0:keys=").Append(count.ToString(CultureInfo.InvariantCulture)).Append(" (your keys only)\n");
            }
        }

        // redis-cli prints INFO raw, not quoted.
        return (sb.ToString().TrimEnd('\n'), false);
    }

    private IServer Server(WorkbenchSession session) => KeyScanner.ServerOwning(_mux, session.PrefixBytes);

    // SCAN MATCH over the learner's prefix: the prefix's own glob characters escaped, then the learner's pattern.
    private static byte[] Match(WorkbenchSession session, byte[] pattern)
    {
        var escaped = RedisKeyspace.PrefixPattern(session.Prefix);
        return [.. Encoding.UTF8.GetBytes(escaped[..^1]), .. pattern];
    }

    private async Task<long> CountKeysAsync(WorkbenchSession session, TraceRecorder rec) =>
        (await ScanKeysAsync(session, rec, null, unprefix: false).ConfigureAwait(false)).Count;

    private async Task<List<byte[]>> ScanKeysAsync(WorkbenchSession session, TraceRecorder rec, byte[]? pattern, bool unprefix = true)
    {
        var match = Match(session, pattern ?? [(byte)'*']);
        var server = Server(session);
        var found = new List<byte[]>();
        var cursor = "0";
        do
        {
            var current = cursor;
            var reply = await rec.RunAsync(
                $"SCAN {current} MATCH {Display(match)} COUNT {ScanCount}",
                $"await server.ExecuteAsync(\"SCAN\", {current}, \"MATCH\", {RedisCommandText.CSharpString(Encoding.UTF8.GetString(match))}, \"COUNT\", {ScanCount}); // [next cursor, keys]",
                () => _budget.RunAsync(() => server.ExecuteAsync("SCAN", current, "MATCH", match, "COUNT", ScanCount)),
                r => Wording(((RedisResult[])r!)[1].Length)).ConfigureAwait(false);
            var parts = (RedisResult[])reply!;
            cursor = (string)parts[0]!;
            foreach (var item in (RedisResult[])parts[1]!)
            {
                var key = (byte[])item!;
                if (key.AsSpan().StartsWith(session.PrefixBytes))
                {
                    found.Add(unprefix ? key[session.PrefixBytes.Length..] : key);
                }
            }
        }
        while (cursor != "0");
        return found;
    }

    // ---- replies ----

    private (string, bool) Print(WorkbenchSession session, RedisResult reply)
    {
        long hidden = 0;
        var shown = Truncate(Unprefix(session, reply), _options.MaxReplyElements, ref hidden);
        var text = RedisCliFormatter.Format(shown);
        if (hidden > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"\n… and {hidden:N0} more");
        }

        return (text, shown.Resp2Type == ResultType.Error);
    }

    private static readonly HashSet<string> PairedWithScores = new(StringComparer.Ordinal)
    {
        "zrange", "zrangebyscore", "zrevrange", "zrevrangebyscore", "zrandmember", "zpopmin", "zpopmax",
        "zunion", "zinter", "zdiff", "hrandfield",
    };

    /// <summary>
    /// The reply in the shape Redis gives a RESP2 client such as redis-cli, whatever protocol the shared multiplexer
    /// speaks: with RESP3 a map is flattened (XREAD's, one stream per entry, as [name, entries] pairs), member-score
    /// pairs of ZRANGE … WITHSCORES and HRANDFIELD … WITHVALUES are flattened, and a double is a bulk string.
    /// </summary>
    internal static RedisResult ToResp2(string command, RedisResult reply)
    {
        if (reply.IsNull)
        {
            return reply;
        }

        if (reply.Resp3Type == ResultType.Map && command is "xread" or "xreadgroup")
        {
            var flat = (RedisResult[])reply!;
            var pairs = new RedisResult[flat.Length / 2];
            for (var i = 0; i < pairs.Length; i++)
            {
                pairs[i] = RedisResult.Create([flat[2 * i], ToResp2("", flat[(2 * i) + 1])]);
            }

            return RedisResult.Create(pairs);
        }

        if (reply.Resp2Type == ResultType.Array)
        {
            var items = ((RedisResult[])reply!).Select(r => ToResp2("", r)).ToArray();
            if (PairedWithScores.Contains(command) && items.Length > 0 && items.All(r => r.Resp2Type == ResultType.Array && !r.IsNull && r.Length == 2))
            {
                items = [.. items.SelectMany(r => (RedisResult[])r!)];
            }

            return RedisResult.Create(items);
        }

        return reply.Resp3Type is ResultType.Double or ResultType.BigInteger or ResultType.VerbatimString
            ? RedisResult.Create((RedisValue)reply.ToString(), ResultType.BulkString)
            : reply;
    }

    /// <summary>
    /// The reply with every bulk string that starts with the learner's prefix shown without it (a key name in SCAN,
    /// LMPOP, XREAD …) and the prefix taken out of error messages (NOGROUP names the stream's key).
    /// </summary>
    internal static RedisResult Unprefix(WorkbenchSession session, RedisResult reply)
    {
        switch (reply.Resp2Type)
        {
            case ResultType.Array when !reply.IsNull:
                return RedisResult.Create([.. ((RedisResult[])reply!).Select(r => Unprefix(session, r))]);
            case ResultType.BulkString when !reply.IsNull:
                var bytes = (byte[])reply!;
                return bytes.AsSpan().StartsWith(session.PrefixBytes) ? RedisResult.Create((RedisValue)bytes[session.PrefixBytes.Length..]) : reply;
            case ResultType.Error:
                return RedisResult.Create(UnprefixText(session, reply.ToString() ?? ""), ResultType.Error);
            default:
                return reply;
        }
    }

    private static string UnprefixText(WorkbenchSession session, string text) => text.Replace(session.Prefix, "", StringComparison.Ordinal);

    private static RedisResult Truncate(RedisResult reply, int max, ref long hidden)
    {
        if (reply.Resp2Type != ResultType.Array || reply.IsNull)
        {
            return reply;
        }

        var items = (RedisResult[])reply!;
        if (items.Length > max)
        {
            hidden += items.Length - max;
        }

        var kept = new RedisResult[Math.Min(items.Length, max)];
        for (var i = 0; i < kept.Length; i++)
        {
            kept[i] = Truncate(items[i], max, ref hidden);
        }

        return RedisResult.Create(kept);
    }

    // ---- text ----

    private static string ErrorText(string message) =>
        message.StartsWith(CommandLineParser.InvalidArguments, StringComparison.Ordinal) ? message : RedisCliFormatter.FormatError(message);

    private static string CommandText(WorkbenchCommand command)
    {
        var keys = command.KeyPositions.ToHashSet();
        return string.Join(' ', command.Arguments.Select((a, i) => i == 0 ? Encoding.UTF8.GetString(a).ToUpperInvariant() : Display(a, keys.Contains(i) ? a.Length : 0)));
    }

    // The C# that sends what the workbench sent, and compiles on its own: each key (and a PUBLISH channel) in full, the
    // learner's prefix "br:learner:{id}:wb:" included, keys as RedisKey so a cluster routes them; a long name is
    // shortened after the prefix, as the trace line shows it.
    private static string CSharpOf(WorkbenchCommand command, string on)
    {
        var keys = command.KeyPositions.ToHashSet();
        var prefixLength = command.Spec.Name == "publish" || keys.Count > 0 ? PrefixLength(command) : 0;
        var args = command.Arguments.Skip(1).Select((a, i) => keys.Contains(i + 1) || (command.Spec.Name == "publish" && i == 0)
            ? (keys.Contains(i + 1) ? "(RedisKey)" : "") + RedisCommandText.CSharpLiteral(
                Encoding.UTF8.GetString(a.AsSpan(0, prefixLength)) + Shorten(Encoding.UTF8.GetString(a.AsSpan(prefixLength)), RedisCommandText.MaxShownArgument))
            : RedisCommandText.CSharpString(Encoding.UTF8.GetString(a)));
        return $"{on}.ExecuteAsync(\"{Encoding.UTF8.GetString(command.Arguments[0]).ToUpperInvariant()}\", new object[] {{ {string.Join(", ", args)} }})";
    }

    // Every key of a rewritten command starts with the same prefix; its length is where "wb:" ends.
    private static int PrefixLength(WorkbenchCommand command)
    {
        var sample = command.KeyPositions.Count > 0 ? command.Arguments[command.KeyPositions[0]] : command.Arguments[1];
        var text = Encoding.UTF8.GetString(sample);
        var at = text.IndexOf(":" + WorkbenchKeyRewriter.Area + ":", StringComparison.Ordinal);
        return at < 0 ? 0 : Encoding.UTF8.GetByteCount(text[..(at + WorkbenchKeyRewriter.Area.Length + 2)]);
    }

    // An argument as the trace shows it: bare when plain, else quoted as redis-cli quotes it; long ones shortened
    // (a key's prefix does not count towards the length shown).
    private static string Display(byte[] arg, int extra = 0)
    {
        var limit = RedisCommandText.MaxShownArgument + extra;
        var shown = arg.Length > limit ? arg.AsSpan(0, limit) : arg;
        var plain = shown.Length > 0 && !shown.ContainsAnyExcept(PlainBytes);
        var text = plain ? Encoding.ASCII.GetString(shown) : RedisCliFormatter.Quote(shown);
        return arg.Length > shown.Length ? text + "…" : text;
    }

    private static readonly System.Buffers.SearchValues<byte> PlainBytes = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0x21, 0x7e - 0x21 + 1).Where(b => b is not ('"' or '\'' or '\\')).Select(b => (byte)b)]);

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    private static string FirstLine(string text)
    {
        var i = text.IndexOf('\n', StringComparison.Ordinal);
        return Shorten(i < 0 ? text : text[..i] + " …", 120);
    }

    private static string Wording(int keys) => keys == 1 ? "1 key in this batch" : keys.ToString(CultureInfo.InvariantCulture) + " keys in this batch";

    private static bool TryLong(byte[] arg, out long value) =>
        long.TryParse(Encoding.ASCII.GetString(arg), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
}
