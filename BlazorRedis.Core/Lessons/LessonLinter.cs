using BlazorRedis.Core.Workbench;

namespace BlazorRedis.Core.Lessons;

/// <summary>
/// Checks a course: every file's own problems (front matter, unknown blocks, checks that cannot parse, quizzes without a
/// right answer, raw HTML, unsafe links), then what only the whole course can see: duplicate ids, prerequisites and
/// <c>/course/…</c> links to lessons that do not exist, links to pages the app does not have, lessons that teach
/// without a runnable block, a check or three quiz questions, and blocks that fail when the learner runs them again.
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

            foreach (var block in lesson.Segments.OfType<RedisSegment>())
            {
                foreach (var (command, key) in FailsWhenRunAgain(block))
                {
                    diagnostics.Add(new(lesson.Source, block.Line, $"Run a second time, this block's {command} {key} is refused (an explicit stream id must grow; a group exists once): start the block with DEL {key}.", IsError: false));
                }
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

    /// <summary>
    /// The commands of <paramref name="block"/> that Redis refuses when the learner presses Run again: an XADD with an
    /// explicit id, or an XGROUP CREATE, on a stream the block has not deleted before them. One per command and key.
    /// </summary>
    private static IEnumerable<(string Command, string Key)> FailsWhenRunAgain(RedisSegment block)
    {
        var deleted = new HashSet<string>(StringComparer.Ordinal);
        var reported = new HashSet<(string, string)>();
        foreach (var line in block.Commands)
        {
            var args = CommandLineParser.Parse(line).Select(a => System.Text.Encoding.UTF8.GetString(a)).ToList();
            var verb = args[0].ToUpperInvariant();
            if (verb is "DEL" or "UNLINK")
            {
                deleted.UnionWith(args.Skip(1));
            }
            else if (verb == "XADD" && args.Count > 2 && XaddId(args) is { } id && id != "*" && !deleted.Contains(args[1]) && reported.Add((verb, args[1])))
            {
                yield return (verb, args[1]);
            }
            else if (verb == "XGROUP" && args.Count > 3 && args[1].Equals("CREATE", StringComparison.OrdinalIgnoreCase) && !deleted.Contains(args[2]) && reported.Add((verb, args[2])))
            {
                yield return ("XGROUP CREATE", args[2]);
            }
        }
    }

    /// <summary>The id argument of <c>XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] id|* field value …</c>.</summary>
    private static string? XaddId(List<string> args)
    {
        var i = 2;
        if (i < args.Count && args[i].Equals("NOMKSTREAM", StringComparison.OrdinalIgnoreCase))
        {
            i++;
        }

        if (i < args.Count && (args[i].Equals("MAXLEN", StringComparison.OrdinalIgnoreCase) || args[i].Equals("MINID", StringComparison.OrdinalIgnoreCase)))
        {
            i += args.Count > i + 1 && args[i + 1] is "=" or "~" ? 3 : 2;
            if (i < args.Count && args[i].Equals("LIMIT", StringComparison.OrdinalIgnoreCase))
            {
                i += 2;
            }
        }

        return i < args.Count ? args[i] : null;
    }
}
