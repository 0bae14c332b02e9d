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
    /// <c>lint-lessons &lt;folder&gt; [--Key=value …]</c>: lints <paramref name="folder"/> against the built-in course the
    /// app would serve, read from the app's own configuration (appsettings.json, environment variables such as
    /// <c>Lessons__BuiltInDirectory</c>, and <paramref name="args"/>, e.g. <c>--Lessons:BuiltInDirectory=/srv/course</c>).
    /// Returns the process exit code.
    /// </summary>
    public static int Run(string folder, IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        LessonOptions options;
        try
        {
            using var configuration = WebApplication.CreateBuilder([.. args]).Configuration;
            options = configuration.GetSection(LessonOptions.SectionName).Get<LessonOptions>() ?? new LessonOptions();
        }
        catch (FormatException ex)
        {
            output.WriteLine($"error: {ex.Message}");
            return 2;
        }

        if (string.IsNullOrWhiteSpace(options.BuiltInDirectory))
        {
            output.WriteLine("error: Lessons:BuiltInDirectory is empty; the app would not start. Set it to the built-in course's folder, or leave it unset.");
            return 2;
        }

        return Run(folder, output, options.BuiltInPath);
    }

    /// <summary>
    /// Lints <paramref name="folder"/>; returns the process exit code. The app serves a teacher's folder on top of the
    /// built-in course, so links and prerequisites may name the lessons of <paramref name="builtInFolder"/> (by default
    /// the <c>Lessons</c> folder beside the app, the default of <c>Lessons:BuiltInDirectory</c>). The first line of the
    /// output names both folders.
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
        var builtIn = builtInFolder is null ? new LessonOptions().BuiltInPath : Path.GetFullPath(builtInFolder, AppContext.BaseDirectory);
        output.WriteLine($"Linting {Path.GetFullPath(folder)} against the built-in course in {builtIn} (Lessons:BuiltInDirectory)."
            + (Directory.Exists(builtIn) ? "" : " That folder does not exist: there are no built-in lessons to link to."));
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
