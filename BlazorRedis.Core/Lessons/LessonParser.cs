using System.Globalization;
using System.Text.RegularExpressions;
using BlazorRedis.Core.Workbench;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace BlazorRedis.Core.Lessons;

/// <summary>
/// Reads a lesson file: front matter, then Markdown (Markdig) whose fenced <c>redis</c>, <c>check</c>, <c>quiz</c>,
/// <c>demo</c> and <c>diagram</c> blocks become segments. Raw HTML, unknown blocks and unsafe links are errors, never
/// rendered: a lesson with an error is unavailable, with the reason.
/// </summary>
public static partial class LessonParser
{
    /// <summary>The largest lesson file read.</summary>
    public const int MaxBytes = 256 * 1024;

    private static readonly string[] Keys = ["id", "title", "area", "order", "minutes", "prerequisites"];

    // HTML is enabled while parsing so that raw HTML can be found and refused; the renderer escapes it in any case.
    private static readonly MarkdownPipeline ParsePipeline = new MarkdownPipelineBuilder().UsePipeTables().UseEmphasisExtras().Build();

    private static readonly MarkdownPipeline RenderPipeline = new MarkdownPipelineBuilder().UsePipeTables().UseEmphasisExtras().DisableHtml().Build();

    /// <summary>Parses <paramref name="text"/>, the content of the file <paramref name="file"/>.</summary>
    public static LessonParseResult Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(file);
        var problems = new List<LessonDiagnostic>();
        var links = new List<(string, int)>();
        if (System.Text.Encoding.UTF8.GetByteCount(text) > MaxBytes)
        {
            problems.Add(new(file, 0, $"The file is larger than {MaxBytes / 1024} KB; split the lesson."));
            return new LessonParseResult(null, problems, links);
        }

        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        LessonInfo? info;
        int bodyStart;
        try
        {
            (info, bodyStart) = ReadFrontMatter(lines);
        }
        catch (LessonFormatException ex)
        {
            problems.Add(new(file, ex.Line, ex.Message));
            return new LessonParseResult(null, problems, links);
        }

