using System.Globalization;
using BlazorRedis.Core;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Core.RateLimiting;

/// <summary>
/// Runs the algorithms' Lua scripts. Each decision is one EVALSHA: the script reads Redis's own clock (TIME),
/// reads and updates the client's counter and answers, all atomically, so no other request can slip in
/// between the read and the write, whichever app server it came to.
/// </summary>
public sealed partial class RedisRateLimitService : IRateLimitService, IDisposable
{
    /// <summary>The longest partition name accepted (an IPv6 address or a learner id fits easily).</summary>
    public const int MaxPartitionLength = 100;

    private readonly IConnectionMultiplexer _mux;
    private readonly RedisTracer _tracer;
    private readonly RedisKeyspace _keys;
    private readonly RateLimitingOptions _options;
    private readonly ILogger<RedisRateLimitService> _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly Lock _healthLock = new();
    private RateLimiterHealth _health;
    private readonly SemaphoreSlim _loadGate = new(1, 1);
    private long _degraded;
    private bool _scriptsLoaded;

    public RedisRateLimitService(
        IConnectionMultiplexer mux,
        RedisTracer tracer,
        RedisKeyspace keys,
        IOptions<RateLimitingOptions> options,
        ILogger<RedisRateLimitService> logger,
        TimeProvider? time = null,
        RedisCommandBudget? budget = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _mux = mux ?? throw new ArgumentNullException(nameof(mux));
        _tracer = tracer ?? throw new ArgumentNullException(nameof(tracer));
        _keys = keys ?? throw new ArgumentNullException(nameof(keys));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _options = options.Value;
        _time = time ?? TimeProvider.System;

        // A limiter must not add the client's whole command timeout to every request during an outage: one decision
        // waits at most the app's one command budget (Redis:CommandTimeoutMs), then fails open or closed.
        _timeout = budget?.Timeout ?? TimeSpan.FromMilliseconds(RedisCommandBudget.DefaultMilliseconds);
        DefaultRule = RateLimitRule.From(_options);
        DefaultRule.Validate();
        _health = new RateLimiterHealth(true, _options.FailOpen, null, 0, null);
    }

    /// <inheritdoc/>
    public RateLimitRule DefaultRule { get; }

    /// <inheritdoc/>
    public bool FailOpen => _options.FailOpen;

    /// <inheritdoc/>
    public RateLimiterHealth Health
    {
        get
        {
            lock (_healthLock)
            {
                return _health with { DecisionsWithoutRedis = Interlocked.Read(ref _degraded) };
            }
        }
    }

    /// <inheritdoc/>
    public event Action<RateLimiterHealth>? HealthChanged;

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="partition"/> is a safe, short client name.</summary>
    public static void ValidatePartition(string? partition)
    {
        if (!RedisKeyspace.TryValidate(partition, out var error))
        {
            throw new LearnerInputException("The client partition is not valid: " + error, nameof(partition));
        }

        if (partition!.Length > MaxPartitionLength)
        {
            throw new LearnerInputException($"The client partition must be at most {MaxPartitionLength} characters.", nameof(partition));
        }
    }

    /// <inheritdoc/>
    public RedisKey KeyFor(RateLimitAlgorithm algorithm, string partition)
    {
        ValidatePartition(partition);
        // The partition is the hash tag: all of one client's limiter keys live in one cluster slot.
        return _keys.Tagged("ratelimit:" + partition, algorithm.Slug());
    }

    /// <inheritdoc/>
    public Task<Traced<RateLimitDecision>> CheckAsync(RateLimitAlgorithm algorithm, string partition, CancellationToken cancellationToken = default) =>
        CheckAsync(algorithm, partition, rule: null, cancellationToken);

    /// <inheritdoc/>
    public async Task<Traced<RateLimitDecision>> CheckAsync(RateLimitAlgorithm algorithm, string partition, RateLimitRule? rule, CancellationToken cancellationToken = default)
    {
        var recorder = _tracer.Start($"{algorithm.Title()}: one request");
        var decision = await CheckAsync(algorithm, partition, recorder, rule, cancellationToken).ConfigureAwait(false);
        return new Traced<RateLimitDecision>(decision, recorder.Finish());
    }

    /// <inheritdoc/>
    public async Task<RateLimitDecision> CheckAsync(
        RateLimitAlgorithm algorithm, string partition, TraceRecorder recorder, RateLimitRule? rule = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        rule ??= DefaultRule;
        rule.Validate();
        var key = KeyFor(algorithm, partition);
        var script = RateLimitScripts.For(algorithm);
        RedisValue[] argv = algorithm == RateLimitAlgorithm.TokenBucket
            ? [rule.PermitLimit, rule.RefillPerSecond]
            : [rule.PermitLimit, (long)rule.Window.TotalMilliseconds];
        var db = _mux.GetDatabase();
        var timeout = _timeout;

        RedisResult reply;
        try
        {
            await EnsureScriptsLoadedAsync(recorder, timeout, cancellationToken).ConfigureAwait(false);

            // Once the server has the script (loaded above), StackExchange.Redis sends EVALSHA and the digest, not
            // the body. Its profiler names the command EVAL either way; MONITOR on the server shows EVALSHA.
            reply = await recorder.RunAsync(
                RedisCommandText.Format("EVALSHA", [script.Sha1, 1, key, .. argv.Cast<object?>()]),
                $"await db.ScriptEvaluateAsync(File.ReadAllText(\"{script.FileName}\"), keys: [key], values: [{string.Join(", ", script.ArgumentNames.Zip(argv, (n, v) => $"{v} /* {n} */"))}]); // sent as EVALSHA once the script is loaded",
                () => db.ScriptEvaluateAsync(script.Source, [key], argv).WaitAsync(timeout, cancellationToken),
                DescribeReply).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisFailures.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            return Fallback(algorithm, rule, ex);
        }

        MarkReachable();
        return Parse(algorithm, rule, reply);
    }

