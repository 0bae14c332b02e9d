using BlazorRedis.Core.Lessons;

namespace BlazorRedis.Tests.Core.Lessons;

public class LessonParserTests
{
    private const string FrontMatter = """
        ---
        id: strings-and-ttl
        title: Strings and TTL
        area: Data structures
        order: 2
        minutes: 10
        prerequisites: what-is-redis, another
        ---
        """;

    private static string Lesson(string body) => FrontMatter + "\n" + body;

    private static LessonParseResult Parse(string text) => LessonParser.Parse(text, "02-strings.md");

    // A wide table widened the whole page on a phone, and a code block scrolled sideways but could not be focused.
    [Fact]
    public void Code_blocks_and_tables_scroll_in_a_named_box_the_keyboard_can_reach_and_written_tags_stay_text()
    {
        var html = string.Concat(Parse(Lesson("""
            | Setting | Meaning |
            |---|---|
            | `maxmemory-policy` | what goes when memory is full |

            ```bash
            docker run --rm -p 6379:6379 redis:8 redis-server --save "" --appendonly no
            ```

                indented code

            Text that says `<table>` and `<pre>` stays text.
            """)).Lesson!.Segments.OfType<MarkdownSegment>().Select(m => m.Html));

        Assert.Contains("""<div class="br-scroll-box" tabindex="0" role="group" aria-label="Table 1: Setting, Meaning"><table>""", html, StringComparison.Ordinal);
        Assert.Contains("</table></div>", html, StringComparison.Ordinal);
        Assert.Contains("""<pre tabindex="0" role="group" aria-label="Code example 1: bash"><code class="language-bash">""", html, StringComparison.Ordinal);
        Assert.Contains("""<pre tabindex="0" role="group" aria-label="Code example 2"><code>""", html, StringComparison.Ordinal);
        Assert.Contains("<code>&lt;table&gt;</code> and <code>&lt;pre&gt;</code>", html, StringComparison.Ordinal);
    }

