using System.Diagnostics;
using System.Globalization;
using BlazorRedis.Core;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Text;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.RateLimiting;

/// <summary>
/// The experiments of the rate-limiting lesson: a burst at all four algorithms, the fixed-window boundary
/// burst, and the read-then-write race. Each runs the real limiter scripts in the learner's own partition.
/// </summary>
public sealed class RateLimitLab(IRateLimitService limiter, NaiveFixedWindowLimiter naive, IConnectionMultiplexer mux, RedisTracer tracer, RedisKeyspace keys, TimeProvider time)
{
    /// <summary>The largest burst a learner may fire.</summary>
    public const int MaxBurstSize = 200;

    /// <summary>The longest pause between two requests of a burst.</summary>
    public const int MaxSpacingMilliseconds = 5_000;

    /// <summary>The longest a whole burst may take (size × spacing).</summary>
    public const int MaxBurstMilliseconds = 120_000;

    /// <summary>The smallest and largest number of concurrent requests in the race.</summary>
    public const int MinConcurrency = 2;

    /// <inheritdoc cref="MinConcurrency"/>
    public const int MaxConcurrency = 500;

    /// <summary>How long before a window boundary the boundary demo fires its first half.</summary>
    public static readonly TimeSpan BoundaryLead = TimeSpan.FromMilliseconds(400);

    /// <summary>How long after the boundary it fires the second half.</summary>
    public static readonly TimeSpan BoundaryLag = TimeSpan.FromMilliseconds(100);

    /// <summary>The race runs in one long window so that a window boundary cannot be mistaken for a race.</summary>
    public static readonly TimeSpan RaceWindow = TimeSpan.FromSeconds(60);

    /// <summary>The configured rule every experiment enforces.</summary>
    public RateLimitRule Rule => limiter.DefaultRule;

    /// <summary>The partition of one learner (the same one the API uses for <c>?learner=</c>).</summary>
    public static string PartitionFor(LearnerId learner) => "learner-" + learner.Value;

    /// <summary>Throws <see cref="ArgumentException"/> unless the burst is one the lab will fire.</summary>
    public static void ValidateBurst(int size, int spacingMilliseconds)
    {
        if (size is < 1 or > MaxBurstSize)
        {
            throw new LearnerInputException($"The burst size must be between 1 and {MaxBurstSize} requests.", nameof(size));
        }

        if (spacingMilliseconds is < 0 or > MaxSpacingMilliseconds)
        {
            throw new LearnerInputException($"The spacing must be between 0 and {MaxSpacingMilliseconds} ms.", nameof(spacingMilliseconds));
        }

        if ((long)(size - 1) * spacingMilliseconds > MaxBurstMilliseconds)
        {
            throw new LearnerInputException($"That burst would take over {MaxBurstMilliseconds / 1000} s: fewer requests or a shorter spacing, please.", nameof(spacingMilliseconds));
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="concurrency"/> is in range.</summary>
    public static void ValidateConcurrency(int concurrency)
    {
        if (concurrency is < MinConcurrency or > MaxConcurrency)
        {
            throw new LearnerInputException($"The number of concurrent requests must be between {MinConcurrency} and {MaxConcurrency}.", nameof(concurrency));
        }
    }

    /// <summary>
    /// Fires <paramref name="size"/> rounds, <paramref name="spacingMilliseconds"/> apart; each round sends one request to
    /// each algorithm at once. <paramref name="onHit"/> hears every answer as it arrives.
    /// </summary>
    public async Task<Traced<BurstResult>> BurstAsync(string partition, int size, int spacingMilliseconds, Action<BurstHit>? onHit = null, CancellationToken cancellationToken = default)
    {
        ValidateBurst(size, spacingMilliseconds);
        RedisRateLimitService.ValidatePartition(partition);
        var recorder = tracer.Start(string.Create(CultureInfo.InvariantCulture, $"Burst of {size}, {spacingMilliseconds} ms apart, at all four algorithms"));
        var hits = new List<BurstHit>(size * 4);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < size; i++)
        {
            if (i > 0 && spacingMilliseconds > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(spacingMilliseconds), time, cancellationToken).ConfigureAwait(false);
            }

            var index = i;
            var round = await Task.WhenAll(RateLimitAlgorithms.All.Select(async algorithm =>
            {
                var decision = await limiter.CheckAsync(algorithm, partition, recorder, null, cancellationToken).ConfigureAwait(false);
                var hit = new BurstHit(index, clock.Elapsed, decision);
                onHit?.Invoke(hit);
                return hit;
            })).ConfigureAwait(false);
            hits.AddRange(round);
        }

        return new(new BurstResult(size, spacingMilliseconds, limiter.DefaultRule, hits, clock.Elapsed), recorder.Finish());
    }

