using BlazorRedis.App.Components.Pages.Caching;
using BlazorRedis.Core.Budgets;
using BlazorRedis.Core.Caching.Catalog;
using BlazorRedis.Tests.Core.Caching;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.App.Components.Caching;

public class WriteStrategiesPageTests(RedisServerFixture redis)
{
    /// <summary>True to run every test on the database in Redis (<c>ScaleOut:SharedDatabase</c>) instead of in memory.</summary>
    protected virtual bool SharedDatabase => false;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task Write_through_changes_the_database_at_once()
    {
        await using var ctx = new CachingPageContext(redis, sharedDatabase: SharedDatabase);
        var cut = ctx.RenderWithProviders<WriteStrategies>();
        Assert.Contains("Write-through", cut.Find("[data-testid=lesson]").TextContent, StringComparison.Ordinal);
        await CacheAsideRaceTests.SetNumberAsync(cut, "stock", "77");

        await cut.InvokeAsync(() => cut.Find("button[data-testid=write-through]").Click());

        cut.WaitForAssertion(() => Assert.Contains("Both agree", cut.Find("[data-testid=outcome]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal(77, ctx.Database.Peek(1)!.Stock);
        Assert.Equal("77", cut.Find("[data-testid=db-stock]").TextContent.Trim());
        Assert.Equal("77", cut.Find("[data-testid=cache-stock]").TextContent.Trim());
        Assert.NotEmpty(cut.FindAll("[data-testid=trace-row]"));
    }

    [Fact]
    public async Task Write_behind_queues_the_write_and_the_queue_panel_shows_it()
    {
        await using var ctx = new CachingPageContext(redis, sharedDatabase: SharedDatabase);
        ctx.Harness.WriteBehind.SetPaused(true);
        var before = ctx.Database.Peek(1)!.Stock;
        var cut = ctx.RenderWithProviders<WriteStrategies>();
        await CacheAsideRaceTests.SetNumberAsync(cut, "stock", (before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));

        await cut.InvokeAsync(() => cut.Find("button[data-testid=write-behind]").Click());

        cut.WaitForAssertion(() => Assert.Contains("queued as entry", cut.Find("[data-testid=outcome]").TextContent, StringComparison.Ordinal), Wait);
        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-testid=queue-length]").TextContent.Trim()), Wait);
        Assert.Equal(before, ctx.Database.Peek(1)!.Stock);
        Assert.Contains("XADD", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_queue_refuses_the_write_in_plain_words_and_the_pause_says_who_and_until_when()
    {
        var harness = CachingHarness.Create(redis, latencyMs: 10, settings: new Dictionary<string, string?> { ["Caching:WriteBehindMaxQueue"] = "10", ["ScaleOut:SharedDatabase"] = SharedDatabase ? "true" : "false" });
        await using var ctx = new CachingPageContext(redis, harness: harness);
        ctx.Harness.WriteBehind.SetPaused(true, "learner 0a1b2c…");
        for (var i = 1; i <= 10; i++)
        {
            await ctx.Harness.WriteBehind.EnqueueAsync(2, new ProductInput { Name = $"Q{i}", Price = 1, Category = "toys", Stock = i });
        }

        var cut = ctx.RenderWithProviders<WriteStrategies>();
        await cut.InvokeAsync(() => cut.Find("button[data-testid=write-behind]").Click());

        cut.WaitForAssertion(() => Assert.Contains("The write-behind queue is full", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal), Wait);
        cut.WaitForAssertion(() => Assert.Contains("Paused by learner 0a1b2c…; the worker resumes by itself at", cut.Find("[data-testid=paused-by]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(cut.FindAll("[data-testid=outcome]"));
        Assert.Equal("10", cut.Find("[data-testid=queue-length]").TextContent.Trim());
    }

    [Fact]
    public async Task The_cache_row_shows_the_last_write_of_the_product_in_the_id_field_only()
    {
        await using var ctx = new CachingPageContext(redis, sharedDatabase: SharedDatabase);
        ctx.Harness.WriteBehind.SetPaused(true);
        var cut = ctx.RenderWithProviders<WriteStrategies>();
        await CacheAsideRaceTests.SetNumberAsync(cut, "price", "1.23");
        await CacheAsideRaceTests.SetNumberAsync(cut, "stock", "102");
        await cut.InvokeAsync(() => cut.Find("button[data-testid=write-behind]").Click());
        cut.WaitForAssertion(() => Assert.Equal("102", cut.Find("[data-testid=cache-stock]").TextContent.Trim()), Wait);

        // Another product in the field: its row, not product 1's value under product 2's number.
        await CacheAsideRaceTests.SetNumberAsync(cut, "product-id", "2");
        cut.WaitForAssertion(() => Assert.Contains("Product 2:", cut.Find("[data-testid=compare]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal("", cut.Find("[data-testid=cache-stock]").TextContent.Trim());
        Assert.DoesNotContain("1.23", cut.Find("[data-testid=cache-row]").TextContent, StringComparison.Ordinal);

        // A product that does not exist: refused, and no cached value is shown for it.
        await CacheAsideRaceTests.SetNumberAsync(cut, "product-id", "99999");
        await cut.InvokeAsync(() => cut.Find("button[data-testid=write-behind]").Click());
        cut.WaitForAssertion(() => Assert.Contains("no product 99999", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains("Product 99999:", cut.Find("[data-testid=compare]").TextContent, StringComparison.Ordinal);
        Assert.Equal("", cut.Find("[data-testid=cache-stock]").TextContent.Trim());

        // Back to product 1: its last write again.
        await CacheAsideRaceTests.SetNumberAsync(cut, "product-id", "1");
        cut.WaitForAssertion(() => Assert.Equal("102", cut.Find("[data-testid=cache-stock]").TextContent.Trim()), Wait);
        Assert.Contains("1.23", cut.Find("[data-testid=cache-row]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lost_stream_with_nothing_waiting_raises_no_alarm()
    {
        await using var ctx = new CachingPageContext(redis, sharedDatabase: SharedDatabase);
        var writeBehind = ctx.Harness.WriteBehind;
        await writeBehind.EnqueueAsync(3, new ProductInput { Name = "Applied", Price = 1, Category = "toys", Stock = 3 });
        await writeBehind.ProcessOnceAsync("test", Ct);
        Assert.Equal("Applied", ctx.Database.Peek(3)?.Name);
        await ctx.Harness.Db.KeyDeleteAsync(writeBehind.StreamKey); // what a restart without persistence does to it

        // The service notes when it found the stream gone, and that it lost nothing.
        var status = (await writeBehind.GetStatusAsync()).Value;
        Assert.NotNull(status.StreamFoundGoneAt);
        Assert.Equal(0, status.LostWrites);

        var cut = ctx.RenderWithProviders<WriteStrategies>();
        cut.WaitForAssertion(() => Assert.Equal("0", cut.Find("[data-testid=queue-length]").TextContent.Trim()), Wait);
        Assert.Empty(cut.FindAll("[data-testid=lost-writes]"));
    }

    [Fact]
    public async Task A_lost_stream_with_writes_waiting_says_how_many_were_lost()
    {
        await using var ctx = new CachingPageContext(redis, sharedDatabase: SharedDatabase);
        var writeBehind = ctx.Harness.WriteBehind;
        for (var i = 1; i <= 2; i++)
        {
            await writeBehind.EnqueueAsync(i, new ProductInput { Name = "Waiting", Price = 1, Category = "toys", Stock = i });
        }

        await writeBehind.GetStatusAsync(); // the group is made: the app has the queue
        await ctx.Harness.Db.KeyDeleteAsync(writeBehind.StreamKey);

        var cut = ctx.RenderWithProviders<WriteStrategies>();

        cut.WaitForAssertion(() => Assert.Contains("2 accepted writes were never applied", cut.Find("[data-testid=lost-writes]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal(2, writeBehind.LostWrites);
        // The count is of every loss since the app started; the time is when the app last found the stream gone.
        Assert.StartsWith("Since the app started,", cut.Find("[data-testid=lost-writes]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("The app last found the stream gone at ", cut.Find("[data-testid=lost-writes]").TextContent, StringComparison.Ordinal);
    }
}

public class InvalidationPageTests(RedisServerFixture redis)
{
    /// <summary>True to run every test on the database in Redis (<c>ScaleOut:SharedDatabase</c>) instead of in memory.</summary>
    protected virtual bool SharedDatabase => false;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Warming_lists_the_keys_and_a_tag_removes_only_its_category()
    {
        await using var ctx = new CachingPageContext(redis, sharedDatabase: SharedDatabase);
        var cut = ctx.RenderWithProviders<Invalidation>();
        Assert.Contains("KEYS", cut.Find("[data-testid=lesson]").TextContent, StringComparison.Ordinal);

        await cut.InvokeAsync(() => cut.Find("button[data-testid=warm]").Click());
        cut.WaitForAssertion(() => Assert.True(cut.FindAll("[data-testid=cached-key]").Count >= 24), Wait);

        await cut.InvokeAsync(() => cut.Find("button[data-testid=tag-books]").Click());

        cut.WaitForAssertion(() => Assert.Contains("Tag books: 4 cached products removed", cut.Find("[data-testid=outcome]").TextContent, StringComparison.Ordinal), Wait);
        var keys = cut.FindAll("[data-testid=cached-key]").Select(k => k.TextContent).ToList();
        Assert.DoesNotContain(keys, k => k.Contains("{cache}:product:1 ", StringComparison.Ordinal) || k.EndsWith("{cache}:product:7", StringComparison.Ordinal));
        Assert.False(await ctx.Harness.Db.KeyExistsAsync(ctx.Harness.CacheKeys.Product(7)));
        Assert.True(await ctx.Harness.Db.KeyExistsAsync(ctx.Harness.CacheKeys.Product(2)));
    }

    [Fact]
    public async Task Pattern_invalidation_runs_SCAN_and_a_bad_pattern_shows_an_error()
    {
        await using var ctx = new CachingPageContext(redis, sharedDatabase: SharedDatabase);
        ctx.ActAsTeacher();
        var cut = ctx.RenderWithProviders<Invalidation>();
        await cut.InvokeAsync(() => cut.Find("button[data-testid=warm]").Click());
        cut.WaitForAssertion(() => Assert.True(cut.FindAll("[data-testid=cached-key]").Count >= 24), Wait);

        await cut.InvokeAsync(() => cut.Find("button[data-testid=by-pattern]").Click());
        // One batch is "1 SCAN batch", any other count "N SCAN batches" (it used to say "1 SCAN batches").
        cut.WaitForAssertion(() => Assert.Matches(@"removed in (1 SCAN batch|([02-9]|\d{2,}) SCAN batches)\.$", cut.Find("[data-testid=outcome]").TextContent.Trim()), Wait);
        Assert.Contains(cut.FindAll("[data-testid=trace-row]"), r => r.TextContent.Contains("SCAN", StringComparison.Ordinal));
        Assert.False(await ctx.Harness.Db.KeyExistsAsync(ctx.Harness.CacheKeys.Product(1)));
        Assert.True(await ctx.Harness.Db.KeyExistsAsync(ctx.Harness.CacheKeys.Product(2)));

        await cut.InvokeAsync(() => cut.Find("input[data-testid=pattern]").Change("a b"));
        await cut.InvokeAsync(() => cut.Find("button[data-testid=by-pattern]").Click());
        cut.WaitForAssertion(() => Assert.Contains("must not contain spaces", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal), Wait);
    }

    [Fact]
    public async Task Refreshing_the_list_while_the_learners_keyspace_scan_runs_is_refused_in_plain_words_instead_of_the_list()
    {
        await using var ctx = new CachingPageContext(redis, sharedDatabase: SharedDatabase);
        var cut = ctx.RenderWithProviders<Invalidation>();
        await cut.InvokeAsync(() => cut.Find("button[data-testid=warm]").Click());
        cut.WaitForAssertion(() => Assert.True(cut.FindAll("[data-testid=cached-key]").Count >= 24), Wait);

        using (ctx.Budget.Start(BudgetKind.PatternScan, ctx.Learner.Id.Value, 1)) // this learner's pattern invalidation in another tab
        {
            await cut.InvokeAsync(() => cut.Find("button[data-testid=refresh]").Click());

            cut.WaitForAssertion(() => Assert.Contains("already have a keyspace scan running", cut.Find("[data-testid=keys-refused]").TextContent, StringComparison.Ordinal), Wait);
            Assert.Empty(cut.FindAll("[data-testid=cached-key]"));
            Assert.Empty(cut.FindAll("[data-testid=form-error]"));
        }

        await cut.InvokeAsync(() => cut.Find("button[data-testid=refresh]").Click());
        cut.WaitForAssertion(() => Assert.True(cut.FindAll("[data-testid=cached-key]").Count >= 24), Wait);
        Assert.Empty(cut.FindAll("[data-testid=keys-refused]"));
        Assert.Equal(0, ctx.Budget.SpentOf(BudgetKind.PatternScan));
    }

    [Fact]
    public async Task A_list_cut_at_its_cap_says_it_shows_only_the_first_keys()
    {
        await using var ctx = new CachingPageContext(redis, sharedDatabase: SharedDatabase);
        var root = ctx.Harness.CacheKeys.Root;
        var many = Enumerable.Range(1000, 250)
            .Select(i => new KeyValuePair<StackExchange.Redis.RedisKey, StackExchange.Redis.RedisValue>(root + "product:" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), "{}"))
            .ToArray();
        await ctx.Harness.Db.StringSetAsync(many);
        var cut = ctx.RenderWithProviders<Invalidation>();

        await cut.InvokeAsync(() => cut.Find("button[data-testid=refresh]").Click());

        cut.WaitForAssertion(() => Assert.Equal(200, cut.FindAll("[data-testid=cached-key]").Count), Wait);
        Assert.Contains("first 200 keys", cut.Find("[data-testid=keys-cut]").TextContent, StringComparison.Ordinal);
    }
}

public class StampedePageTests(RedisServerFixture redis)
{
    /// <summary>True to run every test on the database in Redis (<c>ScaleOut:SharedDatabase</c>) instead of in memory.</summary>
    protected virtual bool SharedDatabase => false;

    [Fact]
    public async Task A_second_race_while_the_learners_first_runs_is_refused_with_why_and_runs_nothing()
    {
        await using var ctx = new CachingPageContext(redis, sharedDatabase: SharedDatabase, latencyMs: 50);
        var cut = ctx.RenderWithProviders<Stampede>();
        await CacheAsideRaceTests.SetNumberAsync(cut, "requests", "200");
        var loads = ctx.Harness.Database.Loads;

        using (ctx.Budget.Start(BudgetKind.StampedeRace, ctx.Learner.Id.Value, 10)) // this learner's race in another tab
        {
            await cut.InvokeAsync(() => cut.Find("button[data-testid=race-none]").Click());

            cut.WaitForAssertion(() => Assert.Contains("already have a stampede race running", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
            Assert.Empty(cut.FindAll("[data-testid=loads-none]"));
            Assert.Equal(loads, ctx.Harness.Database.Loads);
        }
    }

    [Fact]
    public async Task Racing_with_the_lock_draws_one_load_and_none_draws_many()
    {
        // A 250 ms load, not 50: "every reader waited" holds only for readers that start before the load ends, and on a
        // loaded CI machine one of 200 thread-pool readers was once scheduled more than 50 ms late and found the value
        // cached (199 of 200), which is what the page should then say.
        await using var ctx = new CachingPageContext(redis, sharedDatabase: SharedDatabase, latencyMs: 250);
        var cut = ctx.RenderWithProviders<Stampede>();
        Assert.Contains("XFetch", cut.Find("[data-testid=lesson]").TextContent, StringComparison.Ordinal);
        await CacheAsideRaceTests.SetNumberAsync(cut, "requests", "200");

        await cut.InvokeAsync(() => cut.Find("button[data-testid=race-lock]").Click());
        cut.WaitForAssertion(() => Assert.Equal("1 load", cut.Find("[data-testid=loads-lock]").TextContent.Trim()), TimeSpan.FromSeconds(15));
        await cut.InvokeAsync(() => cut.Find("button[data-testid=race-none]").Click());
        cut.WaitForAssertion(() => cut.Find("[data-testid=loads-none]"), TimeSpan.FromSeconds(15));

        var noneLoads = int.Parse(cut.Find("[data-testid=loads-none]").TextContent.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(noneLoads > 1);
        Assert.EndsWith("ms", cut.Find("[data-testid=time-lock]").TextContent.Trim(), StringComparison.Ordinal);

        // The race is compared by how long readers waited, not only by how long it took: under the lock every reader of a
        // cold key waited for the one load.
        Assert.Equal("200 readers of 200", cut.Find("[data-testid=waited-lock]").TextContent.Trim());
        Assert.Matches(@"^wait per reader: median \d", cut.Find("[data-testid=wait-lock]").TextContent.Trim());
        Assert.Contains("longest", cut.Find("[data-testid=wait-lock]").TextContent, StringComparison.Ordinal);
        await cut.InvokeAsync(() => cut.Find("button[data-testid=trace-lock]").Click());
        Assert.Contains(cut.FindAll("[data-testid=trace-row]"), r => r.TextContent.Contains("GET ", StringComparison.Ordinal) && r.TextContent.Contains("{cache}:stampede:", StringComparison.Ordinal));
    }
}

public class StampedeLabCheckTests(RedisServerFixture redis)
{
    [Fact]
    public async Task The_stampede_lessons_lab_check_fails_before_the_races_and_passes_on_what_the_learners_own_races_recorded()
    {
        await using var ctx = new CachingPageContext(redis, latencyMs: 50);
        var progress = BlazorRedis.Tests.Core.Classroom.ClassTestKit.AddCourse(ctx.Services, redis, ctx.Harness.Keyspace);
        var lesson = ctx.Services.GetRequiredService<BlazorRedis.Core.Lessons.LessonCatalog>().Find("stampedes")!;
        var labChecks = lesson.Checks.SelectMany(b => b.Checks).Where(c => c.Command == "LAB").ToArray();
        Assert.Equal(["stampede.none.loads", "stampede.lock.loads"], labChecks.Select(c => c.Key));
        var evaluator = new BlazorRedis.Core.Lessons.CheckEvaluator(redis.Multiplexer, redis.Tracer);
        var learner = ctx.Harness.Keyspace.ForLearner(ctx.Learner.Id);

        var before = (await evaluator.EvaluateAsync(learner, labChecks, Xunit.TestContext.Current.CancellationToken)).Value;
        Assert.All(before, r => Assert.False(r.Passed));
        Assert.Contains("you have not run that lab yet", before[0].Message, StringComparison.Ordinal);

        var cut = ctx.RenderWithProviders<Stampede>();
        await CacheAsideRaceTests.SetNumberAsync(cut, "requests", "200");
        await cut.InvokeAsync(() => cut.Find("button[data-testid=race-lock]").Click());
        cut.WaitForAssertion(() => Assert.Equal("1 load", cut.Find("[data-testid=loads-lock]").TextContent.Trim()), TimeSpan.FromSeconds(15));
        var halfway = (await evaluator.EvaluateAsync(learner, labChecks, Xunit.TestContext.Current.CancellationToken)).Value;
        Assert.False(halfway[0].Passed); // "none" not raced yet
        Assert.True(halfway[1].Passed, halfway[1].Message);

        await cut.InvokeAsync(() => cut.Find("button[data-testid=race-none]").Click());
        cut.WaitForAssertion(() => cut.Find("[data-testid=loads-none]"), TimeSpan.FromSeconds(15));
        var noneLoads = int.Parse(cut.Find("[data-testid=loads-none]").TextContent.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

        var after = (await evaluator.EvaluateAsync(learner, labChecks, Xunit.TestContext.Current.CancellationToken)).Value;
        Assert.All(after, r => Assert.True(r.Passed, r.Message));
        Assert.Equal(noneLoads.ToString(System.Globalization.CultureInfo.InvariantCulture), after[0].Found); // the number the page showed
        var recorded = (await progress.GetAsync(ctx.Learner.Id)).Value;
        Assert.Equal(200, recorded.LabResult("stampede.none.readers"));

        // The race's trace shows the two commands that recorded it.
        await cut.InvokeAsync(() => cut.Find("button[data-testid=trace-none]").Click());
        Assert.Contains(cut.FindAll("[data-testid=trace-row]"), r => r.TextContent.Contains("HSET ", StringComparison.Ordinal) && r.TextContent.Contains("lab:stampede.none.loads", StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=lab-not-saved]"));
    }

    // Saving the lab result used to throw out of the race: the page said Redis was unavailable and showed no result.
    [Fact]
    public async Task A_race_whose_result_cannot_be_saved_keeps_its_result_and_trace_and_says_so()
    {
        await using var ctx = new CachingPageContext(redis, latencyMs: 50);
        await using var dead = await UnreachableRedis.ConnectAsync();
        UnreachableRedis.AddCourse(ctx.Services, dead);
        var cut = ctx.RenderWithProviders<Stampede>();
        await CacheAsideRaceTests.SetNumberAsync(cut, "requests", "200");

        await cut.InvokeAsync(() => cut.Find("button[data-testid=race-lock]").Click());

        cut.WaitForAssertion(() => Assert.Equal("1 load", cut.Find("[data-testid=loads-lock]").TextContent.Trim()), TimeSpan.FromSeconds(15));
        Assert.Contains("could not be saved", cut.Find("[data-testid=lab-not-saved]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=form-error]"));
        await cut.InvokeAsync(() => cut.Find("button[data-testid=trace-lock]").Click());
        Assert.Contains(cut.FindAll("[data-testid=trace-row]"), r => r.TextContent.Contains("SET ", StringComparison.Ordinal) && r.TextContent.Contains("NX", StringComparison.Ordinal));
        Assert.Contains(cut.FindAll("[data-testid=trace-row]"), r => r.TextContent.Contains("HSET ", StringComparison.Ordinal) && r.TextContent.Contains("(error)", StringComparison.Ordinal));
    }
}

public class LoadTestPageTests(RedisServerFixture redis)
{
    /// <summary>True to run every test on the database in Redis (<c>ScaleOut:SharedDatabase</c>) instead of in memory.</summary>
    protected virtual bool SharedDatabase => false;

    [Fact]
    public async Task A_run_shows_progress_and_measured_results()
    {
        await using var ctx = new CachingPageContext(redis, sharedDatabase: SharedDatabase, latencyMs: 5);
        var cut = ctx.RenderWithProviders<LoadTest>();
        Assert.Contains("Zipf", cut.Find("[data-testid=lesson]").TextContent, StringComparison.Ordinal);
        await CacheAsideRaceTests.SetNumberAsync(cut, "requests", "300");

        await cut.InvokeAsync(() => cut.Find("button[data-testid=start-load]").Click());

        cut.WaitForAssertion(() => Assert.Contains("300 of 300", cut.Find("[data-testid=result-completed]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.Equal("Finished", cut.Find("[data-testid=result-title]").TextContent.Trim());
        Assert.Contains("300 / 300", cut.Find("[data-testid=progress-text]").TextContent, StringComparison.Ordinal);
        Assert.Contains("requests/s", cut.Find("[data-testid=result-rps]").TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(cut.FindAll("[data-testid=trace-row]"));
    }

    [Fact]
    public async Task A_run_stops_at_the_class_time_limit_and_says_what_it_measured_and_what_to_change()
    {
        // 1,000 uncached reads one at a time at 200 ms each would take 200 s; the class allows a run 1 s.
        await using var ctx = new CachingPageContext(redis, sharedDatabase: SharedDatabase, latencyMs: 200);
        var budget = new ActionBudget(Options.Create(new BudgetOptions { LoadRunSeconds = 1 }), TimeProvider.System);
        ctx.Services.AddSingleton(budget);
        var cut = ctx.RenderWithProviders<LoadTest>();
        Assert.Contains("a run stops after at most 1 s", cut.Find("[data-testid=run-limits]").TextContent, StringComparison.Ordinal);
        await CacheAsideRaceTests.SetNumberAsync(cut, "requests", "1000");
        await CacheAsideRaceTests.SetNumberAsync(cut, "concurrency", "1");
        await cut.InvokeAsync(() => cut.Find("input[data-testid=cached]").Change(false));

        await cut.InvokeAsync(() => cut.Find("button[data-testid=start-load]").Click());

        cut.WaitForAssertion(() => Assert.Matches(@"^Stopped after 1 s: [\d,]+ of 1,000 requests$", cut.Find("[data-testid=result-title]").TextContent.Trim()), TimeSpan.FromSeconds(30));
        var note = cut.Find("[data-testid=time-limit-note]").TextContent;
        Assert.Contains("At 200 ms per database query, 1 at a time, all 1,000 would take about 3 min.", note, StringComparison.Ordinal);
        Assert.Contains("use fewer requests, more concurrency, the cache", note, StringComparison.Ordinal);
        Assert.Matches(@"^[\d,]+ / 1,000 requests", cut.Find("[data-testid=progress-text]").TextContent.Trim());
        Assert.Equal(0, budget.SpentOf(BudgetKind.LoadRun)); // its slot is free again
    }

    [Fact]
    public async Task A_run_refused_because_the_class_runs_are_busy_says_when_the_soonest_ends()
    {
        await using var ctx = new CachingPageContext(redis, sharedDatabase: SharedDatabase, latencyMs: 5);
        var budget = new ActionBudget(Options.Create(new BudgetOptions()), TimeProvider.System); // 2 runs of at most 60 s
        ctx.Services.AddSingleton(budget);
        using var first = budget.Start(BudgetKind.LoadRun, "another-learner", 1);
        using var second = budget.Start(BudgetKind.LoadRun, "a-third-learner", 1);
        var cut = ctx.RenderWithProviders<LoadTest>();
        var loads = ctx.Database.Loads;

        await cut.InvokeAsync(() => cut.Find("button[data-testid=start-load]").Click());

        cut.WaitForAssertion(() => Assert.Matches(@"\(2 of 2 runs, and this one needs 1\)\. Try again in about (5\d|60) s\.", cut.Find("[data-testid=form-error]").TextContent), TimeSpan.FromSeconds(15));
        Assert.Empty(cut.FindAll("[data-testid=load-result]"));
        Assert.InRange(ctx.Database.Loads - loads, 0, 1); // at most the one traced sample read, no run
    }

    [Fact]
    public async Task Cancel_stops_a_long_run_early()
    {
        await using var ctx = new CachingPageContext(redis, sharedDatabase: SharedDatabase, latencyMs: 20);
        var cut = ctx.RenderWithProviders<LoadTest>();
        await CacheAsideRaceTests.SetNumberAsync(cut, "requests", "100000");
        await cut.InvokeAsync(() => cut.Find("input[data-testid=cached]").Change(false));

        await cut.InvokeAsync(() => cut.Find("button[data-testid=start-load]").Click());
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=cancel-load]").HasAttribute("disabled")), TimeSpan.FromSeconds(15));
        await cut.InvokeAsync(() => cut.Find("button[data-testid=cancel-load]").Click());

        cut.WaitForAssertion(() => Assert.Contains("Stopped early", cut.Find("[data-testid=result-title]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
    }
}

/// <summary>The same page tests on the database in Redis (<c>ScaleOut:SharedDatabase</c>), as a fleet runs them.</summary>
public sealed class WriteStrategiesPageOnSharedDatabaseTests(RedisServerFixture redis) : WriteStrategiesPageTests(redis)
{
    protected override bool SharedDatabase => true;
}

/// <summary>The same page tests on the database in Redis (<c>ScaleOut:SharedDatabase</c>), as a fleet runs them.</summary>
public sealed class InvalidationPageOnSharedDatabaseTests(RedisServerFixture redis) : InvalidationPageTests(redis)
{
    protected override bool SharedDatabase => true;
}

/// <summary>The same page tests on the database in Redis (<c>ScaleOut:SharedDatabase</c>), as a fleet runs them.</summary>
public sealed class StampedePageOnSharedDatabaseTests(RedisServerFixture redis) : StampedePageTests(redis)
{
    protected override bool SharedDatabase => true;
}

/// <summary>The same page tests on the database in Redis (<c>ScaleOut:SharedDatabase</c>), as a fleet runs them.</summary>
public sealed class LoadTestPageOnSharedDatabaseTests(RedisServerFixture redis) : LoadTestPageTests(redis)
{
    protected override bool SharedDatabase => true;
}
