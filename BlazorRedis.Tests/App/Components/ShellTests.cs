using BlazorRedis.App.Components.Layout;
using BlazorRedis.App.Components.Navigation;
using BlazorRedis.App.Components.Pages;
using BlazorRedis.App.Components.Shared;
using BlazorRedis.Core.DataStructures;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Components;

public class MainLayoutTests : MudTestContext
{
    // Class presence talks to Redis; ClassPresenceTests test it on the real one. Here it is a stub.
    public MainLayoutTests()
    {
        ComponentFactories.AddStub<ClassPresence>();
        ComponentFactories.AddStub<ClassLive>();
        ComponentFactories.AddStub<TeacherBar>();
    }

    [Fact]
    public void Layout_renders_the_interactive_marker_title_status_chip_and_body()
    {
        var cut = RenderWithProviders<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<p id='body'>page</p>"))), popoverProvider: false);

        Assert.Equal("true", cut.Find("[data-interactive]").GetAttribute("data-interactive"));
        Assert.Contains("BlazorRedis", cut.Markup, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("[data-testid=status-chip]"));
        Assert.NotNull(cut.Find("#body"));
    }

    [Fact]
    public void Skip_link_comes_first_and_the_page_sits_in_a_main_landmark()
    {
        var cut = RenderWithProviders<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<p id='body'>page</p>"))), popoverProvider: false);

        var first = cut.FindAll("a[href], button")[0];
        Assert.Equal("skip-link", first.GetAttribute("data-testid"));
        Assert.Equal("#main-content", first.GetAttribute("href"));
        Assert.Equal("Skip to content", first.TextContent);
        Assert.NotNull(cut.Find("main#main-content #body"));
    }

    [Fact]
    public void Theme_toggle_switches_to_dark_and_remembers_it_through_js()
    {
        var setTheme = JSInterop.SetupVoid("blazorRedis.setTheme", true);
        var cut = RenderWithProviders<MainLayout>(popoverProvider: false);
        Assert.Equal("light", cut.Find("[data-theme]").GetAttribute("data-theme"));

        cut.Find("[data-testid=theme-toggle]").Click();

        Assert.Equal("dark", cut.Find("[data-theme]").GetAttribute("data-theme"));
        setTheme.VerifyInvoke("blazorRedis.setTheme");
    }

    [Fact]
    public void Layout_starts_dark_when_the_learner_chose_dark_before()
    {
        SetRendererInfo(RendererMode);
        var cut = Render<MainLayout>(p => p.AddCascadingValue(Learner with { StartsDark = true }));

        Assert.Equal("dark", cut.Find("[data-theme]").GetAttribute("data-theme"));
    }

    [Fact]
    public void Marker_says_false_before_the_circuit_is_interactive()
    {
        RendererMode = new RendererInfo("Static", false);
        var cut = RenderWithProviders<MainLayout>(popoverProvider: false);

        Assert.Equal("false", cut.Find("[data-interactive]").GetAttribute("data-interactive"));
    }
}

public class NavMenuTests : MudTestContext
{
    [Fact]
    public void Nav_lists_every_area_and_every_registered_data_structure_demo()
    {
        var cut = RenderWithProviders<NavMenu>();

        foreach (var area in new[] { "Caching", "Sessions", "Rate limiting", "Pub/Sub", "Data structures", "Live metrics" })
        {
            Assert.Contains(area, cut.Markup, StringComparison.Ordinal);
        }

        var hrefs = cut.FindAll("a").Select(a => a.GetAttribute("href")).ToList();
        foreach (var demo in Services.GetRequiredService<DemoCatalog>().All)
        {
            Assert.Contains($"/data-structures/{demo.Slug}", hrefs);
        }

        Assert.Contains("/caching/stampede", hrefs);
        Assert.Contains("/metrics", hrefs);
    }

    [Fact]
    public void Only_the_group_of_the_page_shown_is_open()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        var cut = RenderWithProviders<NavMenu>();
        Assert.All(cut.FindAll("button[aria-expanded]"), b => Assert.Equal("false", b.GetAttribute("aria-expanded")));

