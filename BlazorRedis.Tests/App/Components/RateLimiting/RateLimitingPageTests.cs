using BlazorRedis.App.Components.Pages.RateLimiting;
using BlazorRedis.App.Hosting;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.App.Components.RateLimiting;

/// <summary>The rate-limiting page on the real test Redis, with the real limiter and lab on a prefix of its own.</summary>
public class RateLimitingPageTests : MudTestContext
{
    private static TimeSpan Patience { get; } = TimeSpan.FromSeconds(30);
    private readonly RedisServerFixture _redis;
    private readonly RedisKeyspace _keys;
    private readonly LearnerTokens _tokens = new(new EphemeralDataProtectionProvider(), TimeProvider.System);

    public RateLimitingPageTests(RedisServerFixture redis)
    {
        _redis = redis;
        _keys = redis.NewKeyspace();
    }

    private RedisRateLimitService Limiter { get; set; } = null!;

    private RateLimitLab Lab { get; set; } = null!;

    [Fact]
    public void The_page_states_the_rule_the_fail_mode_and_the_learners_own_partition()
    {
        var cut = Render(windowSeconds: 60);

        Assert.Equal("Rate limiting", cut.Find("[data-testid=page-title]").TextContent);
        Assert.Contains("Lua script", cut.Find("[data-testid=lesson]").TextContent, StringComparison.Ordinal);
        Assert.Contains("10 requests per 60 s", cut.Find("[data-testid=rule]").TextContent, StringComparison.Ordinal);
        Assert.Contains("fail open", cut.Find("[data-testid=fail-mode]").TextContent, StringComparison.Ordinal);
        Assert.Contains("learner-" + Learner.Id.Value, cut.Find("[data-testid=partition]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("[data-testid=timeline-empty]"));
        Assert.Empty(cut.FindAll("[data-testid=limiter-health]"));
        var call = cut.Find("[data-testid=script-call-fixed-window]").TextContent;
        Assert.Contains("EVALSHA " + RateLimitScripts.For(RateLimitAlgorithm.FixedWindow).Sha1 + " 1 ", call, StringComparison.Ordinal);
        Assert.Contains("KEYS[1]", cut.Find("[data-testid=scripts] [data-testid=code-block]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_curl_line_shows_no_credential_until_asked_and_then_a_token_that_only_spends_this_learners_budget()
    {
        var cut = Render(windowSeconds: 60);

        var hidden = cut.Find("[data-testid=curl]").TextContent;
        Assert.Contains("-H \"X-Learner-Id: <your token>\"", hidden, StringComparison.Ordinal);
        Assert.DoesNotContain(Learner.Id.Value, hidden, StringComparison.Ordinal);

        cut.Find("[data-testid=show-token]").Click();

        var shown = cut.Find("[data-testid=curl]").TextContent;
        var token = System.Text.RegularExpressions.Regex.Match(shown, "X-Learner-Id: ([A-Za-z0-9_-]+)\"").Groups[1].Value;
        Assert.True(_tokens.TryReadRateLimit(token, out var learner));
        Assert.Equal(Learner.Id, learner);
        Assert.False(_tokens.TryReadCookie(token, out _));
        Assert.DoesNotContain(Learner.Id.Value, shown, StringComparison.Ordinal);
        Assert.Contains("off the projector", cut.Find("[data-testid=token-warning]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Firing_a_burst_draws_every_algorithms_answers_and_counts_them()
    {
        var cut = Render(windowSeconds: 60);
        // A loaded machine once took 22 s for this burst: with 40 s left in the window it still ends inside it.
        await Lab.WaitForRoomInWindowAsync(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(40), Xunit.TestContext.Current.CancellationToken);
        Type(cut, "burst-size", "15");
        Type(cut, "burst-spacing", "0");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Click(cut, "fire-burst");

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=burst-summary]")), Patience);
        clock.Stop();
        foreach (var slug in new[] { "fixed-window", "sliding-log", "sliding-counter" })
        {
            Assert.Equal("10", cut.Find($"[data-testid=allowed-{slug}]").TextContent);
            Assert.Equal("5", cut.Find($"[data-testid=rejected-{slug}]").TextContent);
        }

        // The bucket gains one token every 6 s here: a 15-request burst gets its 10, plus what refilled while it ran
        // (at least one more allowed, as before, for a burst that starts just before a token comes).
        var refilled = Math.Max(1, (int)Math.Floor(clock.Elapsed.TotalSeconds / 6));
        Assert.InRange(int.Parse(cut.Find("[data-testid=allowed-token-bucket]").TextContent, System.Globalization.CultureInfo.InvariantCulture), 10, 10 + refilled);
        Assert.Equal(15, cut.FindAll("[data-testid=timeline-fixed-window] [data-testid=bar]").Count);
        Assert.Contains("EVALSHA", cut.Find("[data-testid=trace-table]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Burst of 15", cut.Find("[data-testid=trace-operation]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_rate_limiting_lessons_lab_check_passes_on_what_the_learners_own_burst_recorded()
    {
        BlazorRedis.Tests.Core.Classroom.ClassTestKit.AddCourse(Services, _redis, _keys);
        var cut = Render(windowSeconds: 60);
        var lesson = Services.GetRequiredService<BlazorRedis.Core.Lessons.LessonCatalog>().Find("rate-limiting")!;
        var labChecks = lesson.Checks.SelectMany(b => b.Checks).Where(c => c.Command == "LAB").ToArray();
        Assert.NotEmpty(labChecks);
        var evaluator = new BlazorRedis.Core.Lessons.CheckEvaluator(_redis.Multiplexer, _redis.Tracer);
        var learner = _keys.ForLearner(Learner.Id);
        Assert.All((await evaluator.EvaluateAsync(learner, labChecks, Xunit.TestContext.Current.CancellationToken)).Value, r => Assert.False(r.Passed));
        await Lab.WaitForRoomInWindowAsync(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(20), Xunit.TestContext.Current.CancellationToken);
        Type(cut, "burst-size", "15");
        Type(cut, "burst-spacing", "0");

        Click(cut, "fire-burst");

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=burst-summary]")), Patience);
        var graded = (await evaluator.EvaluateAsync(learner, labChecks, Xunit.TestContext.Current.CancellationToken)).Value;
        Assert.All(graded, r => Assert.True(r.Passed, r.Message));
        Assert.Equal(cut.Find("[data-testid=rejected-token-bucket]").TextContent, graded.Single(r => r.Check.Key == "rate-limit-burst.token-bucket.rejected").Found);
    }

    [Fact]
    public async Task A_burst_outside_the_limits_shows_why_and_sends_nothing()
    {
        var cut = Render(windowSeconds: 60);
        Type(cut, "burst-size", "200");
        Type(cut, "burst-spacing", "1000");

        Click(cut, "fire-burst");

        cut.WaitForAssertion(() => Assert.Contains("would take over 120 s", cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal), Patience);
        Assert.NotNull(cut.Find("[data-testid=timeline-empty]"));
        Assert.False(await _redis.Multiplexer.GetDatabase().KeyExistsAsync(Limiter.KeyFor(RateLimitAlgorithm.FixedWindow, RateLimitLab.PartitionFor(Learner.Id))));
    }

    [Fact]
    public void The_race_shows_the_lua_script_admitting_exactly_the_limit()
    {
        var cut = Render(windowSeconds: 60);
        Type(cut, "race-concurrency", "40");

        Click(cut, "race-run");

        cut.WaitForAssertion(() => Assert.Equal("10", cut.Find("[data-testid=race-lua-admitted]").TextContent), Patience);
        var naive = int.Parse(cut.Find("[data-testid=race-naive-admitted]").TextContent, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(naive, 10, 40);
        Assert.Contains("GET", cut.Find("[data-testid=trace-table]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_boundary_burst_shows_fixed_window_letting_both_halves_through_and_the_log_holding_the_limit()
    {
        var cut = Render(windowSeconds: 2, permitLimit: 5);

        Click(cut, "boundary-run");

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=boundary-result]")), Patience);
        var fixedTotal = int.Parse(cut.Find("[data-testid=boundary-total-fixed-window]").TextContent, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(fixedTotal, 5, 10);
        Assert.Equal("5", cut.Find("[data-testid=boundary-total-sliding-log]").TextContent);
        Assert.Contains("TIME", cut.Find("[data-testid=trace-table]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_redis_is_unreachable_the_page_says_the_limiter_is_failing_open()
    {
        await using var dead = await UnreachableRedis.ConnectAsync();
        var cut = Render(windowSeconds: 60, mux: dead, tracer: new RedisTracer(dead));
        Type(cut, "burst-size", "3");
        Type(cut, "burst-spacing", "0");

        Click(cut, "fire-burst");

        cut.WaitForAssertion(() => Assert.Contains("failing open", cut.Find("[data-testid=limiter-health]").TextContent, StringComparison.Ordinal), Patience);
        cut.WaitForAssertion(() => Assert.Equal("3", cut.Find("[data-testid=allowed-sliding-log]").TextContent), Patience);
    }

    // After Redis came back, "the limiter cannot reach Redis … failing open" stayed on the open page beside a Connected
    // status chip until the next burst or a reload.
    [Fact]
    public async Task When_the_status_probe_finds_redis_again_the_page_says_it_is_back_without_a_new_request()
    {
        await using var dead = await UnreachableRedis.ConnectAsync();
        var cut = Render(windowSeconds: 60, mux: dead, tracer: new RedisTracer(dead));
        Type(cut, "burst-size", "2");
        Type(cut, "burst-spacing", "0");
        Click(cut, "fire-burst");
        cut.WaitForAssertion(() => Assert.Contains("failing open", cut.Find("[data-testid=limiter-health]").TextContent, StringComparison.Ordinal), Patience);
        var stale = FakeStatusSource.Connected() with { CheckedAt = DateTimeOffset.UtcNow.AddMinutes(-5) };

        await cut.InvokeAsync(() => Status.Publish(stale));
        Assert.NotNull(cut.Find("[data-testid=limiter-health]")); // a probe from before the outage proves nothing

        await cut.InvokeAsync(() => Status.Publish(FakeStatusSource.Connected()));

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=limiter-health]")), Patience);
        var back = cut.Find("[data-testid=limiter-recovered]").TextContent;
        Assert.Contains("Redis is back; the next request will use it", back, StringComparison.Ordinal);
        Assert.Contains("decisions were made without Redis", back, StringComparison.Ordinal);

        await cut.InvokeAsync(() => Status.Publish(new RedisStatus { Connected = false, Error = "down again", CheckedAt = DateTimeOffset.UtcNow }));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=limiter-health]")), Patience);
        Assert.Empty(cut.FindAll("[data-testid=limiter-recovered]"));
    }

    // The burst ran (failing open), then saving its result for the lesson's LAB check threw: the page said "nothing was
    // changed" and dropped the burst's timeline and trace.
    [Fact]
    public async Task With_redis_down_a_burst_keeps_its_timeline_and_trace_and_says_its_result_was_not_saved()
    {
        await using var dead = await UnreachableRedis.ConnectAsync();
        UnreachableRedis.AddCourse(Services, dead);
        var cut = Render(windowSeconds: 60, mux: dead, tracer: new RedisTracer(dead));
        Type(cut, "burst-size", "3");
        Type(cut, "burst-spacing", "0");

        Click(cut, "fire-burst");

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=burst-summary]")), Patience);
        Assert.Equal("3", cut.Find("[data-testid=allowed-sliding-log]").TextContent);
        Assert.Equal(3, cut.FindAll("[data-testid=timeline-sliding-log] [data-testid=bar]").Count);
        Assert.Contains("could not be saved", cut.Find("[data-testid=lab-not-saved]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=form-error]"));
        Assert.Contains("Burst of 3", cut.Find("[data-testid=trace-operation]").TextContent, StringComparison.Ordinal);
        Assert.Contains("HSET", cut.Find("[data-testid=trace-table]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_burst_whose_result_is_saved_shows_no_warning()
    {
        BlazorRedis.Tests.Core.Classroom.ClassTestKit.AddCourse(Services, _redis, _keys);
        var cut = Render(windowSeconds: 60);
        Type(cut, "burst-size", "2");
        Type(cut, "burst-spacing", "0");

        Click(cut, "fire-burst");

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=burst-summary]")), Patience);
        Assert.Empty(cut.FindAll("[data-testid=lab-not-saved]"));
        Assert.True(await _redis.Multiplexer.GetDatabase().HashExistsAsync(
            BlazorRedis.Core.Lessons.LessonProgressStore.KeyOf(_keys.ForLearner(Learner.Id)), "lab:rate-limit-burst.token-bucket.rejected"));
    }

    [Theory]
    [InlineData("burst-size", "abc", "number of requests is not a valid number")]
    [InlineData("burst-size", "", "number of requests is empty")]
    [InlineData("burst-size", "0", "burst size must be between 1 and")]
    [InlineData("burst-size", "-5", "burst size must be between 1 and")]
    [InlineData("burst-size", "500", "burst size must be between 1 and")]
    [InlineData("burst-size", "99999999999", "burst size must be between 1 and 200")] // a number, only beyond an int
    [InlineData("burst-size", "-99999999999", "burst size must be between 1 and 200")]
    [InlineData("burst-size", "99999999999999999999999999999", "burst size must be between 1 and 200")] // beyond a long too
    [InlineData("burst-spacing", "abc", "spacing is not a valid number")]
    [InlineData("burst-spacing", "", "spacing is empty")]
    [InlineData("burst-spacing", "-1", "spacing must be between 0 and")]
    [InlineData("burst-spacing", "60000", "spacing must be between 0 and")]
    [InlineData("burst-spacing", "99999999999", "spacing must be between 0 and")]
    public async Task A_bad_number_in_the_burst_says_why_on_the_field_and_sends_nothing(string field, string value, string message)
    {
        var cut = Render(windowSeconds: 60);
        Type(cut, field, value);

        Click(cut, "fire-burst");

        cut.WaitForAssertion(() => Assert.Contains(message, cut.Find("[data-testid=form-error]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Contains(message, FieldError(cut, field), StringComparison.Ordinal);
        Assert.NotNull(cut.Find("[data-testid=timeline-empty]"));
        Assert.Empty(cut.FindAll("[data-testid=trace-row]"));
        Assert.Empty(await RedisKeys.UnderAsync(_redis.Multiplexer, _keys.Prefix));
    }

    [Fact]
    public void A_bad_number_keeps_the_last_bursts_timeline_and_its_field_message_goes_when_the_value_changes()
    {
        var cut = Render(windowSeconds: 60);
        Type(cut, "burst-size", "2");
        Type(cut, "burst-spacing", "0");
        Click(cut, "fire-burst");
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=burst-summary]")), Patience);

        Type(cut, "burst-size", "abc");
        Click(cut, "fire-burst");

        cut.WaitForAssertion(() => Assert.Contains("not a valid number", FieldError(cut, "burst-size"), StringComparison.Ordinal), Patience);
        Assert.Equal(2, cut.FindAll("[data-testid=timeline-fixed-window] [data-testid=bar]").Count);
        Type(cut, "burst-size", "3");
        cut.WaitForAssertion(() => Assert.DoesNotContain("not a valid number", FieldError(cut, "burst-size"), StringComparison.Ordinal), Patience);
    }

    [Theory]
    [InlineData("abc", "number of requests at once is not a valid number")]
    [InlineData("", "number of requests at once is empty")]
    [InlineData("1", "must be between 2 and")]
    [InlineData("-3", "must be between 2 and")]
    [InlineData("100000", "must be between 2 and")]
    [InlineData("99999999999", "must be between 2 and")]
    public async Task A_bad_number_in_the_race_says_why_on_the_field_and_races_nothing(string value, string message)
    {
        var cut = Render(windowSeconds: 60);
        Type(cut, "race-concurrency", value);

        Click(cut, "race-run");

        cut.WaitForAssertion(() => Assert.Contains(message, FieldError(cut, "race-concurrency"), StringComparison.Ordinal), Patience);
        Assert.Empty(cut.FindAll("[data-testid=race-result]"));
        Assert.Empty(cut.FindAll("[data-testid=trace-row]"));
        Assert.Empty(await RedisKeys.UnderAsync(_redis.Multiplexer, _keys.Prefix));
    }

    private IRenderedComponent<RateLimitingPage> Render(int windowSeconds, int permitLimit = 10, IConnectionMultiplexer? mux = null, RedisTracer? tracer = null)
    {
        mux ??= _redis.Multiplexer;
        tracer ??= _redis.Tracer;
        Limiter = new RedisRateLimitService(mux, tracer, _keys, Options.Create(new RateLimitingOptions
        {
            PermitLimit = permitLimit,
            WindowSeconds = windowSeconds,
        }), NullLogger<RedisRateLimitService>.Instance, budget: new RedisCommandBudget(mux, TimeSpan.FromMilliseconds(300)));
        Lab = new RateLimitLab(Limiter, new NaiveFixedWindowLimiter(mux), mux, tracer, _keys, TimeProvider.System);
        Services.AddSingleton<IRateLimitService>(Limiter);
        Services.AddSingleton(Lab);
        Services.AddSingleton(_tokens);
        return RenderWithProviders<RateLimitingPage>();
    }

    /// <summary>The message MudBlazor shows under a field (its helper text when the field is fine).</summary>
    private static string FieldError(IRenderedComponent<RateLimitingPage> cut, string testId) =>
        cut.Find($"input[data-testid={testId}]").Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text")?.TextContent ?? "";

    /// <summary>MudBlazor puts the test id on the input itself.</summary>
    private static void Type(IRenderedComponent<RateLimitingPage> cut, string testId, string value) =>
        cut.Find($"input[data-testid={testId}]").Change(value);

    private static void Click(IRenderedComponent<RateLimitingPage> cut, string testId)
    {
        cut.WaitForAssertion(() => Assert.False(cut.Find($"[data-testid={testId}]").HasAttribute("disabled")), Patience);
        cut.InvokeAsync(() => cut.Find($"[data-testid={testId}]").Click());
    }
}
