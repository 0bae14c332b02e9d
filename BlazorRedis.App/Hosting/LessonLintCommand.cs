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

    /// <summary>
    /// Lints <paramref name="folder"/>; returns the process exit code. The app serves a teacher's folder on top of the
    /// built-in course, so links and prerequisites may name the lessons of <paramref name="builtInFolder"/> (by default
    /// the <c>Lessons</c> folder beside the app, the default of <c>Lessons:BuiltInDirectory</c>).
    /// </summary>
    public static int Run(string folder, TextWriter output, string? builtInFolder = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!Directory.Exists(folder))
        {
            output.WriteLine($"{folder}: error: no such folder");
            return 2;
        }

        var files = Directory.EnumerateFiles(folder, "*.md", SearchOption.TopDirectoryOnly).Count();
        var builtIn = Path.GetFullPath(builtInFolder ?? new LessonOptions().BuiltInDirectory, AppContext.BaseDirectory);
        var builtInIds = LessonFiles.ReadDirectory(builtIn).Where(f => f.Lesson is not null).Select(f => f.Lesson!.Info.Id).ToList();
        var report = LessonLinter.LintDirectory(folder, IsAppPage, builtInIds);
        foreach (var line in report)
        {
            output.WriteLine(line);
        }

        var errors = report.Count(d => d.IsError);
        output.WriteLine($"{files} lesson file(s), {errors} error(s), {report.Count - errors} warning(s)");
        return errors > 0 ? 1 : 0;
    }
}