        var body = string.Join('\n', lines.Skip(bodyStart));
        var segments = ReadBody(body, bodyStart, file, problems, links);
        var lesson = problems.Any(p => p.IsError) ? null : new Lesson(info, segments, file);
        return new LessonParseResult(lesson, problems, links);
    }

    private static (LessonInfo Info, int BodyStart) ReadFrontMatter(string[] lines)
    {
        if (lines.Length == 0 || lines[0].Trim() != "---")
        {
            throw new LessonFormatException("A lesson starts with front matter: a line '---', then id, title, area, order, minutes and prerequisites, then '---'.", 1);
        }

        var values = new Dictionary<string, (string Value, int Line)>(StringComparer.Ordinal);
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line == "---")
            {
                return (ToInfo(values, i + 1), i + 1);
            }

            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new LessonFormatException($"Front matter lines are 'key: value'; this one is not: {Shorten(line)}", i + 1);
            }

            var key = line[..colon].Trim();
            if (!Keys.Contains(key))
            {
                throw new LessonFormatException($"Unknown front matter key '{Shorten(key)}'. The keys are: {string.Join(", ", Keys)}.", i + 1);
            }

            if (!values.TryAdd(key, (line[(colon + 1)..].Trim(), i + 1)))
            {
                throw new LessonFormatException($"'{key}' is given twice.", i + 1);
            }
        }

        throw new LessonFormatException("The front matter has no closing '---' line.", lines.Length);
    }

    private static LessonInfo ToInfo(Dictionary<string, (string Value, int Line)> values, int closingLine)
    {
        string Required(string key)
        {
            if (!values.TryGetValue(key, out var v) || v.Value.Length == 0)
            {
                throw new LessonFormatException($"The front matter needs '{key}'.", closingLine);
            }

            return key == "title" ? v.Value : StripComment(v.Value);
        }

        int Number(string key, int min, int max)
        {
            var raw = Required(key);
            if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            {
                throw new LessonFormatException($"'{key}' is a whole number from {min} to {max}, not '{Shorten(raw)}'.", values[key].Line);
            }

            return n;
        }

        var id = Required("id");
        if (id.Length > 60 || !IdPattern().IsMatch(id))
        {
            throw new LessonFormatException($"The id '{Shorten(id)}' must be lowercase letters, digits and single hyphens (at most 60 characters).", values["id"].Line);
        }

        var title = Required("title");
        if (title.Length > 120)
        {
            throw new LessonFormatException("The title is at most 120 characters.", values["title"].Line);
        }

        var area = Required("area");
        if (!LessonAreas.All.Contains(area))
        {
            throw new LessonFormatException($"Unknown area '{Shorten(area)}'. The areas are: {string.Join(", ", LessonAreas.All)}.", values["area"].Line);
        }

        var prerequisites = values.TryGetValue("prerequisites", out var p)
            ? StripComment(p.Value).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [];
        foreach (var prerequisite in prerequisites)
        {
            if (!IdPattern().IsMatch(prerequisite))
            {
                throw new LessonFormatException($"'{Shorten(prerequisite)}' is not a lesson id.", values["prerequisites"].Line);
            }
        }

        return new LessonInfo(id, title, area, Number("order", 1, 999), Number("minutes", 1, 120), prerequisites);
    }

    private static List<LessonSegment> ReadBody(string body, int bodyStart, string file, List<LessonDiagnostic> problems, List<(string, int)> links)
    {
        var document = Markdown.Parse(body, ParsePipeline);
        int FileLine(MarkdownObject o) => bodyStart + o.Line + 1;

        foreach (var html in document.Descendants<HtmlBlock>())
        {
            problems.Add(new(file, FileLine(html), "Raw HTML is not allowed in a lesson; write Markdown."));
        }

        foreach (var html in document.Descendants<HtmlInline>().Where(h => h.Tag is not null && !h.Tag.StartsWith("</", StringComparison.Ordinal)))
        {
            problems.Add(new(file, FileLine(html), $"Raw HTML is not allowed in a lesson: {Shorten(html.Tag!)}"));
        }

        // Every place Markdig can take a URL from: [text](url) and images, [text][ref] (checked at its definition, which
        // is also refused when nothing uses it), and autolinks <scheme:…> (an e-mail autolink <a@b> becomes mailto:).
        foreach (var definition in document.Descendants<LinkReferenceDefinition>())
        {
            CheckUrl(definition.Url ?? "", FileLine(definition), isLink: false);
        }

        foreach (var link in document.Descendants<LinkInline>())
        {
            var url = link.Url ?? "";
            if (link.Reference is null)
            {
                CheckUrl(url, FileLine(link), isLink: true);
            }
            else if (IsSafeUrl(url))
            {
                links.Add((url, FileLine(link)));
            }
        }

        foreach (var autolink in document.Descendants<AutolinkInline>())
        {
            CheckUrl(autolink.IsEmail ? "mailto:" + autolink.Url : autolink.Url ?? "", FileLine(autolink), isLink: true);
        }

        void CheckUrl(string url, int line, bool isLink)
        {
            if (!IsSafeUrl(url))
            {
                problems.Add(new(file, line, $"Links go to https://, http://, mailto: or a page of the app (/…), not '{Shorten(url)}'."));
            }
            else if (isLink)
            {
                links.Add((url, line));
            }
        }

        var segments = new List<LessonSegment>();
        var pending = new List<Block>();
        int checks = 0, quizzes = 0;
        var boxes = new ScrollBoxCount();
        void Flush()
        {
            if (pending.Count == 0)
            {
                return;
            }

            var start = pending[0].Span.Start;
            var end = pending[^1].Span.End;
            var html = ScrollBoxes(Markdown.ToHtml(body[start..(end + 1)], RenderPipeline), boxes);
            segments.Add(new MarkdownSegment(FileLine(pending[0]), html));
            pending.Clear();
        }

        foreach (var block in document)
        {
            if (block is not FencedCodeBlock fenced || IsPlainCode(fenced))
            {
                pending.Add(block);
                continue;
            }

            Flush();
            var kind = (fenced.Info ?? "").Trim();
            var fence = FileLine(fenced);
            var content = Enumerable.Range(0, fenced.Lines.Count).Select(i => fenced.Lines.Lines[i].ToString()).ToList();
            try
            {
                segments.Add(kind switch
                {
                    LessonBlocks.Redis => ReadCommands(content, fence),
                    LessonBlocks.Check => new CheckSegment(fence, checks++, ReadChecks(content, fence + 1)),
                    LessonBlocks.Quiz => new QuizSegment(fence, quizzes++, QuizParser.Parse(content, fence + 1)),
                    LessonBlocks.Demo => new DemoSegment(fence, OneOf(content, LessonBlocks.Demos, "demo", fence)),
                    LessonBlocks.Diagram => new DiagramSegment(fence, OneOf(content, LessonBlocks.Diagrams, "diagram", fence)),
                    _ => throw new LessonFormatException(
                        $"Unknown block '```{Shorten(kind)}'. Blocks with meaning: redis, check, quiz, demo, diagram; plain code: {string.Join(", ", LessonBlocks.PlainCode.Where(c => c.Length > 0))}.", fence),
                });
            }
            catch (LessonFormatException ex)
            {
                problems.Add(new(file, ex.Line, ex.Message));
            }
        }

        Flush();
        return segments;
    }

    private static bool IsPlainCode(FencedCodeBlock block) => LessonBlocks.PlainCode.Contains((block.Info ?? "").Trim().ToLowerInvariant());

    private static RedisSegment ReadCommands(List<string> content, int fence)
    {
        var firstLine = fence + 1;
        var commands = new List<string>();
        var lines = new List<int>();
        for (var i = 0; i < content.Count; i++)
        {
            var line = content[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            try
            {
                if (CommandLineParser.Parse(line).Count == 0)
                {
                    continue;
                }
            }
            catch (LearnerInputException ex)
            {
                throw new LessonFormatException($"The command cannot be read ({ex.Message}): {Shorten(line)}", firstLine + i);
            }

            commands.Add(line);
            lines.Add(firstLine + i);
        }

        return commands.Count > 0 ? new RedisSegment(fence, commands, lines) : throw new LessonFormatException("The redis block has no commands.", fence);
    }

    private static List<LessonCheck> ReadChecks(List<string> content, int firstLine)
    {
        var checks = new List<LessonCheck>();
        for (var i = 0; i < content.Count; i++)
        {
            var line = content[i].Trim();
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                checks.Add(CheckParser.Parse(line, firstLine + i));
            }
        }

        return checks.Count > 0 ? checks : throw new LessonFormatException("The check block has no checks.", firstLine - 1);
    }

    private static string OneOf(List<string> content, IReadOnlySet<string> known, string kind, int fence)
    {
        var words = content.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (words.Count != 1 || !known.Contains(words[0]))
        {
            throw new LessonFormatException($"A {kind} block holds one {kind} name, one of: {string.Join(", ", known.Order(StringComparer.Ordinal))}.", fence);
        }

        return words[0];
    }

    private static bool IsSafeUrl(string url) =>
        url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) || url.StartsWith('#')
        || (url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal));

    private static string StripComment(string value)
    {
        var hash = value.IndexOf(" #", StringComparison.Ordinal);
        return (hash >= 0 ? value[..hash] : value).Trim();
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "…";

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex IdPattern();

    /// <summary>
    /// Wide code and tables scroll sideways in a box of their own, so a phone's page stays as wide as its screen; a box
    /// that scrolls must be reachable from the keyboard to be read (axe's scrollable-region-focusable), so every code
    /// block and table is a named group that takes focus. Each box has a name of its own, numbered through the lesson
    /// (<paramref name="count"/> carries on from segment to segment): "Code example 2: bash", "Table 1: Setting, Meaning"
    /// (its first header cells). They were all regions named "Code example" or "Table": landmarks, and several of one
    /// name on a page (axe's landmark-unique); a scroll box is no landmark, so it is a group. Raw HTML is disabled in
    /// <see cref="RenderPipeline"/>, so every <c>&lt;pre&gt;</c> and <c>&lt;table&gt;</c> in the output is one Markdig
    /// wrote, without attributes, and the text in it is already escaped for an attribute.
    /// </summary>
    internal static string ScrollBoxes(string html, ScrollBoxCount count)
    {
        html = CodeBox().Replace(html, m =>
        {
            var language = m.Groups["language"].Value;
            var name = $"Code example {++count.Code}{(language.Length > 0 ? ": " + language : "")}";
            return $"""<pre tabindex="0" role="group" aria-label="{name}">{m.Groups["code"].Value}""";
        });
        return TableBox().Replace(html, m =>
        {
            var headers = HeaderCell().Matches(m.Value).Take(3).Select(h => Tag().Replace(h.Groups["cell"].Value, "").Trim()).Where(h => h.Length > 0).ToList();
            var name = $"Table {++count.Table}{(headers.Count > 0 ? ": " + string.Join(", ", headers) : "")}";
            return $"""<div class="br-scroll-box" tabindex="0" role="group" aria-label="{name}">{m.Value}</div>""";
        });
    }

    /// <summary>How many code blocks and tables of a lesson <see cref="ScrollBoxes"/> has named so far.</summary>
    internal sealed class ScrollBoxCount
    {
        public int Code { get; set; }

        public int Table { get; set; }
    }

    [GeneratedRegex("""<pre>(?<code><code(?: class="language-(?<language>[^"]*)")?>)""")]
    private static partial Regex CodeBox();

    [GeneratedRegex("<table>.*?</table>", RegexOptions.Singleline)]
    private static partial Regex TableBox();

    [GeneratedRegex("<th[^>]*>(?<cell>.*?)</th>", RegexOptions.Singleline)]
    private static partial Regex HeaderCell();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();
}
