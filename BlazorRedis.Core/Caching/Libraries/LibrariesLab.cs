using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.Stampede;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.Caching.Libraries;

/// <summary>
/// One learner's libraries lab: the same product read three ways (our cache-aside, HybridCache, FusionCache), on two
/// simulated app nodes that share Redis but each keep their own L1, over a small database of the lab's own (so the
/// learner can slow it down or stop it without touching anyone else). Every key lives under the learner's
/// <c>libraries</c> area and expires. What each call sent to Redis is measured by StackExchange.Redis profiling on
/// the lab's own connection, which it owns and closes: HybridCache sends from work items that do not carry the
/// caller's async context, so only a connection that serves this one learner can attribute those commands.
/// </summary>
public sealed class LibrariesLab : IAsyncDisposable
{
    /// <summary>Products in the lab's database.</summary>
    public const int ProductCount = 20;

    /// <summary>The shortest summary <see cref="SummarizeAsync"/> makes, in words.</summary>
    public const int MinSummaryWords = 3;

    /// <summary>The longest summary <see cref="SummarizeAsync"/> makes, in words.</summary>
    public const int MaxSummaryWords = 50;

    /// <summary>The most concurrent readers a stampede may start.</summary>
    public const int MaxReaders = 1000;

    /// <summary>How long the slow "summarize" call takes (a stand-in for a call to a language model).</summary>
    public static readonly TimeSpan SummarizeCost = TimeSpan.FromMilliseconds(1500);

    private readonly IConnectionMultiplexer _mux;
    private readonly RedisTracer _tracer;
    private readonly InMemoryProductDatabase _database;
    private readonly string _prefix;
    private readonly RedisCommandBudget? _budget;
    private long _summaries;
    private int _disposed;
    private volatile bool _databaseStopped;

    /// <param name="mux">A connection of the lab's own; the lab closes it when it is disposed.</param>
    /// <param name="keys">The learner's keys.</param>
    /// <param name="memoryDuration">How long each node keeps a value in its own memory (L1).</param>
    /// <param name="redisDuration">How long a value stays in Redis (L2).</param>
    /// <param name="databaseLatency">The latency of the lab's database.</param>
    /// <param name="commandTimeout">
    /// The app's one command budget (<c>Redis:CommandTimeoutMs</c>): when set, every call of the libraries to their Redis
    /// L2 is held to it on the lab's connection (<see cref="BudgetedDistributedCache"/>), as the API's are, and so is
    /// every command of our own cache-aside (its GET, SETEX and UNLINK), so a Redis that is down or slow costs a read the
    /// budget, not the client's own 5 s per call.
    /// </param>
    public LibrariesLab(IConnectionMultiplexer mux, LearnerKeyspace keys, TimeSpan memoryDuration, TimeSpan redisDuration, TimeSpan databaseLatency, TimeSpan? commandTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _mux = mux ?? throw new ArgumentNullException(nameof(mux));
        _tracer = new RedisTracer(mux, ambient: true);
        _prefix = keys.AreaPrefix(Area);
        RedisDuration = redisDuration;
        _database = new InMemoryProductDatabase(ProductCount, databaseLatency);
        _budget = commandTimeout is { } timeout ? new RedisCommandBudget(mux, timeout) : null;
        A = new LibraryNode("A", mux, _prefix, memoryDuration, redisDuration, budget: _budget);
        B = new LibraryNode("B", mux, _prefix, memoryDuration, redisDuration, budget: _budget);
    }

    /// <summary>The key area of the lab (the learner's keys under it are the lab's).</summary>
    public const string Area = "libraries";

    /// <summary>Node A: where the learner reads and changes.</summary>
    public LibraryNode A { get; }

    /// <summary>Node B: the other app instance, which keeps its own L1.</summary>
    public LibraryNode B { get; }

    /// <summary>How long a value stays in Redis.</summary>
    public TimeSpan RedisDuration { get; }

    /// <summary>The lab's database (its loads are the factory calls of every library).</summary>
    public IProductDatabase Database => _database;

    /// <summary>True while the learner has stopped the lab's database (the fail-safe experiment).</summary>
    public bool DatabaseStopped => _databaseStopped;

