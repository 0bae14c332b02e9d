using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Text;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.HyperLogLog;

/// <summary>The Redis implementation of <see cref="IHyperLogLogDemo"/>: keys <c>…:hyperloglog:terms:hll</c> and <c>…:hyperloglog:terms:set</c>.</summary>
public sealed class HyperLogLogDemoService(IConnectionMultiplexer mux, RedisKeyspace keyspace, RedisTracer tracer, KeyspaceJanitor janitor) : IHyperLogLogDemo
{
    /// <summary>How many terms one PFADD (and one SADD) carries: big enough to save round trips, small enough not to stall the server.</summary>
    public const int BatchSize = 1000;

    /// <summary>The longest search term accepted.</summary>
    public const int MaxTermLength = 200;

    /// <summary>Bytes of Redis memory the exact set takes per distinct term (MEMORY USAGE of the 1,000,000-term set is about 64 MB), for the demo-memory budget.</summary>
    public const int ExactSetBytesPerTerm = 64;

    /// <summary>
    /// The exact set can hold a million members (tens of MB), so it lives at most this long from its load (or its first
    /// search), held against the class's demo memory as long; counting another search does not lengthen it. The
    /// HyperLogLog gets the same lifetime, so the two counters always count the same searches (an estimate beside a set
    /// that expired earlier would compare nothing with something).
    /// </summary>
    public static readonly TimeSpan ExactSetTtl = TimeSpan.FromMinutes(10);

    /// <summary>The stream sizes (distinct terms) a learner may load.</summary>
    public static IReadOnlyList<int> Sizes { get; } = [10_000, 100_000, 1_000_000];

    /// <summary>The generator's seed: the same stream for every learner and every run.</summary>
    public const int Seed = 2024;

    private const string Area = HyperLogLogDemoModule.Slug;

    /// <inheritdoc/>
    public string Slug => Area;

    /// <inheritdoc/>
    public Task<Traced<long>> ResetAsync(LearnerId learner, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return janitor.ResetAsync(keyspace.ForLearner(learner), Area);
    }

