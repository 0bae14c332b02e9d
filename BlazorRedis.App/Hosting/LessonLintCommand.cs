using System.Reflection;
using BlazorRedis.Core.Lessons;
using Microsoft.AspNetCore.Components;

namespace BlazorRedis.App.Hosting;

/// <summary>
/// <c>lint-lessons &lt;folder&gt;</c>: checks a folder of lesson files as the course would read them, with the app's
/// real pages for links, and prints <c>file:line: error|warning: message</c>. Exit code 1 when any error was found.
/// </summary>
public static class LessonLintCommand
{
    /// <summary>The routes of the app's pages, from their <c>@page</c> directives.</summary>
    public static IReadOnlySet<string> AppRoutes { get; } = typeof(LessonLintCommand).Assembly.GetTypes()
        .SelectMany(t => t.GetCustomAttributes<RouteAttribute>())
        .Select(r => r.Template)
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>True when <paramref name="path"/> is a page of the app (a fixed route, or /course/… which the linter checks itself).</summary>
    public static bool IsAppPage(string path) => AppRoutes.Contains(path.Length > 1 ? path.TrimEnd('/') : path);

    /// <summary>Lints <paramref name="folder"/>; returns the process exit code.</summary>
    public static int Run(string folder, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!Directory.Exists(folder))
        {
            output.WriteLine($"{folder}: error: no such folder");
            return 2;
        }

        var files = LessonFiles.ReadDirectory(folder);
        var report = LessonLinter.Lint(files, IsAppPage);
        foreach (var line in report)
        {
            output.WriteLine(line);
        }

        var errors = report.Count(d => d.IsError);
        output.WriteLine($"{files.Count} lesson file(s), {errors} error(s), {report.Count - errors} warning(s)");
        return errors > 0 ? 1 : 0;
    }
}