    /// <summary>Times the slow summarize function really ran.</summary>
    public long SummariesComputed => Interlocked.Read(ref _summaries);

    /// <summary>Stops or starts the lab's database: while stopped, every load fails.</summary>
    public void SetDatabaseStopped(bool stopped) => _databaseStopped = stopped;

    /// <summary>Our cache-aside key of a product (the libraries' keys carry their own prefixes).</summary>
    public RedisKey HandWrittenKey(int id) => _prefix + "ours:" + LibraryNode.ProductKey(id);

    /// <summary>Reads product <paramref name="id"/> through <paramref name="library"/> on <paramref name="node"/> (A by default).</summary>
    public async Task<Traced<LibraryRead>> ReadAsync(CacheLibrary library, int id, LibraryNode? node = null, bool backplane = true, CancellationToken cancellationToken = default)
    {
        ValidateId(id);
        node ??= A;
        var recorder = _tracer.Start($"Read product {id} with {Describe(library, backplane)} on node {node.Name}");
        var loaded = 0;
        var failed = false;
        async Task<Product?> Load(CancellationToken ct)
        {
            Interlocked.Increment(ref loaded);
            if (_databaseStopped)
            {
                failed = true;
                throw new LabDatabaseDownException();
            }

            return await _database.GetAsync(id, ct).ConfigureAwait(false);
        }

        var tags = Tags(id);
        var clock = Stopwatch.StartNew();
        Product? product;
        if (library == CacheLibrary.HandWritten)
        {
            product = await ReadHandWrittenAsync(recorder, id, Load, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var key = LibraryNode.ProductKey(id);
            var snippet = $"{EntrySnippet(library, node)}\nvar found = await {LibraryCall(library, id, tags[0])};{(library == CacheLibrary.Fusion ? (backplane ? " // the FusionCache on the Redis backplane" : " // a FusionCache without a backplane") : "")}\nvar product = found.Product; // null: no such product (the envelope caches that answer too)";
            var text = library == CacheLibrary.Hybrid ? $"HybridCache.GetOrCreateAsync {key}" : $"FusionCache.GetOrSetAsync {key}";
            product = await recorder.RunAsync(
                text,
                snippet,
                () => node.ReadAsync(library, id, backplane, Load, tags, cancellationToken),
                p => p is null ? "(nil): no such product" : p.Name).ConfigureAwait(false);
        }

        clock.Stop();
        var trace = recorder.Finish();
        var sent = trace.Commands.Sum(c => c.Wire.Count);
        var layer = failed ? CacheLayer.FailSafe
            : loaded > 0 ? CacheLayer.Database
            : library == CacheLibrary.Fusion && node.LastFusionHit(id, backplane) is { } hit ? hit
            : sent > 0 ? CacheLayer.Redis : CacheLayer.Memory;
        return new(new LibraryRead(library, node.Name, product, layer, clock.Elapsed, sent), trace);
    }

    /// <summary>
    /// Starts <paramref name="readers"/> concurrent reads of product <paramref name="id"/> through
    /// <paramref name="library"/> on node A, after removing it from Redis and from A's memory: how many times did the
    /// database load it? Our cache-aside has no protection here (<see cref="StampedeWithLockAsync"/> races it with our lock).
    /// </summary>
    public async Task<Traced<LibraryStampede>> StampedeAsync(CacheLibrary library, int id, int readers, CancellationToken cancellationToken = default)
    {
        ValidateStampede(id, readers);
        await ForgetAsync(id, cancellationToken).ConfigureAwait(false);
        var before = _database.Loads;
        var recorder = _tracer.Start($"{readers:N0} readers of a cold product {id} with {Describe(library, backplane: true)}");
        var clock = Stopwatch.StartNew();
        var key = LibraryNode.ProductKey(id);
        Task<Product?> Load(CancellationToken ct) => _database.GetAsync(id, ct);
        Func<Task<Product?>> one = library == CacheLibrary.HandWritten
            ? () => ReadHandWrittenAsync(TraceRecorder.None, id, Load, cancellationToken)
            : () => A.ReadAsync(library, id, backplane: true, Load, cancellationToken: cancellationToken);
        await recorder.RunAsync(
            $"{readers:N0} × {(library switch { CacheLibrary.Hybrid => "HybridCache.GetOrCreateAsync", CacheLibrary.Fusion => "FusionCache.GetOrSetAsync", _ => "GET, on a miss the database and SET" })} {key}, all at once",
            library switch
            {
                CacheLibrary.Hybrid or CacheLibrary.Fusion => $"{EntrySnippet(library, A)}\nawait Task.WhenAll(Enumerable.Range(0, {readers}).Select(_ => {LibraryCall(library, id, tag: null)}.AsTask()));",
                _ => $"await Task.WhenAll(Enumerable.Range(0, {readers}).Select(async _ =>\n{{\n    if ((await db.StringGetAsync(key)).IsNull) // every reader that misses loads the database\n    {{\n        await db.StringSetAsync(key, JsonSerializer.Serialize(await database.GetAsync({id})), TimeSpan.FromSeconds({(long)RedisDuration.TotalSeconds}));\n    }}\n}}));",
            },
            () => Task.WhenAll(Enumerable.Range(0, readers).Select(_ => Task.Run(one, cancellationToken))),
            products => $"{products.Length:N0} answers").ConfigureAwait(false);
        clock.Stop();
        var trace = recorder.Finish();
        var loads = _database.Loads - before;
        return new(new LibraryStampede(library, readers, loads, clock.Elapsed, trace.Commands[^1].Wire.Count), trace);
    }

    /// <summary>
    /// Our cache-aside with the stampede lab's Redis lock (<c>SET NX PX</c> with a token, released by a script; the others
    /// poll with back-off), raced as <see cref="StampedeAsync"/> races the libraries: <paramref name="readers"/> readers of
    /// a cold product <paramref name="id"/> on this lab's database, so the four rows of a race compare like with like.
    /// Its value and lock keys are its own (they hold the product's JSON, not our cache-aside's envelope), under the
    /// lab's area, and are deleted before and after.
    /// </summary>
    public async Task<Traced<LibraryStampede>> StampedeWithLockAsync(int id, int readers, CancellationToken cancellationToken = default)
    {
        ValidateStampede(id, readers);
        RedisKey key = _prefix + "ours-lock:" + LibraryNode.ProductKey(id);
        RedisKey lockKey = key.ToString() + ":lock";
        var gate = new RedisGate(_mux, _budget ?? new RedisCommandBudget(_mux, TimeSpan.FromMilliseconds(RedisCommandBudget.DefaultMilliseconds)));
        await Budgeted(() => _mux.GetDatabase().KeyDeleteAsync([key, lockKey])).ConfigureAwait(false);
        var run = new StampedeRun(new LockProtection(), gate, _database, key, lockKey, TraceRecorder.None) { ProductId = id, DatabaseLatency = _database.Latency };
        var before = _database.Loads;
        var recorder = _tracer.Start($"{readers:N0} readers of a cold product {id} with our cache-aside and a Redis lock");
        var clock = Stopwatch.StartNew();
        try
        {
            await recorder.RunAsync(
                $"{readers:N0} × GET {key}, on a miss SET {lockKey} NX PX {(long)run.LockTtl.TotalMilliseconds}: only the lock's holder loads and SETs, all at once",
                LockSnippet(lockKey, id, readers, (long)run.LockTtl.TotalMilliseconds, (long)run.Ttl.TotalSeconds),
                () => run.RaceAsync(readers, cancellationToken),
                r => $"{r.Value.Requests:N0} answers, {r.Value.LockWaits:N0} waited for the lock's holder").ConfigureAwait(false);
        }
        finally
        {
            await Budgeted(() => _mux.GetDatabase().KeyDeleteAsync([key, lockKey])).ConfigureAwait(false);
        }

        clock.Stop();
        var trace = recorder.Finish();
        return new(new LibraryStampede(CacheLibrary.HandWritten, readers, _database.Loads - before, clock.Elapsed, trace.Commands[0].Wire.Count), trace);
    }

    /// <summary>Invalidates every product of <paramref name="category"/> by its tag (our cache-aside has no tags: it deletes the category's keys it knows).</summary>
    public async Task<Traced<int>> InvalidateCategoryAsync(CacheLibrary library, string category, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(category) || !_database.Categories.Contains(category))
        {
            throw new LearnerInputException($"Pick one of the categories: {string.Join(", ", _database.Categories)}.", nameof(category));
        }

        var tag = LibraryNode.CategoryTag(category);
        var recorder = _tracer.Start($"Invalidate the tag {tag} with {Describe(library, backplane: true)}");
        var ids = Enumerable.Range(1, ProductCount).Where(i => _database.Peek(i)?.Category == category).ToArray();
        switch (library)
        {
            case CacheLibrary.Hybrid:
                await recorder.RunAsync($"HybridCache.RemoveByTagAsync {tag}", $"await hybridCache.RemoveByTagAsync({RedisCommandText.CSharpString(tag)});", () => A.Hybrid.RemoveByTagAsync(tag, cancellationToken).AsTask(), "done").ConfigureAwait(false);
                break;
            case CacheLibrary.Fusion:
                await recorder.RunAsync($"FusionCache.RemoveByTagAsync {tag}", $"await fusionCache.RemoveByTagAsync({RedisCommandText.CSharpString(tag)});", () => A.Fusion.RemoveByTagAsync(tag, token: cancellationToken).AsTask(), "done").ConfigureAwait(false);
                break;
            default:
                var keys = ids.Select(HandWrittenKey).ToArray();
                var db = _mux.GetDatabase();
                await recorder.RunAsync(
                    RedisCommandText.Format("UNLINK", [.. keys.Select(k => (object)k.ToString())]),
                    $"await db.KeyDeleteAsync(new RedisKey[] {{ {string.Join(", ", keys.Select(k => RedisCommandText.CSharpString(k.ToString())))} }}); // sent as UNLINK",
                    () => Budgeted(() => db.KeyDeleteAsync(keys)),
                    RedisCommandText.IntegerReply).ConfigureAwait(false);
                break;
        }

        return new(ids.Length, recorder.Finish());
    }