    /// <inheritdoc/>
    public async Task<Traced<TermAdded>> AddTermAsync(LearnerId learner, string term)
    {
        ValidateTerm(term);
        var keys = keyspace.ForLearner(learner);
        var (hll, set) = Keys(keys);
        var db = mux.GetDatabase();
        var rec = tracer.Start($"Count the search \"{term}\"");

        // Both keys share one lifetime, but if the set is gone (it expired, or was deleted) while the HyperLogLog
        // still holds counts, both start afresh: otherwise the estimate would count searches the set never saw.
        var setExists = await rec.RunAsync(
            RedisCommandText.Format("EXISTS", set),
            $"await db.KeyExistsAsync({Cs(set)});",
            () => db.KeyExistsAsync(set),
            RedisCommandText.Flag).ConfigureAwait(false);
        if (!setExists)
        {
            await rec.RunAsync(
                RedisCommandText.Format("UNLINK", hll),
                $"await db.KeyDeleteAsync({Cs(hll)}); // sent as UNLINK: no exact set, so the HyperLogLog starts afresh too",
                () => db.KeyDeleteAsync(hll),
                RedisCommandText.Flag).ConfigureAwait(false);
        }

        var changed = await rec.RunAsync(
            RedisCommandText.Format("PFADD", hll, term),
            $"await db.HyperLogLogAddAsync({Cs(hll)}, {Cs(term)});",
            () => db.HyperLogLogAddAsync(hll, term),
            RedisCommandText.Flag).ConfigureAwait(false);
        var added = await rec.RunAsync(
            RedisCommandText.Format("SADD", set, term),
            $"await db.SetAddAsync({Cs(set)}, {Cs(term)});",
            () => db.SetAddAsync(set, term),
            RedisCommandText.Flag).ConfigureAwait(false);
        // NX: a search counted into a loaded set must not lengthen its life, which the page holds against the class's
        // demo memory for ExactSetTtl from the load; a set this call made gets its TTL here.
        await DemoSteps.ExpireAsync(rec, db, hll, SetTtl(keys), onlyIfNone: true).ConfigureAwait(false);
        await DemoSteps.ExpireAsync(rec, db, set, SetTtl(keys), onlyIfNone: true).ConfigureAwait(false);
        return new(new TermAdded(changed, added), rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<UniqueCountComparison>> LoadAsync(LearnerId learner, int distinct, IProgress<LoadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!Sizes.Contains(distinct))
        {
            throw new LearnerInputException($"Pick one of the stream sizes: {string.Join(", ", Sizes.Select(s => s.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))} distinct terms.", nameof(distinct));
        }

        var keys = keyspace.ForLearner(learner);
        var (hll, set) = Keys(keys);
        var db = mux.GetDatabase();
        var stream = new SearchTermGenerator(distinct, Seed);
        var rec = tracer.Start($"Count {stream.Length:N0} searches ({distinct:N0} distinct)");
        await rec.RunAsync(
            RedisCommandText.Format("UNLINK", hll, set),
            $"await db.KeyDeleteAsync([{Cs(hll)}, {Cs(set)}]); // sent as UNLINK: start both counters afresh",
            () => db.KeyDeleteAsync([hll, set]),
            RedisCommandText.IntegerReply).ConfigureAwait(false);

        var batches = (stream.Length + BatchSize - 1) / BatchSize;
        var reportEvery = Math.Max(1, batches / 100);
        var first = stream.Terms().Take(3).ToArray();
        long sent = 0;

        // All batches run inside one traced step, so the trace shows one row whose wire list counts every
        // PFADD and SADD (hundreds of rows would bury the PFCOUNT that matters).
        await rec.RunAsync(
            RedisCommandText.Format("PFADD", [hll, .. first]) + $" … ({BatchSize} terms) + SADD {RedisCommandText.Argument(set)} … (same terms), × {Wording.Count(batches, "batch", "batches")}",
            $"RedisValue[] terms = [{string.Join(", ", first.Select(Cs))}, /* … {stream.Length - first.Length:N0} more generated searches */];\nforeach (var batch in terms.Chunk({BatchSize})) {{ await Task.WhenAll(db.HyperLogLogAddAsync({Cs(hll)}, batch), db.SetAddAsync({Cs(set)}, batch)); }}",
            async () =>
            {
                var batchNo = 0;
                foreach (var chunk in stream.Terms().Chunk(BatchSize))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var values = Array.ConvertAll(chunk, t => (RedisValue)t);

                    // The two writes of a batch travel together; the next batch waits for both (back-pressure).
                    await Task.WhenAll(db.HyperLogLogAddAsync(hll, values), db.SetAddAsync(set, values)).ConfigureAwait(false);
                    sent += chunk.Length;
                    if (++batchNo == 1)
                    {
                        // TTLs as soon as the keys exist, so even a cancelled load leaves nothing behind for ever.
                        await Task.WhenAll(db.KeyExpireAsync(hll, SetTtl(keys)), db.KeyExpireAsync(set, SetTtl(keys))).ConfigureAwait(false);
                    }

                    if (batchNo % reportEvery == 0 || batchNo == batches)
                    {
                        progress?.Report(new LoadProgress(sent, stream.Length));
                    }
                }

                return batchNo;
            },
            n => $"{Wording.Count(n, "batch", "batches")}, {Wording.Count(sent, "search", "searches")} sent; EXPIRE {(long)SetTtl(keys).TotalSeconds} s on both keys").ConfigureAwait(false);

        var comparison = await CompareCoreAsync(rec, db, hll, set).ConfigureAwait(false);
        return new(comparison with { Searches = sent }, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<UniqueCountComparison>> CompareAsync(LearnerId learner)
    {
        var (hll, set) = Keys(keyspace.ForLearner(learner));
        var rec = tracer.Start("Compare the counts");
        var comparison = await CompareCoreAsync(rec, mux.GetDatabase(), hll, set).ConfigureAwait(false);
        return new(comparison, rec.Finish());
    }

    /// <summary>Throws when <paramref name="term"/> is not a plausible search term.</summary>
    public static void ValidateTerm(string? term)
    {
        if (string.IsNullOrWhiteSpace(term))
        {
            throw new LearnerInputException("Type a search term.", nameof(term));
        }

        if (term.Length > MaxTermLength)
        {
            throw new LearnerInputException($"A search term must be at most {MaxTermLength} characters.", nameof(term));
        }

        if (term.Any(char.IsControl))
        {
            throw new LearnerInputException("A search term must not contain control characters such as line breaks.", nameof(term));
        }

        // An invisible term (U+200B alone) would count as a search nobody can see in the list.
        if (HiddenCharacters.Problem(term, "A search term") is { } hidden)
        {
            throw new LearnerInputException(hidden, nameof(term));
        }
    }

    private static async Task<UniqueCountComparison> CompareCoreAsync(TraceRecorder rec, IDatabase db, RedisKey hll, RedisKey set)
    {
        var estimate = await rec.RunAsync(
            RedisCommandText.Format("PFCOUNT", hll),
            $"await db.HyperLogLogLengthAsync({Cs(hll)});",
            () => db.HyperLogLogLengthAsync(hll),
            RedisCommandText.IntegerReply).ConfigureAwait(false);
        var exact = await rec.RunAsync(
            RedisCommandText.Format("SCARD", set),
            $"await db.SetLengthAsync({Cs(set)});",
            () => db.SetLengthAsync(set),
            RedisCommandText.IntegerReply).ConfigureAwait(false);
        var hllBytes = await DemoSteps.MemoryUsageAsync(rec, db, hll).ConfigureAwait(false);
        var setBytes = await DemoSteps.MemoryUsageAsync(rec, db, set).ConfigureAwait(false);
        return new UniqueCountComparison(estimate, exact, hllBytes, setBytes);
    }

    private static (RedisKey Hll, RedisKey Set) Keys(LearnerKeyspace keys) => (keys.Key(Area, "terms", "hll"), keys.Key(Area, "terms", "set"));

    private static TimeSpan SetTtl(LearnerKeyspace keys) => keys.KeyTtl < ExactSetTtl ? keys.KeyTtl : ExactSetTtl;

    private static string Cs(string? text) => RedisCommandText.CSharpString(text);

}
