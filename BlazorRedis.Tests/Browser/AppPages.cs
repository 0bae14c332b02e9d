using System.Reflection;
using BlazorRedis.Core.Lessons;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BlazorRedis.Tests.Browser;

/// <summary>
/// Every page a learner can reach, found from the app itself so the list cannot go stale: each parameterless
/// <c>@page</c> route of the App assembly, plus every link the navigation drawer renders (a page routed with a
/// parameter, such as a demo, is reachable only through its link).
/// </summary>
internal static class AppPages
{
    /// <summary>Pages routed with a parameter that no menu links to: one lesson with every kind of block.</summary>
    public static IReadOnlyList<string> ParameterizedExamples { get; } = ["/course/cache-aside"];

    /// <summary>The parameterless <c>@page</c> routes of the App assembly.</summary>
    public static IReadOnlyList<string> RoutedPaths() => typeof(Program).Assembly.GetTypes()
        .SelectMany(t => t.GetCustomAttributes<RouteAttribute>(inherit: false))
        .Select(r => r.Template)
        .Where(t => !t.Contains('{', StringComparison.Ordinal))
        .Distinct(StringComparer.OrdinalIgnoreCase)
        .ToList();

    /// <summary>Every lesson the app's course holds, as <c>/course/{id}</c>: the built-in ones are routed with a parameter, so no menu lists them all.</summary>
    public static IReadOnlyList<string> LessonPaths(Infrastructure.BlazorRedisAppFactory app)
    {
        var paths = app.Services.GetRequiredService<LessonCatalog>().Lessons.Select(l => "/course/" + l.Info.Id).ToList();
        Assert.NotEmpty(paths);
        return paths;
    }

    /// <summary>The routed paths and every link of the navigation drawer, as rendered on <paramref name="page"/>.</summary>
    public static async Task<IReadOnlyList<string>> AllAsync(IPage page)
    {
        var navLinks = await page.Locator("[data-testid=nav] a[href]").EvaluateAllAsync<string[]>(
            "links => links.map(a => new URL(a.href).pathname)");
        Assert.NotEmpty(navLinks);
        return RoutedPaths().Concat(navLinks).Concat(ParameterizedExamples)
            .Select(p => p.Length > 1 ? p.TrimEnd('/') : p)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Opens <paramref name="path"/> on an existing page and waits until its circuit is live.</summary>
    public static async Task GoAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.Locator("[data-interactive='true']").WaitForAsync();
    }
}
