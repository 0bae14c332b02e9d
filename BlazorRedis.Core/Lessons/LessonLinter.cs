using BlazorRedis.Core.Tracing;
using BlazorRedis.Core.Workbench;

namespace BlazorRedis.Core.Lessons;

/// <summary>
/// Checks a course: every file's own problems (front matter, unknown blocks, checks that cannot parse, quizzes without a
/// right answer, raw HTML, unsafe links), then what only the whole course can see: duplicate ids, prerequisites and
/// <c>/course/…</c> links to lessons that do not exist, links to pages the app does not have, lessons that teach
/// without a runnable block, a check or three quiz questions, blocks that fail when the learner runs them again, and
/// check blocks of nothing but "the key is gone" lines, which never pass (<see cref="CheckEvaluator"/>).
/// </summary>
public static class LessonLinter
{
    /// <summary>The quiz questions a lesson should have.</summary>
    public const int QuizzesPerLesson = 3;

    /// <summary>The commands the linter knows without a server: those the traces explain and those the workbench routes by name.</summary>
    private static readonly HashSet<string> KnownCommands = new(
        RedisComplexity.All.Keys
            .Concat(WorkbenchPolicy.Generic.Select(c => c.Split('|')[0]))
            .Concat(WorkbenchPolicy.Emulated)
            .Concat(WorkbenchPolicy.TransactionCommands)
            .Concat(WorkbenchPolicy.Blockable),
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Reads and checks every <c>*.md</c> file of <paramref name="directory"/>; see <see cref="Lint"/> for the other parameters.</summary>
    public static IReadOnlyList<LessonDiagnostic> LintDirectory(string directory, Func<string, bool>? isAppPage = null, IReadOnlyCollection<string>? courseIds = null)
    {
        var files = LessonFiles.ReadDirectory(directory);
        var report = Lint(files, isAppPage, courseIds).ToList();

        // The parser stops at the first bad line of a block; read every line of the check and quiz blocks of a file that failed.
        foreach (var name in files.Where(f => f.Lesson is null && f.Problems.Count > 0).Select(f => f.Problems[0].File))
        {
            var path = Path.Combine(directory, name);
            try
            {
                if (new FileInfo(path).Length <= LessonParser.MaxBytes)
                {
                    report.AddRange(EveryBadBlockLine(File.ReadAllLines(path), name).Where(d => !report.Contains(d)).ToList());
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Its problem is already reported: the file cannot be read.
            }
        }

        return [.. report.OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line)];
    }

    /// <summary>
    /// Every bad line of the <c>```check</c> and <c>```quiz</c> blocks of a file's <paramref name="lines"/>, each parsed
    /// on its own, so a teacher sees them all at once rather than one per run.
    /// </summary>
    private static IEnumerable<LessonDiagnostic> EveryBadBlockLine(string[] lines, string file)
    {
        string? fence = null, kind = null;
        var question = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (fence is null)
            {
                var ticks = line.Length - line.TrimStart('`').Length;
                if (ticks >= 3 && lines[i].Length - lines[i].TrimStart(' ').Length <= 3)
                {
                    fence = line[..ticks];
                    kind = line[ticks..].Trim();
                    question = false;
                }

                continue;
            }

            if (line.StartsWith(fence, StringComparison.Ordinal) && line.TrimStart('`').Length == 0)
            {
                fence = null;
                continue;
            }

            if (line.Length == 0 || kind is not (LessonBlocks.Check or LessonBlocks.Quiz) || (kind == LessonBlocks.Check && line.StartsWith('#')))
            {
                continue;
            }

            LessonFormatException? problem = null;
            try
            {
                if (kind == LessonBlocks.Check)
                {
                    CheckParser.Parse(line, i + 1);
                }
                else if (!question)
                {
                    question = true;
                }
                else
                {
                    QuizParser.ParseOption(line, i + 1);
                }
            }
            catch (LessonFormatException ex)
            {
                problem = ex;
            }

            if (problem is not null)
            {
                yield return new LessonDiagnostic(file, problem.Line, problem.Message);
            }
        }
    }