    /// <summary>
    /// SCRIPT LOAD of the four scripts, once, on every primary: from then on StackExchange.Redis sends EVALSHA
    /// (the 40-character digest) instead of the whole script. Should Redis lose its script cache (a restart),
    /// the client gets NOSCRIPT and resends the script with EVAL by itself. Loaded only once every primary is
    /// connected (<see cref="KeyScanner.Primaries"/>): one marked loaded while a primary was away would never get them.
    /// </summary>
    private async Task EnsureScriptsLoadedAsync(TraceRecorder recorder, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _scriptsLoaded))
        {
            return;
        }

        await _loadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_scriptsLoaded)
            {
                return;
            }

            IReadOnlyList<IServer> servers;
            try
            {
                servers = KeyScanner.Primaries(_mux);
            }
            catch (RedisConnectionException)
            {
                // A primary is away (or all are): load nothing now and try again on the next decision, so no primary
                // is left without the scripts once it is back. Whether this decision can be made is the EVALSHA's
                // question: it reaches its key's own primary, or fails as unavailable (fail open or closed below).
                return;
            }

            foreach (var server in servers)
            {
                foreach (var algorithm in RateLimitAlgorithms.All)
                {
                    var script = RateLimitScripts.For(algorithm);
                    await recorder.RunAsync(
                        RedisCommandText.Format("SCRIPT", "LOAD", script.Source),
                        $"await LuaScript.Prepare(File.ReadAllText(\"{script.FileName}\")).LoadAsync(server);",
                        () => script.Script.LoadAsync(server).WaitAsync(timeout, cancellationToken),
                        loaded => "\"" + Convert.ToHexStringLower(loaded.Hash) + "\"").ConfigureAwait(false);
                }
            }

            Volatile.Write(ref _scriptsLoaded, true);
        }
        finally
        {
            _loadGate.Release();
        }
    }

    /// <summary>The reply as redis-cli prints an array, with what it means.</summary>
    private static string DescribeReply(RedisResult reply)
    {
        var values = (long[])reply!;
        var verdict = values.Length > 0 && values[0] == 1
            ? string.Create(CultureInfo.InvariantCulture, $"allowed, {values[1]} left")
            : string.Create(CultureInfo.InvariantCulture, $"rejected, retry in {values[2]} ms");
        return "[" + string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "] → " + verdict;
    }

    private static RateLimitDecision Parse(RateLimitAlgorithm algorithm, RateLimitRule rule, RedisResult reply)
    {
        var values = (long[])reply!;
        if (values.Length != 5)
        {
            throw new InvalidOperationException($"The {algorithm.Slug()} script answered {values.Length} values instead of 5.");
        }

        return new RateLimitDecision(
            algorithm,
            Allowed: values[0] == 1,
            Limit: rule.PermitLimit,
            Remaining: (int)Math.Clamp(values[1], 0, rule.PermitLimit),
            RetryAfter: TimeSpan.FromMilliseconds(Math.Max(0, values[2])),
            ServerTime: DateTimeOffset.FromUnixTimeMilliseconds(values[3]),
            Used: values[4],
            DecisionSource.Redis);
    }

    private RateLimitDecision Fallback(RateLimitAlgorithm algorithm, RateLimitRule rule, Exception error)
    {
        Interlocked.Increment(ref _degraded);
        RateLimiterHealth? changed = null;
        lock (_healthLock)
        {
            if (_health.RedisReachable)
            {
                _health = _health with { RedisReachable = false, OutageSince = _time.GetUtcNow(), LastError = FirstLine(error.Message) };
                changed = _health;
            }
        }

        if (changed is not null)
        {
            // Once per outage, not once per request: a flood of identical warnings would bury the one that matters.
            LogRedisUnreachable(_logger, error, FailOpen ? "open (every request is allowed)" : "closed (every request is rejected)");
            HealthChanged?.Invoke(Health);
        }

        return FailOpen
            ? new RateLimitDecision(algorithm, true, rule.PermitLimit, rule.PermitLimit, TimeSpan.Zero, null, 0, DecisionSource.FailedOpen)
            : new RateLimitDecision(algorithm, false, rule.PermitLimit, 0, TimeSpan.FromSeconds(1), null, 0, DecisionSource.FailedClosed);
    }

    private void MarkReachable()
    {
        TimeSpan? outage = null;
        lock (_healthLock)
        {
            if (!_health.RedisReachable)
            {
                outage = _time.GetUtcNow() - (_health.OutageSince ?? _time.GetUtcNow());
                _health = _health with { RedisReachable = true, OutageSince = null, LastError = null };
            }
        }

        if (outage is { } duration)
        {
            LogRedisReachableAgain(_logger, Math.Round(duration.TotalSeconds, 1));
            HealthChanged?.Invoke(Health);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _loadGate.Dispose();

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Rate limiter cannot reach Redis; failing {Mode} until it answers again.")]
    private static partial void LogRedisUnreachable(ILogger logger, Exception error, string mode);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Rate limiter reaches Redis again after {Seconds} s; decisions are counted in Redis once more.")]
    private static partial void LogRedisReachableAgain(ILogger logger, double seconds);
}