    /// <summary>
    /// Makes product <paramref name="id"/> stale in <paramref name="library"/>, so the next read asks the database:
    /// FusionCache marks it expired but keeps it for fail-safe (<c>ExpireAsync</c>); HybridCache and our cache-aside
    /// can only remove it.
    /// </summary>
    public async Task<Traced<bool>> ExpireAsync(CacheLibrary library, int id, CancellationToken cancellationToken = default)
    {
        ValidateId(id);
        var key = LibraryNode.ProductKey(id);
        var recorder = _tracer.Start($"Expire product {id} in {Describe(library, backplane: true)}");
        switch (library)
        {
            case CacheLibrary.Fusion:
                await recorder.RunAsync($"FusionCache.ExpireAsync {key}", $"await fusionCache.ExpireAsync({RedisCommandText.CSharpString(key)}); // stale, but kept for fail-safe", () => A.Fusion.ExpireAsync(key, token: cancellationToken).AsTask(), "expired, kept for fail-safe").ConfigureAwait(false);
                break;
            case CacheLibrary.Hybrid:
                await recorder.RunAsync($"HybridCache.RemoveAsync {key}", $"await hybridCache.RemoveAsync({RedisCommandText.CSharpString(key)}); // HybridCache has no fail-safe copy to keep", () => A.Hybrid.RemoveAsync(key, cancellationToken).AsTask(), "removed").ConfigureAwait(false);
                break;
            default:
                var ours = HandWrittenKey(id);
                var db = _mux.GetDatabase();
                await recorder.RunAsync(RedisCommandText.Format("UNLINK", ours), "await db.KeyDeleteAsync(key); // sent as UNLINK", () => Budgeted(() => db.KeyDeleteAsync(ours)), RedisCommandText.Flag).ConfigureAwait(false);
                break;
        }

        return new(true, recorder.Finish());
    }