    // Every box was a region named "Code example" or "Table": several landmarks of one name on a page (axe's
    // landmark-unique). Each is now a group (no landmark) with a name of its own, numbered through the whole lesson even
    // where a redis block splits its text in two segments.
    [Fact]
    public void Every_code_block_and_table_of_a_lesson_has_a_name_of_its_own_and_is_no_landmark()
    {
        var html = string.Concat(Parse(Lesson("""
            | Command | Cost |
            |---|---|
            | GET | O(1) |

            ```bash
            redis-cli PING
            ```

            ```redis
            SET a 1
            ```

            | Command | Cost |
            |---|---|
            | KEYS | O(N) |

            ```bash
            redis-cli GET a
            ```
            """)).Lesson!.Segments.OfType<MarkdownSegment>().Select(m => m.Html));

        var names = System.Text.RegularExpressions.Regex.Matches(html, "aria-label=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["Table 1: Command, Cost", "Code example 1: bash", "Table 2: Command, Cost", "Code example 2: bash"], names);
        Assert.DoesNotContain("role=\"region\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lesson_becomes_its_front_matter_and_its_segments_in_reading_order()
    {
        var result = Parse(Lesson("""
            ## Set a value

            A *string* holds text. [Try it](/data-structures/strings) or see [the next lesson](/course/lists).

            ```redis
            # a comment is not a command
            SET greeting "hello world"
            EXPIRE greeting 60
            ```

            ```check
            TTL greeting in 1..60
            ```

            ```csharp
            await db.StringSetAsync("greeting", "hello");
            ```

            ```quiz
            question: What does TTL answer for a key with no expiry?
            - [x] -1 -- Right.
            - [ ] -2 -- That is a missing key.
            ```

            ```demo
            cache-aside-race
            ```

            ```diagram
            cache-aside
            ```
            """));

        var lesson = Assert.IsType<Lesson>(result.Lesson);
        Assert.Empty(result.Problems);
        Assert.Equal(("strings-and-ttl", "Strings and TTL", "Data structures", 2, 10), (lesson.Info.Id, lesson.Info.Title, lesson.Info.Area, lesson.Info.Order, lesson.Info.Minutes));
        Assert.Equal(["what-is-redis", "another"], lesson.Info.Prerequisites);
        Assert.Collection(
            lesson.Segments,
            s => Assert.Contains("<em>string</em>", Assert.IsType<MarkdownSegment>(s).Html, StringComparison.Ordinal),
            s => Assert.Equal(["SET greeting \"hello world\"", "EXPIRE greeting 60"], Assert.IsType<RedisSegment>(s).Commands),
            s => Assert.Equal(20, Assert.Single(Assert.IsType<CheckSegment>(s).Checks).Line),
            s => Assert.Contains("language-csharp", Assert.IsType<MarkdownSegment>(s).Html, StringComparison.Ordinal),
            s => Assert.Equal(2, Assert.IsType<QuizSegment>(s).Quiz.Options.Count),
            s => Assert.Equal("cache-aside-race", Assert.IsType<DemoSegment>(s).Demo),
            s => Assert.Equal("cache-aside", Assert.IsType<DiagramSegment>(s).Diagram));
        Assert.Equal(9, lesson.Segments[0].Line);
        Assert.Equal([("/data-structures/strings", 11), ("/course/lists", 11)], result.Links);
    }

    [Theory]
    [InlineData("no front matter\n", 1, "starts with front matter")]
    [InlineData("---\nid: x\n", 3, "no closing '---'")]
    [InlineData("---\nid: x\ntitle: T\narea: Caching\norder: 1\n---\n", 6, "needs 'minutes'")]
    [InlineData("---\nid: Bad_Id\ntitle: T\narea: Caching\norder: 1\nminutes: 5\n---\n", 2, "lowercase letters")]
    [InlineData("---\nid: x\ntitle: T\narea: Cooking\norder: 1\nminutes: 5\n---\n", 4, "Unknown area 'Cooking'")]
    [InlineData("---\nid: x\ntitle: T\narea: Caching\norder: first\nminutes: 5\n---\n", 5, "'order' is a whole number")]
    [InlineData("---\nid: x\ntitle: T\narea: Caching\norder: 1\nminutes: 500\n---\n", 6, "'minutes' is a whole number from 1 to 120")]
    [InlineData("---\nid: x\nauthor: me\n---\n", 3, "Unknown front matter key 'author'")]
    [InlineData("---\nid: x\nid: y\n---\n", 3, "given twice")]
    [InlineData("---\njust words\n---\n", 2, "'key: value'")]
    public void Bad_front_matter_makes_the_lesson_unavailable_with_file_line_and_reason(string text, int line, string expected)
    {
        var result = Parse(text);

        Assert.Null(result.Lesson);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(line, problem.Line);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
        Assert.StartsWith($"02-strings.md:{line}: error:", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("```sql-injection\nx\n```\n", 9, "Unknown block '```sql-injection'")]
    [InlineData("```check\nSET k v == OK\n```\n", 10, "cannot be used in a check")]
    [InlineData("```check\n\n```\n", 9, "has no checks")]
    [InlineData("```quiz\nquestion: Q?\n- [ ] a -- no\n- [ ] b -- no\n```\n", 10, "no right answer")]
    [InlineData("```demo\nrm -rf\n```\n", 9, "one demo name")]
    [InlineData("```diagram\ncache-aside\nstampede\n```\n", 9, "one diagram name")]
    [InlineData("```redis\nSET \"open\n```\n", 10, "cannot be read")]
    [InlineData("<script>alert(1)</script>\n", 9, "Raw HTML")]
    [InlineData("Text with <b onclick=\"x()\">inline</b> HTML.\n", 9, "Raw HTML")]
    [InlineData("[click](javascript:alert(1))\n", 9, "not 'javascript:alert(1)'")]
    [InlineData("[img](data:text/html;base64,AAAA)\n", 9, "Links go to")]
    [InlineData("[other site](//evil.example/x)\n", 9, "Links go to")]
    [InlineData("Click <javascript:alert(document.cookie)> now.\n", 9, "not 'javascript:alert(document.cookie)'")]
    [InlineData("Text.\n\nOr <data:text/html,hello>.\n", 11, "not 'data:text/html,hello'")]
    [InlineData("<VBScript:msgbox(1)>\n", 9, "not 'VBScript:msgbox(1)'")]
    [InlineData("See [the docs][d].\n\n[d]: javascript:alert(1)\n", 11, "not 'javascript:alert(1)'")]
    [InlineData("![logo][i]\n\n[i]: data:image/svg+xml,x\n", 11, "Links go to")]
    public void A_malformed_block_or_raw_html_is_named_with_its_line_and_the_lesson_is_unavailable(string body, int line, string expected)
    {
        var result = Parse(Lesson(body));

        Assert.Null(result.Lesson);
        var problem = Assert.Single(result.Problems, p => p.Message.Contains(expected, StringComparison.Ordinal));
        Assert.Equal(line, problem.Line);
    }

    [Fact]
    public void Safe_autolinks_and_reference_links_are_kept_as_links_with_their_lines()
    {
        var result = Parse(Lesson("See <https://redis.io/docs>, write to <teacher@example.com>.\n\nAnd [the lists lesson][l].\n\n[l]: /course/lists\n"));

        Assert.NotNull(result.Lesson);
        Assert.Empty(result.Problems);
        Assert.Equal([("https://redis.io/docs", 9), ("mailto:teacher@example.com", 9), ("/course/lists", 11)], result.Links.OrderBy(l => l.Line).ThenBy(l => l.Url, StringComparer.Ordinal));
    }

    [Fact]
    public void A_file_larger_than_a_lesson_is_refused_before_it_is_parsed()
    {
        var result = Parse(Lesson(new string('a', 10 * 1024 * 1024)));

        Assert.Null(result.Lesson);
        Assert.Contains("larger than 256 KB", Assert.Single(result.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_that_looks_like_markup_inside_code_is_escaped_not_rendered()
    {
        var result = Parse(Lesson("Use `<script>` carefully, and compare `a < b`.\n\n```html\n<b>x</b>\n```\n"));

        Assert.Contains("Unknown block", Assert.Single(result.Problems).Message, StringComparison.Ordinal);
        var fine = Parse(Lesson("Use `<script>` carefully, and compare a < b.\n"));
        var html = Assert.IsType<MarkdownSegment>(Assert.Single(fine.Lesson!.Segments)).Html;
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }
}