    /// <summary>
    /// Checks parsed files together; <paramref name="isAppPage"/> says whether a root-relative path is a page of the app.
    /// <paramref name="courseIds"/> are the ids of lessons the app serves beside these files (the built-in course, under
    /// which a teacher's folder is served): links and prerequisites may name them.
    /// </summary>
    public static IReadOnlyList<LessonDiagnostic> Lint(IReadOnlyList<LessonParseResult> files, Func<string, bool>? isAppPage = null, IReadOnlyCollection<string>? courseIds = null)
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

        // A lesson of these files with a built-in lesson's id replaces it; both ids are lessons of the course served.
        ids.UnionWith(courseIds ?? []);

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

            foreach (var block in lesson.Checks.Where(b => b.Checks.All(c => c.ExpectsAbsence)))
            {
                diagnostics.Add(new(lesson.Source, block.Line, "This check block can never pass: each line says a key is gone, which counts only beside a line that proves the work was done (a key never made is not one the learner removed). Add such a line, e.g. TYPE k == hash for the key the step keeps."));
            }

            if (lesson.Quizzes.Count() < QuizzesPerLesson)
            {
                diagnostics.Add(new(lesson.Source, 0, $"The lesson has {lesson.Quizzes.Count()} quiz question(s); a lesson has at least {QuizzesPerLesson}.", IsError: false));
            }

            foreach (var block in lesson.Segments.OfType<RedisSegment>())
            {
                diagnostics.AddRange(AlwaysFails(block).Select(p => new LessonDiagnostic(lesson.Source, p.Line, p.Message, p.IsError)));
                foreach (var (line, command, key) in FailsWhenRunAgain(block))
                {
                    diagnostics.Add(new(lesson.Source, line, $"Run a second time, this block's {command} {key} is refused (an explicit stream id must grow; a group exists once): start the block with DEL {key}.", IsError: false));
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
    /// The commands of <paramref name="block"/> that fail every time the learner presses Run: the workbench refuses them
    /// whatever the server (an error), or they are not Redis commands the linter knows (a warning: the linter has no
    /// server to ask, so a newer server's command may be missing from its list). One per command name, at the file line
    /// of its first use.
    /// </summary>
    private static IEnumerable<(int Line, string Message, bool IsError)> AlwaysFails(RedisSegment block)
    {
        var reported = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < block.Commands.Count; i++)
        {
            var verb = System.Text.Encoding.UTF8.GetString(CommandLineParser.Parse(block.Commands[i])[0]);
            if (!reported.Add(verb))
            {
                continue;
            }

            if (WorkbenchPolicy.StaticRefusal(verb) is { } reason)
            {
                yield return (block.CommandLines[i], $"The workbench refuses {verb.ToUpperInvariant()}, so Run answers (error) NOPERM: {reason}.", true);
            }
            else if (!KnownCommands.Contains(verb))
            {
                yield return (block.CommandLines[i], $"'{verb}' is not a Redis command the linter knows: Run will likely answer (error) ERR unknown command. Check the spelling.", false);
            }
        }
    }

    /// <summary>
    /// The commands of <paramref name="block"/> that Redis refuses when the learner presses Run again: an XADD with an
    /// explicit id, or an XGROUP CREATE, on a stream the block has not deleted before them. One per command and key, at
    /// the file line of its first use (as <see cref="AlwaysFails"/> names its commands).
    /// </summary>
    private static IEnumerable<(int Line, string Command, string Key)> FailsWhenRunAgain(RedisSegment block)
    {
        var deleted = new HashSet<string>(StringComparer.Ordinal);
        var reported = new HashSet<(string, string)>();
        for (var i = 0; i < block.Commands.Count; i++)
        {
            var args = CommandLineParser.Parse(block.Commands[i]).Select(a => System.Text.Encoding.UTF8.GetString(a)).ToList();
            var verb = args[0].ToUpperInvariant();
            if (verb is "DEL" or "UNLINK")
            {
                deleted.UnionWith(args.Skip(1));
            }
            else if (verb == "XADD" && args.Count > 2 && XaddId(args) is { } id && id != "*" && !deleted.Contains(args[1]) && reported.Add((verb, args[1])))
            {
                yield return (block.CommandLines[i], verb, args[1]);
            }
            else if (verb == "XGROUP" && args.Count > 3 && args[1].Equals("CREATE", StringComparison.OrdinalIgnoreCase) && !deleted.Contains(args[2]) && reported.Add((verb, args[2])))
            {
                yield return (block.CommandLines[i], "XGROUP CREATE", args[2]);
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
