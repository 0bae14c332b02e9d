using BlazorRedis.App.Components.Pages.Caching;
using BlazorRedis.Core.Caching.Eviction;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace BlazorRedis.Tests.App.Components.Pages.Caching;

public class EvictionLabPageTests : MudTestContext
{
    // The eviction lab fills a sandbox shared by the class: the teacher runs it (learners: ClassWideControlsPageTests).
    public EvictionLabPageTests() => ActAsTeacher();

    private EvictionLab UseRealLab(string serverPath = "redis-server")
    {
        var lab = new EvictionLab(
            Options.Create(new EvictionLabOptions { ServerPath = serverPath, RoundPauseMilliseconds = 0 }),
            new RedisKeyspace($"brtest:{Guid.NewGuid():N}:"));
        Services.AddSingleton<IEvictionLab>(lab);
        return lab;
    }

    private static void ChoosePolicy(IRenderedComponent<EvictionLabPage> cut, string policy)
    {
        var select = cut.FindComponent<MudSelect<string>>();
        cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(policy));
    }

    [Fact]
    public void A_double_click_runs_the_lab_once_and_shows_no_busy_error()
    {
        using var lab = UseRealLab();
        var cut = RenderWithProviders<EvictionLabPage>();
        var button = cut.Find("button[data-testid=run]");

        // Both clicks reach the page before it re-renders the button as disabled, as a fast double click does.
        cut.InvokeAsync(() =>
        {
            button.Click();
            button.Click();
        });

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=evicted-keys]")), TimeSpan.FromSeconds(30));
        Assert.Empty(cut.FindAll("[data-testid=error]"));
        Assert.Equal(600, cut.FindAll("[data-testid=key-grid] i").Count);
    }

    [Theory]
    [InlineData("keys", "abc", "not a valid number")]
    [InlineData("value-kb", "-5", "value size must be a whole number between 1 and 64 KB")]
    // On main: "not a valid number" for a number too big for an int, no range for an empty field, and a value size of
    // 4194308 KB wrapped around (× 1024) into 4 KB and ran.
    [InlineData("keys", "", "number of keys is empty: type a whole number between 50 and 3,000")]
    [InlineData("keys", "1.5", "number of keys is not a valid number: type a whole number between 50 and 3,000")]
    [InlineData("keys", "1e309", "number of keys is not a valid number: type a whole number between 50 and 3,000")]
    [InlineData("keys", "99999999999", "number of keys must be a whole number between 50 and 3,000")]
    [InlineData("keys", "0", "number of keys must be a whole number between 50 and 3,000")]
    [InlineData("keys", "49", "number of keys must be a whole number between 50 and 3,000")]
    [InlineData("keys", "3001", "number of keys must be a whole number between 50 and 3,000")]
    [InlineData("value-kb", "", "value size is empty: type a whole number between 1 and 64 KB")]
    [InlineData("value-kb", "0", "value size must be a whole number between 1 and 64 KB")]
    [InlineData("value-kb", "65", "value size must be a whole number between 1 and 64 KB")]
    [InlineData("value-kb", "4194308", "value size must be a whole number between 1 and 64 KB")]
    [InlineData("value-kb", "99999999999", "value size must be a whole number between 1 and 64 KB")]
    [InlineData("hot-keys", "abc", "number of hot keys is not a valid number: type a whole number between 0 and 300 (half of the 600 keys)")]
    [InlineData("hot-keys", "-1", "number of hot keys must be a whole number between 0 and 300 (half of the 600 keys)")]
    [InlineData("hot-keys", "301", "number of hot keys must be a whole number between 0 and 300 (half of the 600 keys)")]
    [InlineData("hot-keys", "-99999999999", "number of hot keys must be a whole number between 0 and 300 (half of the 600 keys)")]
    [InlineData("ttl-percent", "", "share of keys with a TTL is empty: type a whole number between 0 and 100 %")]
    [InlineData("ttl-percent", "50.5", "share of keys with a TTL is not a valid number: type a whole number between 0 and 100 %")]
    [InlineData("ttl-percent", "-1", "share of keys with a TTL must be a whole number between 0 and 100 %")]
    [InlineData("ttl-percent", "101", "share of keys with a TTL must be a whole number between 0 and 100 %")]
    [InlineData("ttl-percent", "99999999999", "share of keys with a TTL must be a whole number between 0 and 100 %")]
    public void A_bad_number_starts_no_sandbox_and_says_why(string field, string value, string message)
    {
        using var lab = UseRealLab();
        var cut = RenderWithProviders<EvictionLabPage>();

        cut.InvokeAsync(() => cut.Find($"input[data-testid={field}]").Change(value));
        cut.InvokeAsync(() => cut.Find($"input[data-testid={field}]").Blur());
        cut.InvokeAsync(() => cut.Find("button[data-testid=run]").Click());

        cut.WaitForAssertion(() => Assert.Contains(message, cut.Find("[data-testid=error]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.Empty(cut.FindAll("[data-testid=evicted-keys]"));
        Assert.DoesNotContain("started by this app", cut.FindAll("[data-testid=sandbox]").Select(e => e.TextContent).FirstOrDefault() ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void Filling_the_sandbox_shows_evicted_keys_survivors_and_the_trace()
    {
        using var lab = UseRealLab();
        var cut = RenderWithProviders<EvictionLabPage>();
        Assert.Contains("used least recently", cut.Find("[data-testid=policy-help]").TextContent, StringComparison.Ordinal);

        cut.Find("button[data-testid=run]").Click();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=evicted-keys]")), TimeSpan.FromSeconds(30));
        Assert.True(long.Parse(cut.Find("[data-testid=evicted-keys]").TextContent, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal("0", cut.Find("[data-testid=rejected]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=oom-error]"));
        Assert.Equal(600, cut.FindAll("[data-testid=key-grid] i").Count);
        Assert.NotEmpty(cut.FindAll("[data-testid=key-grid] i.br-evicted"));
        Assert.Contains("MB of 2.00 MB", cut.Find("[data-testid=memory]").TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(cut.FindAll("[data-testid=trace-row]"));
        Assert.Contains("started by this app", cut.Find("[data-testid=sandbox]").TextContent, StringComparison.Ordinal);
    }

    // A learner was told "Pick a policy and fill the sandbox… One learner at a time" on a page whose button only the
    // teacher can use, and the teacher's run never reached the learner's browser.
    [Fact]
    public async Task A_learner_is_told_the_teacher_runs_the_lab_and_sees_the_teachers_run_with_numbers_that_add_up()
    {
        using var lab = UseRealLab();
        await using var learner = new MudTestContext();
        learner.Services.AddSingleton<IEvictionLab>(lab);
        var seen = learner.RenderWithProviders<EvictionLabPage>();
        Assert.Contains("The teacher fills the sandbox on the projector", seen.Find("[data-testid=no-result]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Pick a policy", seen.Find("[data-testid=no-result]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("One learner at a time", seen.Find("[data-testid=sandbox]").TextContent, StringComparison.Ordinal);
        var cut = RenderWithProviders<EvictionLabPage>();
        Assert.Contains("Pick a policy and fill the sandbox", cut.Find("[data-testid=no-result]").TextContent, StringComparison.Ordinal);

        cut.Find("button[data-testid=run]").Click();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=evicted-keys]")), TimeSpan.FromSeconds(30));
        seen.WaitForAssertion(() => Assert.Equal(cut.Find("[data-testid=evicted-keys]").TextContent, seen.Find("[data-testid=evicted-keys]").TextContent), TimeSpan.FromSeconds(30));
        Assert.Contains("The teacher's last run, with allkeys-lru", seen.Find("[data-testid=shown-run]").TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(seen.FindAll("[data-testid=trace-row]"));
        Assert.NotEmpty(learner.RenderWithProviders<EvictionLabPage>(popoverProvider: false).FindAll("[data-testid=evicted-keys]")); // and a page opened later

        int Number(string selector) => int.Parse(cut.Find(selector).TextContent.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var survived = Number("[data-testid=survival-hot] td:nth-child(3)") + Number("[data-testid=survival-cold] td:nth-child(3)");
        Assert.Equal(Number("[data-testid=written]"), survived + Number("[data-testid=evicted-keys]"));
        Assert.Equal($"Of the 600 accepted writes: {survived} survived, {Number("[data-testid=evicted-keys]")} evicted (evicted_keys).", cut.Find("[data-testid=tally]").TextContent.Trim());
    }

    [Fact]
    public void Under_noeviction_the_OOM_error_reaches_the_learner()
    {
        using var lab = UseRealLab();
        var cut = RenderWithProviders<EvictionLabPage>();
        ChoosePolicy(cut, EvictionPolicies.NoEviction);
        Assert.Contains("writes fail with an OOM error", cut.Find("[data-testid=policy-help]").TextContent, StringComparison.Ordinal);

        cut.Find("button[data-testid=run]").Click();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=oom-error]")), TimeSpan.FromSeconds(30));
        Assert.Contains("OOM command not allowed", cut.Find("[data-testid=oom-error]").TextContent, StringComparison.Ordinal);
        Assert.Equal("0", cut.Find("[data-testid=evicted-keys]").TextContent);
        Assert.NotEmpty(cut.FindAll("[data-testid=key-grid] i.br-rejected"));
    }

    [Fact]
    public void Without_a_redis_server_binary_the_page_explains_and_disables_the_run()
    {
        using var lab = UseRealLab("/nonexistent/redis-server");

        var cut = RenderWithProviders<EvictionLabPage>();

        Assert.Contains("no redis-server binary was found", cut.Find("[data-testid=lab-unavailable]").TextContent, StringComparison.Ordinal);
        Assert.True(cut.Find("button[data-testid=run]").HasAttribute("disabled"));
        Assert.NotEmpty(cut.FindAll("[data-testid=lesson]"));
    }

    [Fact]
    public void A_busy_lab_tells_the_learner_to_wait()
    {
        Services.AddSingleton<IEvictionLab>(new BusyLab());
        var cut = RenderWithProviders<EvictionLabPage>();

        cut.Find("button[data-testid=run]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Another learner is running the lab", cut.Find("[data-testid=error]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.NotEmpty(cut.FindAll("[data-testid=no-result]"));
    }

    [Fact]
    public void Out_of_range_input_is_refused_with_a_plain_message()
    {
        using var lab = UseRealLab();
        var cut = RenderWithProviders<EvictionLabPage>();
        var hot = cut.FindComponents<MudNumericField<int?>>().Single(c => c.Instance.Label == "Hot keys");
        cut.InvokeAsync(() => hot.Instance.ValueChanged.InvokeAsync(5000));

        cut.Find("button[data-testid=run]").Click();

        cut.WaitForAssertion(() => Assert.Contains("The number of hot keys must be a whole number between 0 and 300 (half of the 600 keys)", cut.Find("[data-testid=error]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.False(lab.Status.Started);
    }

    /// <summary>A lab whose sandbox is always held by someone else.</summary>
    private sealed class BusyLab : IEvictionLab
    {
        public EvictionLabStatus Status { get; } = new(true, null, true, "127.0.0.1:1", 2 * 1024 * 1024, true);

        public Task<Traced<EvictionRunResult>> RunAsync(EvictionWorkload workload, CancellationToken cancellationToken = default) =>
            Task.FromException<Traced<EvictionRunResult>>(new EvictionLabBusyException());
    }
}