    /// <summary>
    /// Waits on Redis's clock until just before a fixed-window boundary, fires the limit at every algorithm,
    /// then fires the limit again just after the boundary. Fixed window admits both halves; the others do not.
    /// </summary>
    public async Task<Traced<BoundaryResult>> BoundaryBurstAsync(string partition, Action<BoundaryProgress>? onProgress = null, CancellationToken cancellationToken = default)
    {
        RedisRateLimitService.ValidatePartition(partition);
        var demo = partition + "-boundary";
        RedisRateLimitService.ValidatePartition(demo);
        var rule = limiter.DefaultRule;
        var recorder = tracer.Start("Fixed-window boundary burst");
        await DeleteAsync(recorder, RateLimitAlgorithms.All.Select(a => limiter.KeyFor(a, demo)).ToArray()).ConfigureAwait(false);

        var (now, readAt) = await ServerTimeAsync(recorder).ConfigureAwait(false);
        var windowMs = (long)rule.Window.TotalMilliseconds;
        var earliest = now.ToUnixTimeMilliseconds() + (long)(BoundaryLead + BoundaryLag).TotalMilliseconds;
        var boundary = DateTimeOffset.FromUnixTimeMilliseconds((earliest + windowMs - 1) / windowMs * windowMs);
        onProgress?.Invoke(new BoundaryProgress(BoundaryPhase.Waiting, boundary, now));

        await DelayUntilAsync(boundary - BoundaryLead, now, readAt, cancellationToken).ConfigureAwait(false);
        onProgress?.Invoke(new BoundaryProgress(BoundaryPhase.BeforeBoundary, boundary, now + readAt.Elapsed));
        var before = await FireLimitAsync(demo, rule, recorder, cancellationToken).ConfigureAwait(false);

        await DelayUntilAsync(boundary + BoundaryLag, now, readAt, cancellationToken).ConfigureAwait(false);
        onProgress?.Invoke(new BoundaryProgress(BoundaryPhase.AfterBoundary, boundary, now + readAt.Elapsed));
        var after = await FireLimitAsync(demo, rule, recorder, cancellationToken).ConfigureAwait(false);
        onProgress?.Invoke(new BoundaryProgress(BoundaryPhase.Done, boundary, now + readAt.Elapsed));

        // Which side of the boundary a request fell on is what Redis's clock said when its script ran.
        var hits = before.Select(d => (Decision: d, Planned: false)).Concat(after.Select(d => (Decision: d, Planned: true)))
            .Select(h => new BoundaryHit(h.Decision, h.Decision.ServerTime is { } t ? t >= boundary : h.Planned))
            .ToList();
        return new(new BoundaryResult(boundary, rule, hits), recorder.Finish());
    }

    /// <summary>
    /// Sends <paramref name="concurrency"/> requests at once to the read-then-write counter, then the same number
    /// at once to the fixed-window Lua script, both with the configured limit, and counts who got through.
    /// </summary>
    public async Task<Traced<RaceResult>> RaceAsync(string partition, int concurrency, CancellationToken cancellationToken = default)
    {
        ValidateConcurrency(concurrency);
        RedisRateLimitService.ValidatePartition(partition);
        var race = partition + "-race";
        RedisRateLimitService.ValidatePartition(race);
        var rule = limiter.DefaultRule with { Window = RaceWindow };
        var naiveKey = NaiveKey(race);
        var luaKey = limiter.KeyFor(RateLimitAlgorithm.FixedWindow, race);
        var recorder = tracer.Start(string.Create(CultureInfo.InvariantCulture, $"{Wording.Count(concurrency, "request")} at once: read-then-write vs Lua"));
        await DeleteAsync(recorder, naiveKey, luaKey).ConfigureAwait(false);
        await WaitForRoomInWindowAsync(rule.Window, TimeSpan.FromSeconds(5), recorder, cancellationToken).ConfigureAwait(false);

        // Every request starts before any has finished, as when many clients arrive at once on several app servers.
        var naiveResults = await Task.WhenAll(Enumerable.Range(0, concurrency)
            .Select(_ => naive.TryAcquireAsync(naiveKey, rule.PermitLimit, rule.Window, recorder))).ConfigureAwait(false);
        var db = mux.GetDatabase();
        var counter = await recorder.RunAsync(
            RedisCommandText.Format("GET", naiveKey), $"await db.StringGetAsync({RedisCommandText.CSharpString(naiveKey)});", () => db.StringGetAsync(naiveKey), RedisCommandText.Reply).ConfigureAwait(false);

        var luaResults = await Task.WhenAll(Enumerable.Range(0, concurrency)
            .Select(_ => limiter.CheckAsync(RateLimitAlgorithm.FixedWindow, race, recorder, rule, cancellationToken))).ConfigureAwait(false);

        var result = new RaceResult(concurrency, rule.PermitLimit, naiveResults.Count(a => a), counter.IsNull ? 0 : (long)counter, luaResults.Count(d => d.Allowed));
        return new(result, recorder.Finish());
    }

