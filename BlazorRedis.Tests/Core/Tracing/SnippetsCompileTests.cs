using BlazorRedis.Core;
using BlazorRedis.Core.Bitmaps;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Core.Caching.Eviction;
using BlazorRedis.Core.Caching.Libraries;
using BlazorRedis.Core.Caching.Stampede;
using BlazorRedis.Core.Geo;
using BlazorRedis.Core.Hashes;
using BlazorRedis.Core.HyperLogLog;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Lists;
using BlazorRedis.Core.PubSub;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Core.Sessions;
using BlazorRedis.Core.Sets;
using BlazorRedis.Core.SortedSets;
using BlazorRedis.Core.Streams;
using BlazorRedis.Core.Strings;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.Core.Caching;
using BlazorRedis.Tests.Core.PubSub;
using BlazorRedis.Tests.Core.RateLimiting;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Tracing;

/// <summary>
/// "The C# shown is the C# that runs": runs the operations of every page against the test Redis, gathers the C# each
/// trace shows (the text of its copy button) and compiles it. A new source of traces is one line in <see cref="Sources"/>.
/// </summary>
public class SnippetsCompileTests(RedisServerFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Every source of traces: one line each.</summary>
    public static TheoryData<string> Sources => [.. SourceTable.Keys];

    private static readonly Dictionary<string, Func<RedisServerFixture, SnippetSink, Task>> SourceTable = new(StringComparer.Ordinal)
    {
        ["caching"] = CachingAsync,
        ["stampede"] = StampedeAsync,
        ["eviction"] = EvictionAsync,
        ["keys"] = KeysAsync,
        ["sessions"] = SessionsAsync,
        ["rate limiting"] = RateLimitingAsync,
        ["pub/sub"] = PubSubAsync,
        ["strings"] = StringsAsync,
        ["lists"] = ListsAsync,
        ["hashes"] = HashesAsync,
        ["sets"] = SetsAsync,
        ["sorted sets"] = SortedSetsAsync,
        ["bitmaps"] = BitmapsAsync,
        ["hyperloglog"] = HyperLogLogAsync,
        ["geo"] = GeoAsync,
        ["streams"] = StreamsAsync,
        ["course"] = CourseAsync,
        ["cluster lab"] = ClusterLabAsync,
        ["key browser"] = KeyBrowserAsync,
        ["workbench"] = WorkbenchAsync,
    };

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Every_snippet_the_trace_shows_compiles(string source)
    {
        var sink = new SnippetSink();

        await SourceTable[source](redis, sink);

        Assert.NotEmpty(sink.Traces);
        var failures = sink.Traces
            .Select(t => (t.Operation, Snippet: t.CSharp, Errors: SnippetCompiler.Errors(t.CSharp)))
            .Where(f => f.Errors.Count > 0)
            .Select(f => $"{f.Operation}:\n{f.Snippet}\n  → {string.Join("\n  → ", f.Errors)}")
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public async Task Every_snippet_the_libraries_lab_shows_compiles()
    {
        var own = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        await using var lab = new LibrariesLab(own, redis.NewKeyspace().ForLearner(LearnerId.New()), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), TimeSpan.Zero);
        var sink = new SnippetSink();
        foreach (var library in Enum.GetValues<CacheLibrary>())
        {
            sink.Add(await lab.ReadAsync(library, 1, cancellationToken: Ct)); // miss
            sink.Add(await lab.ReadAsync(library, 1, cancellationToken: Ct)); // hit
            sink.Add(await lab.StampedeAsync(library, 2, 10, Ct));
            sink.Add(await lab.InvalidateCategoryAsync(library, lab.Database.Peek(1)!.Category, Ct));
            sink.Add(await lab.ExpireAsync(library, 1, Ct));
        }

        sink.Add(await lab.StampedeWithLockAsync(2, 10, Ct));
        sink.Add(await lab.ReadAsync(CacheLibrary.Fusion, 3, lab.B, backplane: false, cancellationToken: Ct));
        sink.Add(await lab.SummarizeAsync("cache any call by its arguments", 4, Ct));

        var failures = sink.Traces
            .Select(t => (t.Operation, Snippet: t.CSharp, Errors: SnippetCompiler.Errors(t.CSharp, libraries: true)))
            .Where(f => f.Errors.Count > 0)
            .Select(f => $"{f.Operation}:\n{f.Snippet}\n  → {string.Join("\n  → ", f.Errors)}")
            .ToList();
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.True(sink.Traces.Count >= 18);

        // The libraries cache a ProductEnvelope with each node's own entry options, and the C# shown says so.
        var reads = sink.Traces.Where(t => t.Operation.StartsWith("Read product", StringComparison.Ordinal) && !t.Operation.Contains("our cache-aside", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(reads);
        Assert.All(reads, t => Assert.Contains("ProductEnvelope", t.CSharp, StringComparison.Ordinal));
        Assert.DoesNotContain(sink.Traces, t => t.CSharp.Contains("<Product?>", StringComparison.Ordinal));
        Assert.Contains(reads, t => t.CSharp.Contains("LocalCacheExpiration = TimeSpan.FromSeconds(1)", StringComparison.Ordinal));
        Assert.Contains(reads, t => t.CSharp.Contains("DistributedCacheDuration = TimeSpan.FromSeconds(300)", StringComparison.Ordinal));
    }

    [Fact]
    public void The_compiler_rejects_a_snippet_that_does_not_compile()
    {
        Assert.Empty(SnippetCompiler.Errors("var value = await db.StringGetAsync(\"k\");"));
        Assert.NotEmpty(SnippetCompiler.Errors("var queue = 1;\nvar queue = 2;"));
        Assert.NotEmpty(SnippetCompiler.Errors("await db.StringSetAsync(key, json);")); // key and json are not harness names
        Assert.NotEmpty(SnippetCompiler.Errors("await hybridCache.RemoveAsync(\"k\");")); // the libraries' names only in their harness
        Assert.Empty(SnippetCompiler.Errors("await hybridCache.RemoveAsync(\"k\");", libraries: true));
        Assert.NotEmpty(SnippetCompiler.Errors("await fusionCache.NoSuchMethodAsync();", libraries: true));
    }

    private static async Task CachingAsync(RedisServerFixture redis, SnippetSink sink)
    {
        await using var harness = CachingHarness.Create(redis, latencyMs: 1);
        var (reader, writer, invalidation, inspector) = (harness.Reader, harness.Writer, harness.Invalidation, harness.Inspector);
        var input = new ProductInput { Name = "Snippet lamp", Price = 12, Category = "garden", Stock = 3 };
        sink.Add(await reader.GetAsync(1, cancellationToken: Ct)); // miss
        sink.Add(await reader.GetAsync(1, cancellationToken: Ct)); // hit
        sink.Add(await reader.GetAsync(1, bypassCache: true, cancellationToken: Ct));
        sink.Add(await reader.GetAllAsync(cancellationToken: Ct));
        sink.Add(await reader.GetAllAsync(cancellationToken: Ct));
        var warm = await Task.WhenAll(Enumerable.Range(10, 3).Select(id => reader.GetAsync(id, cancellationToken: Ct)));
        sink.Traces.Add(OperationTrace.Combine("Warm the cache", warm.Select(r => r.Trace))); // as the invalidation page shows it
        sink.Add(await inspector.GetTimeToLiveAsync(1));
        var created = sink.Add(await writer.CreateAsync(input, Ct));
        sink.Add(await writer.UpdateAsync(created.Product!.Id, new ProductInput { Name = "Snippet lamp", Price = 12, Category = "kitchen", Stock = 3 }, Ct));
        sink.Add(await writer.WriteThroughAsync(created.Product.Id, input, Ct));
        sink.Add(await writer.UpdateStockAsync(created.Product.Id, 4, cancellationToken: Ct));
        sink.Add(await invalidation.InvalidateProductAsync(1));
        await reader.GetAsync(2, cancellationToken: Ct);
        sink.Add(await invalidation.InvalidateTagAsync((await harness.Database.GetAsync(2, Ct))!.Category));
        await reader.GetAsync(3, cancellationToken: Ct);
        sink.Add(await invalidation.InvalidatePatternAsync("product:*", Ct));
        await reader.GetAsync(4, cancellationToken: Ct);
        sink.Add(await inspector.ListCachedKeysAsync(cancellationToken: Ct));
        sink.Add(await writer.DeleteAsync(created.Product.Id, Ct));
        sink.Add(await harness.WriteBehind.EnqueueAsync(5, input));
        sink.Add(await harness.WriteBehind.GetStatusAsync());
    }

    private static async Task ClusterLabAsync(RedisServerFixture redis, SnippetSink sink)
    {
        await using var sandbox = new BlazorRedis.Core.ClusterLab.ClusterSandbox(Options.Create(new BlazorRedis.Core.ClusterLab.ClusterLabOptions()), Microsoft.Extensions.Logging.Abstractions.NullLogger<BlazorRedis.Core.ClusterLab.ClusterSandbox>.Instance);
        using var lab = new BlazorRedis.Core.ClusterLab.ClusterLab(sandbox);
        sink.Add(await lab.LocateAsync("user:1", Ct));
        sink.Add(await lab.CrossSlotAsync("cart:1", "cart:2", Ct));
        sink.Add(await lab.MovedAsync("product:7", Ct));
        sink.Add(await lab.FailoverAsync("session:x", TimeSpan.FromMilliseconds(100), cancellationToken: Ct));
    }

    private static async Task CourseAsync(RedisServerFixture redis, SnippetSink sink)
    {
        var keyspace = redis.NewKeyspace();
        var learner = LearnerId.New();
        var progress = new BlazorRedis.Core.Lessons.LessonProgressStore(redis.Multiplexer, keyspace, redis.Tracer, Options.Create(new BlazorRedis.Core.Lessons.LessonOptions()));
        sink.Traces.Add(await progress.SetLastAsync(learner, "streams"));
        sink.Traces.Add(await progress.RecordCheckPassedAsync(learner, "streams", BlazorRedis.Tests.Core.Lessons.LessonProgressStoreTests.Check(0, "EXISTS orders == 1")));
        var quiz = new BlazorRedis.Core.Lessons.Quiz("Q?", [new("a", true, "yes"), new("b", false, "no")]);
        sink.Traces.Add(await progress.RecordQuizAsync(learner, "streams", 0, quiz.Grade([0])));
        sink.Add(await progress.RecordLabAsync(learner, [("stampede.lock.loads", 1), ("stampede.lock.readers", 200)]));
        sink.Add(await progress.GetAsync(learner));
        var checks = BlazorRedis.Core.Lessons.CheckParser.Commands.Keys.Select(c => BlazorRedis.Core.Lessons.CheckParser.Parse(c switch
        {
            "DBSIZE" => "DBSIZE >= 0",
            "LAB" => "LAB stampede.lock.loads == 1",
            _ => $"{c} k {string.Join(' ', Enumerable.Repeat("0", BlazorRedis.Core.Lessons.CheckParser.Commands[c].Min - 1))} != x".Replace("  ", " ", StringComparison.Ordinal),
        }, 1)).ToArray();
        sink.Add(await new BlazorRedis.Core.Lessons.CheckEvaluator(redis.Multiplexer, redis.Tracer).EvaluateAsync(keyspace.ForLearner(learner), checks, Ct));
    }

    private static async Task StampedeAsync(RedisServerFixture redis, SnippetSink sink)
    {
        await using var harness = CachingHarness.Create(redis, latencyMs: 5);
        foreach (var protection in Enum.GetValues<StampedeProtection>())
        {
            sink.Add(await harness.Stampede.RunAsync(protection, 4, Ct));
        }
    }

    private static async Task EvictionAsync(RedisServerFixture redis, SnippetSink sink)
    {
        await using var lab = new EvictionLab(
            Options.Create(new EvictionLabOptions { RoundPauseMilliseconds = 0 }),
            new RedisKeyspace($"brtest:{Guid.NewGuid():N}:"));
        sink.Add(await lab.RunAsync(new EvictionWorkload { Policy = EvictionPolicies.NoEviction, Keys = 600, Rounds = 1 }, Ct));
    }

    private static async Task KeysAsync(RedisServerFixture redis, SnippetSink sink)
    {
        var keys = redis.NewKeyspace();
        await redis.Multiplexer.GetDatabase().StringSetAsync(keys.Prefix + "x", "1");
        sink.Add(await new KeyspaceJanitor(redis.Multiplexer, redis.Tracer).DeleteByPrefixAsync(keys.Prefix));
    }

    private static async Task SessionsAsync(RedisServerFixture redis, SnippetSink sink)
    {
        var store = new RedisSessionStore(redis.Multiplexer, redis.NewKeyspace(), redis.Tracer, Options.Create(new SessionOptions()));
        var session = sink.Add(await store.CreateAsync("alice"));
        sink.Add(await store.ReadAsync(session.Id));
        sink.Add(await store.TouchAsync(session.Id));
        sink.Add(await store.ListForUserAsync("alice"));
        sink.Add(await store.CreateAsync("alice", replacingId: session.Id));
        sink.Add(await store.DeleteAsync(session.Id));
        sink.Add(await store.DeleteAllForUserAsync("alice"));
    }

    private static async Task RateLimitingAsync(RedisServerFixture redis, SnippetSink sink)
    {
        var keys = redis.NewKeyspace();
        var service = RateLimitTestHelpers.Service(redis, keys);
        foreach (var algorithm in Enum.GetValues<RateLimitAlgorithm>())
        {
            sink.Add(await service.CheckAsync(algorithm, "snippets", Ct));
        }

        var lab = RateLimitTestHelpers.Lab(redis, service, keys);
        sink.Add(await lab.BurstAsync("snippets", 3, 0, cancellationToken: Ct));
        sink.Add(await lab.RaceAsync("snippets", 4, Ct));
        sink.Add(await lab.ResetAsync("snippets"));
    }

    private static async Task PubSubAsync(RedisServerFixture redis, SnippetSink sink)
    {
        var service = RedisPubSubServiceTests.NewService(redis);
        var (handler, _) = RedisPubSubServiceTests.Inbox();

        // The page opens with three subscriptions in one trace (the snippet once declared `var queue` three times).
        var panels = new List<Traced<IPubSubSubscription>>();
        foreach (var (name, pattern) in new[] { ("orders.created", false), ("orders.*", true), ("payments.*", true) })
        {
            panels.Add(await service.SubscribeAsync(name, pattern, handler));
        }

        sink.Traces.Add(OperationTrace.Combine("Open the page", panels.Select(p => p.Trace)));
        var subscribed = panels[1].Value;
        sink.Add(await service.CreateGroupAsync("billing"));
        sink.Add(await service.PublishAsync("orders.created", "order 42"));
        var entries = sink.Add(await service.ReadGroupAsync("billing", "worker-1"));
        sink.Add(await service.AckAsync("billing", [.. entries.Select(e => e.Id)]));

        // The page's publish: the publish rule's permit, then the publish, in one trace; and an XACK in several batches.
        var limit = new PublishLimit(RateLimitTestHelpers.Service(redis, redis.NewKeyspace()), redis.Tracer, Options.Create(new RateLimitingOptions()));
        var permit = await limit.CheckAsync(LearnerId.New());
        sink.Traces.Add(OperationTrace.Combine("Publish", permit, (await service.PublishAsync("orders.created", "order 43")).Trace));
        sink.Add(await service.AckAsync("billing", [.. Enumerable.Range(1, RedisPubSubService.MaxAckBatch + 1).Select(i => $"1-{i}")]));
        sink.Add(await service.GroupStatusAsync("billing"));
        sink.Add(await service.DeleteGroupAsync("billing"));
        var learner = LearnerId.New();
        sink.Add(await service.JoinGroupAsync(learner));
        sink.Add(await service.LeaveGroupAsync(learner));
        sink.Traces.Add(await service.UnsubscribeAsync(subscribed));
        foreach (var panel in panels)
        {
            await panel.Value.DisposeAsync();
        }
    }

    private static async Task KeyBrowserAsync(RedisServerFixture redis, SnippetSink sink)
    {
        var (executor, browser) = BlazorRedis.Tests.Core.Workbench.WorkbenchKeyBrowserTests.Create(redis);
        var session = executor.OpenSession(LearnerId.New());
        string[] lines = ["SET note hi", "SETBIT bits 3 1", "PFADD hll a b", "RPUSH list a", "HSET hash f v", "SADD set m", "ZADD zset 1 m",
            "GEOADD geo 77.59 12.97 cafe", "XADD stream * f v", "XGROUP CREATE stream g 0", "XREADGROUP GROUP g c STREAMS stream >"];
        foreach (var line in lines)
        {
            await executor.ExecuteAsync(session, line, Ct);
        }

        var page = await browser.ListAsync(session, cancellationToken: Ct);
        sink.Traces.Add(page.Trace);
        foreach (var key in page.Keys)
        {
            sink.Traces.Add((await browser.ReadAsync(session, key.Raw, Ct)).Trace);
        }
    }

    // Every shape of C# the console shows: a plain command, keys and a PUBLISH channel in the learner's names, a
    // transaction, a blocking command, the emulated SCAN and KEYS, a subscription; then all of them as one snippet,
    // as a lesson's Run shows the lines it ran (two transactions and two blocking commands in one snippet included).
    private static async Task WorkbenchAsync(RedisServerFixture redis, SnippetSink sink)
    {
        var options = Options.Create(new BlazorRedis.Core.Workbench.WorkbenchOptions { MaxBlockMilliseconds = 100 });
        await using var blocking = new BlazorRedis.Core.Workbench.BlockingConnections(redis.Multiplexer, options);
        var executor = new BlazorRedis.Core.Workbench.WorkbenchExecutor(redis.Multiplexer, redis.Tracer, redis.NewKeyspace(),
            new BlazorRedis.Core.Connection.RedisCommandBudget(redis.Multiplexer, TimeSpan.FromSeconds(2)), options, null, blocking);
        using var session = executor.OpenSession(LearnerId.New());
        string[] lines = ["SET greeting \"hello \\\"world\\\"\"", "MSET a 1 b 2", "GET " + new string('k', 120), "HSET user:1 name ada", "PUBLISH news hi",
            "MULTI", "INCR visits", "EXPIRE visits 60", "EXEC", "MULTI", "SET a 3", "EXEC", "BLPOP jobs 0.1", "BRPOP jobs 0.1",
            "SCAN 0 MATCH * COUNT 10", "KEYS *", "SUBSCRIBE news", "UNSUBSCRIBE news"];
        var replies = new List<BlazorRedis.Core.Workbench.WorkbenchReply>();
        foreach (var line in lines)
        {
            var reply = await executor.ExecuteAsync(session, line, Ct);
            Assert.False(reply.IsError, $"{line} → {reply.Text}");
            replies.Add(reply);
        }

        var sent = replies.Where(r => r.Sent).ToList();
        Assert.True(sent.Count >= 12, $"only {sent.Count} lines reached Redis");
        sink.Traces.AddRange(sent.Select(r => r.Trace));
        sink.Traces.Add(OperationTrace.Combine("Run the lesson's commands in your workbench", sent.Select(r => r.Trace)));
    }

    private static (RedisKeyspace Keys, LearnerId Learner, KeyspaceJanitor Janitor) Learner(RedisServerFixture redis) =>
        (redis.NewKeyspace(), LearnerId.New(), new KeyspaceJanitor(redis.Multiplexer, redis.Tracer));

    private static async Task StringsAsync(RedisServerFixture redis, SnippetSink sink)
    {
        var (keys, learner, janitor) = Learner(redis);
        var demo = new StringsDemoService(redis.Multiplexer, redis.Tracer, keys, janitor);
        var token = sink.Add(await demo.IssueTokenAsync(learner, "user-1", 60));
        sink.Add(await demo.ReadTokenAsync(learner, token.Token));
        sink.Add(await demo.TokenTtlAsync(learner, token.Token));
        sink.Add(await demo.IncrementViewsAsync(learner));
        sink.Add(await demo.IncrementViewsConcurrentlyAsync(learner, 3));
        sink.Add(await demo.SetAsync(learner, "greeting", "hello", 60));
        sink.Add(await demo.GetAsync(learner, "greeting"));
        sink.Add(await demo.SetManyAsync(learner, [new("a", "1"), new("b", "2")]));
        sink.Add(await demo.AppendAsync(learner, "greeting", " world"));
        sink.Add(await demo.LengthAsync(learner, "greeting"));
        sink.Add(await demo.ResetAsync(learner));
    }

    private static async Task ListsAsync(RedisServerFixture redis, SnippetSink sink)
    {
        var (keys, learner, janitor) = Learner(redis);
        var demo = new ListsDemoService(redis.Multiplexer, redis.Tracer, keys, janitor, TimeProvider.System);
        sink.Add(await demo.EnqueueAsync(learner, ["resize", "email"]));
        sink.Add(await demo.WorkOnceAsync(learner, "worker-1"));
        sink.Add(await demo.WaitForJobAsync(learner, "worker-1", TimeSpan.FromSeconds(1), Ct));
        sink.Add(await demo.ReadQueueAsync(learner));
        sink.Add(await demo.RecordActivityAsync(learner, "signed in", 5));
        sink.Add(await demo.ReadActivityAsync(learner));
    }

    private static async Task HashesAsync(RedisServerFixture redis, SnippetSink sink)
    {
        var (keys, learner, janitor) = Learner(redis);
        var demo = new HashesDemoService(redis.Multiplexer, redis.Tracer, keys, janitor);
        sink.Add(await demo.SetFieldsAsync(learner, [new("name", "Ada"), new("visits", "1")]));
        sink.Add(await demo.ReadProfileAsync(learner));
        sink.Add(await demo.IncrementAsync(learner, "visits", 2));
        sink.Add(await demo.DeleteFieldAsync(learner, "name"));
        sink.Add(await demo.CompareMemoryAsync(learner));

        // On a full profile an HSET asks which of its fields are new (HMGET): changing one already there needs no room.
        // The profile holds "visits" now, so one field fewer fills it.
        for (var start = 0; start < IHashesDemo.MaxFields - 1; start += IHashesDemo.MaxFieldsPerSet)
        {
            await demo.SetFieldsAsync(learner, [.. Enumerable.Range(start, Math.Min(IHashesDemo.MaxFieldsPerSet, IHashesDemo.MaxFields - 1 - start)).Select(i => new KeyValuePair<string, string>($"f{i}", "1"))]);
        }

        sink.Add(await demo.SetFieldsAsync(learner, [new("f0", "2")]));
    }

    private static async Task SetsAsync(RedisServerFixture redis, SnippetSink sink)
    {
        var (keys, learner, janitor) = Learner(redis);
        var demo = new SetsDemoService(redis.Multiplexer, redis.Tracer, keys, janitor);
        var posts = Enum.GetValues<Post>();
        sink.Add(await demo.AddTagsAsync(learner, posts[0], ["redis", "cache"]));
        sink.Add(await demo.AddTagsAsync(learner, posts[^1], ["redis", "sql"]));
        sink.Add(await demo.RemoveTagAsync(learner, posts[0], "cache"));
        sink.Add(await demo.HasTagAsync(learner, posts[0], "redis"));
        sink.Add(await demo.ReadAsync(learner));
        foreach (var comparison in Enum.GetValues<TagComparison>())
        {
            sink.Add(await demo.CompareAsync(learner, comparison));
        }

        // On a full post an SADD asks which of its tags are new (SMISMEMBER): a tag it already has needs no room. The post
        // carries "redis" and "sql" now, so two tags fewer fill it.
        for (var start = 0; start < ISetsDemo.MaxTagsPerPost - 2; start += ISetsDemo.MaxTagsPerAdd)
        {
            await demo.AddTagsAsync(learner, posts[^1], [.. Enumerable.Range(start, Math.Min(ISetsDemo.MaxTagsPerAdd, ISetsDemo.MaxTagsPerPost - 2 - start)).Select(i => $"t{i}")]);
        }

        sink.Add(await demo.AddTagsAsync(learner, posts[^1], ["t1"]));
    }

    private static async Task SortedSetsAsync(RedisServerFixture redis, SnippetSink sink)
    {
        var (keys, learner, janitor) = Learner(redis);
        var demo = new SortedSetsDemoService(redis.Multiplexer, redis.Tracer, keys, janitor, Options.Create(new LeaderboardOptions()));
        sink.Add(await demo.SetScoreAsync(learner, "ada", 10));
        sink.Add(await demo.AddPointsAsync(learner, "ada", 5));
        sink.Add(await demo.ReadTopAsync(learner));
        sink.Add(await demo.StandingAsync(learner, "ada"));
    }

    private static async Task BitmapsAsync(RedisServerFixture redis, SnippetSink sink)
    {
        var (keys, learner, janitor) = Learner(redis);
        var demo = new BitmapsDemoService(redis.Multiplexer, keys, redis.Tracer, janitor);
        var day = new DateOnly(2026, 12, 1);
        sink.Add(await demo.SetLoginAsync(learner, day, 7));
        sink.Add(await demo.SetLoginsAsync(learner, day.AddDays(1), [7, 8]));
        sink.Add(await demo.GetLoginAsync(learner, day, 7));
        sink.Add(await demo.CountAsync(learner, day));
        sink.Add(await demo.RetentionAsync(learner, day, day.AddDays(1)));
        sink.Add(await demo.SnapshotAsync(learner, [day, day.AddDays(1)]));
    }

    private static async Task HyperLogLogAsync(RedisServerFixture redis, SnippetSink sink)
    {
        var (keys, learner, janitor) = Learner(redis);
        var demo = new HyperLogLogDemoService(redis.Multiplexer, keys, redis.Tracer, janitor);
        sink.Add(await demo.AddTermAsync(learner, "redis"));
        sink.Add(await demo.LoadAsync(learner, 10_000, cancellationToken: Ct));
        sink.Add(await demo.CompareAsync(learner));
    }

    private static async Task GeoAsync(RedisServerFixture redis, SnippetSink sink)
    {
        var (keys, learner, janitor) = Learner(redis);
        var demo = new GeoDemoService(redis.Multiplexer, keys, redis.Tracer, janitor);
        sink.Add(await demo.AddAsync(learner, BengaluruCafes.All));
        sink.Add(await demo.DistanceAsync(learner, BengaluruCafes.All[0].Name, BengaluruCafes.All[1].Name));
        sink.Add(await demo.SearchAroundCafeAsync(learner, BengaluruCafes.All[0].Name, 2));
        sink.Add(await demo.SearchAroundPointAsync(learner, BengaluruCafes.CubbonPark.Longitude, BengaluruCafes.CubbonPark.Latitude, 2));
        sink.Add(await demo.PositionAsync(learner, BengaluruCafes.All[0].Name));
        sink.Add(await demo.SnapshotAsync(learner));

        // On a full map a GEOADD asks which of its cafés are already there (ZMSCORE): moving one needs no room.
        await demo.AddAsync(learner, [.. Enumerable.Range(0, GeoDemoService.MaxCafes - BengaluruCafes.All.Count).Select(i => new Cafe($"Filler {i}", 77.5 + (i * 0.0001), 12.9))]);
        sink.Add(await demo.AddAsync(learner, [BengaluruCafes.All[0] with { Latitude = 12.95 }]));
    }

    private static async Task StreamsAsync(RedisServerFixture redis, SnippetSink sink)
    {
        var (keys, learner, janitor) = Learner(redis);
        var demo = new StreamsDemoService(redis.Multiplexer, keys, redis.Tracer, janitor);
        var first = sink.Add(await demo.AddAsync(learner, new SensorReading(21.5, 40)));
        sink.Add(await demo.AddManyAsync(learner, [new SensorReading(22, 41), new SensorReading(22.5, 42)]));
        sink.Add(await demo.LengthAsync(learner));
        sink.Add(await demo.RangeAsync(learner, "-", "+"));
        sink.Add(await demo.LatestAsync(learner));
        sink.Add(await demo.ReadAfterAsync(learner, first.Id));
        sink.Add(await demo.CreateGroupAsync(learner, "alerts"));
        var read = sink.Add(await demo.ReadGroupAsync(learner, "alerts", "worker-1", 2));
        sink.Add(await demo.PendingAsync(learner, "alerts"));
        sink.Add(await demo.AutoClaimAsync(learner, "alerts", "worker-2", TimeSpan.Zero));
        sink.Add(await demo.AckAsync(learner, "alerts", [.. read.Select(e => e.Id)]));
    }
}

/// <summary>Gathers the traces an operation returned.</summary>
internal sealed class SnippetSink
{
    public List<OperationTrace> Traces { get; } = [];

    /// <summary>Keeps the trace, returns the value.</summary>
    public T Add<T>(Traced<T> traced)
    {
        Traces.Add(traced.Trace);
        return traced.Value;
    }
}
