using System.Reflection;
using BlazorRedis.App.Components.Pages.DataStructures;
using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Tests.App.Components.DataStructures;

/// <summary>How demos are registered and routed: one line per demo in Core, one <c>@page</c> per demo in the App.</summary>
public class DemoRegistrationTests : MudTestContext
{
    private static readonly Type[] AppTypes = typeof(Program).Assembly.GetTypes();

    private IReadOnlyList<DemoDescriptor> Demos => Services.GetRequiredService<DemoCatalog>().All;

    [Fact]
    public void Demo_catalog_keeps_the_lecture_order()
    {
        string[] lecture = ["strings", "lists", "hashes", "sets", "sorted-sets", "bitmaps", "hyperloglog", "geo", "streams"];

        // The lecture's demos come in the lecture's order; a demo added later may sit anywhere by its Order.
        Assert.Equal(lecture, Demos.Select(d => d.Slug).Where(lecture.Contains));
        Assert.Equal(Demos.Count, Demos.Select(d => d.Slug).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Data_structures_index_has_a_card_per_registered_demo()
    {
        var cut = RenderWithProviders<DataStructuresIndex>();

        Assert.Equal(Demos.Count, cut.FindAll("[data-testid=demo-card]").Count);
        Assert.Equal(Demos.Select(d => d.Href), cut.FindAll("[data-testid=demo-card] a").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public void Every_registered_demo_has_exactly_one_page_routed_at_its_href_on_the_demo_page_base()
    {
        foreach (var demo in Demos)
        {
            var pages = AppTypes.Where(t => t.GetCustomAttributes<RouteAttribute>().Any(r => r.Template == demo.Href)).ToList();

            var page = Assert.Single(pages);
            Assert.True(page.IsSubclassOf(typeof(DemoPageBase)), $"{page.Name} does not derive from {nameof(DemoPageBase)}");
        }
    }

    [Fact]
    public void No_route_joins_a_slug_string_to_a_component()
    {
        var templates = AppTypes.SelectMany(t => t.GetCustomAttributes<RouteAttribute>()).Select(r => r.Template);

        Assert.DoesNotContain(templates, t => t.StartsWith("/data-structures/{", StringComparison.Ordinal));
    }

    [Fact]
    public void No_demo_page_injects_the_key_builder_or_the_janitor()
    {
        var pages = AppTypes.Where(t => t.IsSubclassOf(typeof(DemoPageBase)) || t == typeof(DemoPageBase)).ToList();
        Assert.NotEmpty(pages);

        foreach (var page in pages)
        {
            var injected = page.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .Where(p => p.GetCustomAttribute<InjectAttribute>() is not null)
                .Select(p => p.PropertyType);
            Assert.DoesNotContain(typeof(RedisKeyspace), injected);
            Assert.DoesNotContain(typeof(KeyspaceJanitor), injected);
        }
    }

    [Fact]
    public void Every_demo_page_lives_in_the_namespace_of_its_folder()
    {
        foreach (var page in AppTypes.Where(t => t.IsSubclassOf(typeof(DemoPageBase))))
        {
            Assert.StartsWith(typeof(DemoPageBase).Namespace + ".", page.Namespace, StringComparison.Ordinal);
        }
    }
}