    /// <summary>
    /// Both nodes read product <paramref name="id"/>; then its price changes in the database and node A removes it
    /// from the cache. How long does node B keep answering with the old price? Read B every 50 ms until it answers
    /// the new one, or the L1 duration (plus a second) has passed.
    /// </summary>
    public async Task<StaleWindow> MeasureStaleWindowAsync(CacheLibrary library, bool backplane, int id, IProgress<TimeSpan>? progress = null, CancellationToken cancellationToken = default)
    {
        ValidateId(id);
        if (library == CacheLibrary.HandWritten)
        {
            throw new LearnerInputException("Our cache-aside has no L1: every node reads Redis, so nothing is stale after the change.", nameof(library));
        }

        Task<Product?> Load(CancellationToken ct) => _database.GetAsync(id, ct);
        Task<Product?> Read(LibraryNode node) => node.ReadAsync(library, id, backplane, Load, Tags(id), cancellationToken);

        await Read(A).ConfigureAwait(false);
        await Read(B).ConfigureAwait(false); // B now holds the product in its own memory
        var current = _database.Peek(id)!;
        var changed = await _database.UpdateAsync(id, new ProductInput { Name = current.Name, Category = current.Category, Stock = current.Stock, Price = current.Price + 1 }, cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var key = LibraryNode.ProductKey(id);
        if (library == CacheLibrary.Hybrid)
        {
            await A.Hybrid.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await (backplane ? A.Fusion : A.FusionWithoutBackplane).RemoveAsync(key, token: cancellationToken).ConfigureAwait(false);
        }

        var limit = A.MemoryDuration + TimeSpan.FromSeconds(1);
        var staleReads = 0;
        while (true)
        {
            var seen = await Read(B).ConfigureAwait(false);
            if (seen?.Price == changed!.Price || clock.Elapsed > limit)
            {
                break;
            }

            staleReads++;
            progress?.Report(clock.Elapsed);
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        clock.Stop();
        return new StaleWindow(library, backplane, staleReads == 0 ? TimeSpan.Zero : clock.Elapsed, staleReads, A.MemoryDuration);
    }

    /// <summary>
    /// The source material's "cache any expensive call": a slow summarize function cached with HybridCache's
    /// <c>GetOrCreateAsync</c>, keyed by a hash of its arguments (the text with its spacing collapsed, and the length),
    /// so the same question asked again, in any spacing, is answered from the cache; a change of case is another question.
    /// </summary>
    public async Task<Traced<CachedSummary>> SummarizeAsync(string text, int maxWords, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 4000)
        {
            throw new LearnerInputException("Give a text of 1 to 4,000 characters to summarize.", nameof(text));
        }

        if (maxWords is < MinSummaryWords or > MaxSummaryWords)
        {
            throw new LearnerInputException($"The summary length must be from {MinSummaryWords} to {MaxSummaryWords} words.", nameof(maxWords));
        }

        var key = SummaryKey(text, maxWords);
        var recorder = _tracer.Start($"Summarize ({maxWords} words), cached by its arguments");
        var computed = false;
        var clock = Stopwatch.StartNew();
        var summary = await recorder.RunAsync(
            $"HybridCache.GetOrCreateAsync {key}",
            $"var summary = await hybridCache.GetOrCreateAsync({RedisCommandText.CSharpString(key)}, async ct => await SummarizeSlowlyAsync(text, {maxWords}, ct));",
            () => A.Hybrid.GetOrCreateAsync(key, async ct =>
            {
                computed = true;
                Interlocked.Increment(ref _summaries);
                await Task.Delay(SummarizeCost, ct).ConfigureAwait(false);
                return Summarize(text, maxWords);
            }, cancellationToken: cancellationToken).AsTask(),
            s => computed ? "computed (slow), now cached" : "from the cache").ConfigureAwait(false);
        clock.Stop();
        return new(new CachedSummary(key, summary, computed, clock.Elapsed), recorder.Finish());
    }

    /// <summary>
    /// The cache key of a summarize call: the function's name and a hash of its arguments, normalized only where the
    /// answer cannot differ. <see cref="Summarize"/> splits the text on whitespace, so the spacing is collapsed here too;
    /// it keeps the case, so the key does (two texts that differ in case have different summaries, and so different keys).
    /// </summary>
    public static string SummaryKey(string text, int maxWords)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = string.Join(' ', Words(text));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{normalized}|{maxWords}")));
        return "summarize:" + Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }

    /// <summary>The slow function's result: the first words of the text, up to <paramref name="maxWords"/>.</summary>
    public static string Summarize(string text, int maxWords)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = Words(text);
        return words.Length <= maxWords ? string.Join(' ', words) : string.Join(' ', words.Take(maxWords)) + " …";
    }

    /// <summary>The words of a text, as both the summarize function and its cache key see them.</summary>
    private static string[] Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Called once when the lab is disposed (its factory frees the learner's slot).</summary>
    internal Action? Closed { get; init; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await A.DisposeAsync().ConfigureAwait(false);
            await B.DisposeAsync().ConfigureAwait(false);
            await _mux.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            Closed?.Invoke();
        }
    }

    private async Task ForgetAsync(int id, CancellationToken cancellationToken)
    {
        var key = LibraryNode.ProductKey(id);
        foreach (var node in new[] { A, B })
        {
            await node.Hybrid.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
            await node.Fusion.RemoveAsync(key, token: cancellationToken).ConfigureAwait(false);
            await node.FusionWithoutBackplane.RemoveAsync(key, token: cancellationToken).ConfigureAwait(false);
        }

        await Budgeted(() => _mux.GetDatabase().KeyDeleteAsync(HandWrittenKey(id))).ConfigureAwait(false);
    }

    private async Task<Product?> ReadHandWrittenAsync(TraceRecorder recorder, int id, Func<CancellationToken, Task<Product?>> load, CancellationToken cancellationToken)
    {
        var db = _mux.GetDatabase();
        var key = HandWrittenKey(id);
        var cached = await recorder.RunAsync(
            RedisCommandText.Format("GET", key),
            "await db.StringGetAsync(key);",
            () => Budgeted(() => db.StringGetAsync(key)),
            v => v.IsNull ? "(nil): a miss" : "a hit").ConfigureAwait(false);
        if (!cached.IsNull)
        {
            return System.Text.Json.JsonSerializer.Deserialize(cached.ToString(), CachingJsonContext.Default.ProductEnvelope)!.Product;
        }

        var product = await load(cancellationToken).ConfigureAwait(false);
        var json = System.Text.Json.JsonSerializer.Serialize(new ProductEnvelope(product), CachingJsonContext.Default.ProductEnvelope);
        var ttl = RedisDuration;
        await recorder.RunAsync(
            RedisCommandText.Format("SETEX", key, (long)ttl.TotalSeconds, json),
            $"var product = await database.GetAsync({id}); // the miss loads the database\nawait db.StringSetAsync(key, JsonSerializer.Serialize(product), TimeSpan.FromSeconds({(long)ttl.TotalSeconds})); // sent as SETEX",
            () => Budgeted(() => db.StringSetAsync(key, json, ttl)),
            ok => ok ? "OK" : "(nil)").ConfigureAwait(false);
        return product;
    }

    /// <summary>
    /// One command of our own cache-aside, held to the lab's command budget when it has one (as the libraries' L2 is):
    /// at once a failure while Redis is not connected, a <see cref="TimeoutException"/> past the budget.
    /// </summary>
    private Task<T> Budgeted<T>(Func<Task<T>> call) => _budget is { } budget ? budget.RunAsync(call) : call();

    /// <summary>
    /// The C# of a library's product read as <see cref="LibraryNode"/> makes it: the cached value is a
    /// <see cref="ProductEnvelope"/> (so "no such product" is cached too) and the node's own entry options go with it.
    /// </summary>
    private static string LibraryCall(CacheLibrary library, int id, string? tag)
    {
        var key = RedisCommandText.CSharpString(LibraryNode.ProductKey(id));
        var tags = tag is null ? "" : $", tags: [{RedisCommandText.CSharpString(tag)}]";
        return library == CacheLibrary.Hybrid
            ? $"hybridCache.GetOrCreateAsync({key}, async ct => new ProductEnvelope(await database.GetAsync({id}, ct)), entry{tags})"
            : $"fusionCache.GetOrSetAsync<ProductEnvelope>({key}, async (ctx, ct) => new ProductEnvelope(await database.GetAsync({id}, ct)), options: entry{tags})";
    }

    /// <summary>The node's entry options for <paramref name="library"/>, as the C# that declares them (<c>entry</c>).</summary>
    private static string EntrySnippet(CacheLibrary library, LibraryNode node)
    {
        if (library == CacheLibrary.Hybrid)
        {
            var h = node.HybridEntryOptions;
            return $"var entry = new HybridCacheEntryOptions {{ Expiration = {Cs(h.Expiration)}, LocalCacheExpiration = {Cs(h.LocalCacheExpiration)} }}; // in Redis (L2), in node {node.Name}'s memory (L1)";
        }

        var f = node.FusionEntryOptions;
        return $$"""
            var entry = new FusionCacheEntryOptions
            {
                Duration = {{Cs(f.Duration)}}, // in node {{node.Name}}'s memory (L1)
                DistributedCacheDuration = {{Cs(f.DistributedCacheDuration)}}, // in Redis (L2)
                IsFailSafeEnabled = {{Cs(f.IsFailSafeEnabled)}}, // when the database fails, serve the last good value...
                FailSafeMaxDuration = {{Cs(f.FailSafeMaxDuration)}}, // ...kept this long
                FailSafeThrottleDuration = {{Cs(f.FailSafeThrottleDuration)}}, // and then ask the database again after this
                AllowBackgroundDistributedCacheOperations = {{Cs(f.AllowBackgroundDistributedCacheOperations)}}, // the read returns once Redis has the value
                AllowBackgroundBackplaneOperations = {{Cs(f.AllowBackgroundBackplaneOperations)}}, // and once the backplane has told the other nodes
            };
            """;
    }

    private static string Cs(bool value) => value ? "true" : "false";

    private static string Cs(TimeSpan? value) => value is not { } t ? "null"
        : t.Ticks % TimeSpan.TicksPerSecond == 0 ? string.Create(CultureInfo.InvariantCulture, $"TimeSpan.FromSeconds({(long)t.TotalSeconds})")
        : string.Create(CultureInfo.InvariantCulture, $"TimeSpan.FromMilliseconds({t.TotalMilliseconds})");

    /// <summary>What <see cref="StampedeWithLockAsync"/> runs, as C#: each reader is <c>LockProtection</c>'s loop.</summary>
    private static string LockSnippet(RedisKey lockKey, int id, int readers, long lockMs, long ttlSeconds) =>
        $$"""
        RedisKey lockKey = {{RedisCommandText.CSharpString(lockKey.ToString())}};
        await Task.WhenAll(Enumerable.Range(0, {{readers}}).Select(async _ =>
        {
            var token = Guid.NewGuid().ToString("N"); // this reader's proof of ownership
            var backoff = TimeSpan.FromMilliseconds(10);
            while ((await db.StringGetAsync(key)).IsNull) // a miss
            {
                if (!(await db.ExecuteAsync("SET", lockKey, token, "NX", "PX", {{lockMs}})).IsNull) // only the lock's holder loads
                {
                    if ((await db.StringGetAsync(key)).IsNull) // the previous holder may have filled it meanwhile
                    {
                        await db.StringSetAsync(key, JsonSerializer.Serialize(await database.GetAsync({{id}}, cancellationToken)), TimeSpan.FromSeconds({{ttlSeconds}}));
                    }

                    await db.ScriptEvaluateAsync({{RedisCommandText.CSharpLiteral(LockProtection.ReleaseScript)}}, [lockKey], [token]); // delete the lock only if it is still ours
                    break;
                }

                await Task.Delay(backoff + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 10)), cancellationToken); // the others wait, with back-off and jitter
                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 1.5, 200));
            }
        }));
        """;

    /// <summary>A race's product and readers, checked before the page takes the class's budget for it.</summary>
    public static void ValidateStampede(int id, int readers)
    {
        ValidateId(id);
        if (readers is < 2 or > MaxReaders)
        {
            throw new LearnerInputException($"A stampede needs from 2 to {MaxReaders:N0} readers.", nameof(readers));
        }
    }

    private string[] Tags(int id) => [LibraryNode.CategoryTag(_database.Peek(id)?.Category ?? "none")];

    private static void ValidateId(int id)
    {
        if (id is < 1 or > ProductCount)
        {
            throw new LearnerInputException($"The lab's products are 1 to {ProductCount}.", nameof(id));
        }
    }

    private static string Describe(CacheLibrary library, bool backplane) => library switch
    {
        CacheLibrary.Hybrid => "HybridCache",
        CacheLibrary.Fusion => backplane ? "FusionCache (backplane)" : "FusionCache (no backplane)",
        _ => "our cache-aside",
    };
}
