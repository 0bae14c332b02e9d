namespace BlazorRedis.Core.Lessons;

/// <summary>
/// Checks a course: every file's own problems (front matter, unknown blocks, checks that cannot parse, quizzes without a
/// right answer, raw HTML, unsafe links), then what only the whole course can see: duplicate ids, prerequisites and
/// <c>/course/…</c> links to lessons that do not exist, links to pages the app does not have, and lessons that teach
/// without a runnable block, a check or three quiz questions.
/// </summary>
public static class LessonLinter
{
    /// <summary>The quiz questions a lesson should have.</summary>
    public const int QuizzesPerLesson = 3;

    /// <summary>Reads and checks every <c>*.md</c> file of <paramref name="directory"/>.</summary>
    public static IReadOnlyList<LessonDiagnostic> LintDirectory(string directory, Func<string, bool>? isAppPage = null) =>
        Lint(LessonFiles.ReadDirectory(directory), isAppPage);

    /// <summary>Checks parsed files together; <paramref name="isAppPage"/> says whether a root-relative path is a page of the app.</summary>
    public static IReadOnlyList<LessonDiagnostic> Lint(IReadOnlyList<LessonParseResult> files, Func<string, bool>? isAppPage = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var diagnostics = files.SelectMany(f => f.Problems).ToList();
        var lessons = files.Where(f => f.Lesson is not null).Select(f => f.Lesson!).ToList();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var lesson in lessons)
        {
            if (!ids.Add(lesson.Info.Id))
            {
                diagnostics.Add(new(lesson.Source, 2, $"Another lesson already has the id '{lesson.Info.Id}'."));
            }
        }

        foreach (var group in lessons.GroupBy(l => l.Info.Order).Where(g => g.Count() > 1))
        {
            diagnostics.Add(new(group.Last().Source, 0, $"Lessons {string.Join(", ", group.Select(l => l.Info.Id))} share order {group.Key}.", IsError: false));
        }

        foreach (var lesson in lessons)
        {
            foreach (var prerequisite in lesson.Info.Prerequisites.Where(p => !ids.Contains(p)))
            {
                diagnostics.Add(new(lesson.Source, 0, $"The prerequisite '{prerequisite}' is not a lesson of this course.", IsError: false));
            }

            if (!lesson.Segments.OfType<RedisSegment>().Any())
            {
                diagnostics.Add(new(lesson.Source, 0, "The lesson has no ```redis block for the learner to run.", IsError: false));
            }

            if (!lesson.Checks.Any())
            {
                diagnostics.Add(new(lesson.Source, 0, "The lesson has no ```check block, so nothing of the learner's work is graded.", IsError: false));
            }

            if (lesson.Quizzes.Count() < QuizzesPerLesson)
            {
                diagnostics.Add(new(lesson.Source, 0, $"The lesson has {lesson.Quizzes.Count()} quiz question(s); a lesson has at least {QuizzesPerLesson}.", IsError: false));
            }
        }

        foreach (var file in files.Where(f => f.Lesson is not null))
        {
            foreach (var (url, line) in file.Links)
            {
                var path = url.Split('#', '?')[0];
                if (path.StartsWith("/course/", StringComparison.Ordinal))
                {
                    var target = path["/course/".Length..].TrimEnd('/');
                    if (!ids.Contains(target))
                    {
                        diagnostics.Add(new(file.Lesson!.Source, line, $"Broken link: there is no lesson '{target}'."));
                    }
                }
                else if (path.StartsWith('/') && isAppPage is not null && !isAppPage(path))
                {
                    diagnostics.Add(new(file.Lesson!.Source, line, $"Broken link: the app has no page {path}."));
                }
            }
        }

        return [.. diagnostics.OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line)];
    }
}