        navigation.NavigateTo("/caching/stampede");

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("true", cut.Find("button[aria-label='Toggle Caching']").GetAttribute("aria-expanded"));
            Assert.Equal("false", cut.Find("button[aria-label='Toggle Data structures']").GetAttribute("aria-expanded"));
        });
    }

    [Fact]
    public void Every_nav_link_points_at_a_routable_page()
    {
        var routes = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes(typeof(RouteAttribute), false).Cast<RouteAttribute>())
            .Select(r => r.Template)
            .ToList();
        var areas = AppAreas.Build(Services.GetRequiredService<DemoCatalog>());

        foreach (var link in areas.SelectMany(a => a.Children.Prepend(a)).Select(a => a.Href))
        {
            Assert.True(routes.Contains(link), $"No page serves {link}");
        }
    }
}

public class RedisStatusChipTests : MudTestContext
{
    [Fact]
    public void Connected_chip_shows_version_mode_and_ping()
    {
        Status.Publish(FakeStatusSource.Connected(pingMs: 0.42));

        var cut = RenderWithProviders<RedisStatusChip>();

        var chip = cut.Find("[data-testid=status-chip]");
        Assert.Equal("true", chip.GetAttribute("data-connected"));
        Assert.Contains("Connected", chip.TextContent, StringComparison.Ordinal);
        Assert.Contains("7.0.15", chip.TextContent, StringComparison.Ordinal);
        Assert.Contains("embedded", chip.TextContent, StringComparison.Ordinal);
        Assert.Equal("0.4 ms", cut.Find("[data-testid=ping]").TextContent);
    }

    [Fact]
    public void On_a_cluster_the_chip_says_how_many_masters_and_on_one_server_it_does_not()
    {
        Status.Publish(FakeStatusSource.Connected());
        var cut = RenderWithProviders<RedisStatusChip>();
        Assert.DoesNotContain("cluster", cut.Find("[data-testid=status-chip]").TextContent, StringComparison.Ordinal);

        Status.Publish(FakeStatusSource.Connected() with { ClusterMasters = 3, AnsweringNode = "127.0.0.1:7000" });

        cut.WaitForAssertion(() => Assert.Contains("cluster: 3 masters", cut.Find("[data-testid=status-chip]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public void Chip_follows_status_changes_live()
    {
        Status.Publish(FakeStatusSource.Connected());
        var cut = RenderWithProviders<RedisStatusChip>();

        Status.Publish(FakeStatusSource.Down());

        cut.WaitForAssertion(() =>
        {
            var chip = cut.Find("[data-testid=status-chip]");
            Assert.Equal("false", chip.GetAttribute("data-connected"));
            Assert.Contains("Redis unavailable", chip.TextContent, StringComparison.Ordinal);
            Assert.Contains("external", chip.TextContent, StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(15));
    }

    [Fact]
    public void Before_the_first_probe_the_chip_says_checking()
    {
        var cut = RenderWithProviders<RedisStatusChip>();

        Assert.Contains("Checking Redis", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Chip_unsubscribes_when_disposed()
    {
        var cut = RenderWithProviders<RedisStatusChip>();
        cut.Instance.Dispose();

        Status.Publish(FakeStatusSource.Down());

        Assert.Contains("Checking Redis", cut.Markup, StringComparison.Ordinal);
    }
}

public class RedisUnavailableBannerTests : MudTestContext
{
    [Fact]
    public void Banner_appears_when_redis_goes_down_and_clears_when_it_returns()
    {
        Status.Publish(FakeStatusSource.Connected());
        var cut = RenderWithProviders<RedisUnavailableBanner>();
        Assert.Empty(cut.FindAll("[data-testid=redis-unavailable]"));

        Status.Publish(FakeStatusSource.Down());
        cut.WaitForAssertion(() => Assert.Contains("Redis unavailable", cut.Find("[data-testid=redis-unavailable]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));

        Status.Publish(FakeStatusSource.Connected());
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=redis-unavailable]")), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public void No_banner_before_the_first_probe()
    {
        var cut = RenderWithProviders<RedisUnavailableBanner>();

        Assert.Empty(cut.FindAll("[data-testid=redis-unavailable]"));
    }
}