    /// <summary>Deletes every counter of <paramref name="partition"/> this lab uses (three UNLINKs, one per partition: each partition's keys share a slot).</summary>
    public async Task<Traced<long>> ResetAsync(string partition)
    {
        RedisRateLimitService.ValidatePartition(partition);
        var recorder = tracer.Start("Reset my rate-limit counters");
        var main = RateLimitAlgorithms.All.Select(a => limiter.KeyFor(a, partition)).ToArray();
        var boundary = RateLimitAlgorithms.All.Select(a => limiter.KeyFor(a, partition + "-boundary")).ToArray();
        var race = new[] { NaiveKey(partition + "-race"), limiter.KeyFor(RateLimitAlgorithm.FixedWindow, partition + "-race") };
        var deleted = await DeleteAsync(recorder, main).ConfigureAwait(false)
            + await DeleteAsync(recorder, boundary).ConfigureAwait(false)
            + await DeleteAsync(recorder, race).ConfigureAwait(false);
        return new(deleted, recorder.Finish());
    }

    /// <summary>
    /// Reads Redis's clock and, when less than <paramref name="room"/> is left of the current clock-aligned
    /// window, waits for the next one; returns how long it waited. Keeps an experiment inside one window.
    /// </summary>
    public Task<TimeSpan> WaitForRoomInWindowAsync(TimeSpan window, TimeSpan room, CancellationToken cancellationToken = default) =>
        WaitForRoomInWindowAsync(window, room, TraceRecorder.None, cancellationToken);

    /// <summary>Like the other overload, recording the TIME command in <paramref name="recorder"/>.</summary>
    public async Task<TimeSpan> WaitForRoomInWindowAsync(TimeSpan window, TimeSpan room, TraceRecorder recorder, CancellationToken cancellationToken = default)
    {
        if (room >= window)
        {
            throw new ArgumentException("The room needed must be shorter than the window.", nameof(room));
        }

        var (now, readAt) = await ServerTimeAsync(recorder).ConfigureAwait(false);
        var windowMs = (long)window.TotalMilliseconds;
        var nowMs = now.ToUnixTimeMilliseconds();
        var left = TimeSpan.FromMilliseconds(windowMs - (nowMs % windowMs));
        if (left >= room)
        {
            return TimeSpan.Zero;
        }

        // A little past the boundary, so Redis's clock is surely in the new window.
        var next = now + left + TimeSpan.FromMilliseconds(20);
        await DelayUntilAsync(next, now, readAt, cancellationToken).ConfigureAwait(false);
        return left;
    }

    /// <summary>Redis's clock (TIME), and a stopwatch started when its answer arrived.</summary>
    public async Task<(DateTimeOffset ServerTime, Stopwatch ReadAt)> ServerTimeAsync(TraceRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        var db = mux.GetDatabase();
        var reply = await recorder.RunAsync(
            "TIME",
            () => db.ExecuteAsync("TIME"),
            r => RedisCommandText.List(((RedisValue[])r!).Select(v => v.ToString()))).ConfigureAwait(false);
        var readAt = Stopwatch.StartNew();
        var parts = (RedisValue[])reply!;
        var micros = (long)parts[0] * 1_000_000 + (long)parts[1];
        return (DateTimeOffset.FromUnixTimeMilliseconds(micros / 1000), readAt);
    }

    private RedisKey NaiveKey(string partition) => keys.Tagged("ratelimit:" + partition, "naive");

    private async Task<RateLimitDecision[]> FireLimitAsync(string partition, RateLimitRule rule, TraceRecorder recorder, CancellationToken cancellationToken) =>
        await Task.WhenAll(RateLimitAlgorithms.All.SelectMany(algorithm => Enumerable.Range(0, rule.PermitLimit)
            .Select(_ => limiter.CheckAsync(algorithm, partition, recorder, rule, cancellationToken)))).ConfigureAwait(false);

    private Task DelayUntilAsync(DateTimeOffset target, DateTimeOffset serverTime, Stopwatch readAt, CancellationToken cancellationToken)
    {
        var wait = target - (serverTime + readAt.Elapsed);
        return wait > TimeSpan.Zero ? Task.Delay(wait, time, cancellationToken) : Task.CompletedTask;
    }

    private async Task<long> DeleteAsync(TraceRecorder recorder, params RedisKey[] keysToDelete)
    {
        var db = mux.GetDatabase();
        return await recorder.RunAsync(
            RedisCommandText.Format("UNLINK", keysToDelete.Cast<object?>()),
            $"await db.KeyDeleteAsync({RedisCommandText.CSharpArray("RedisKey", keysToDelete.Select(k => (string?)k))}); // sent as UNLINK; one command: the keys share a hash tag, so one slot",
            () => db.KeyDeleteAsync(keysToDelete),
            RedisCommandText.IntegerReply).ConfigureAwait(false);
    }
}
