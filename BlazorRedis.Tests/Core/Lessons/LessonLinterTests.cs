using BlazorRedis.Core.Lessons;

namespace BlazorRedis.Tests.Core.Lessons;

public class LessonLinterTests
{
    private static string Lesson(string id, int order, string body, string prerequisites = "") => $"""
        ---
        id: {id}
        title: {id}
        area: Caching
        order: {order}
        minutes: 5
        prerequisites: {prerequisites}
        ---
        {body}
        """;

    private const string Complete = """
        ```redis
        SET k v
        ```

        ```check
        EXISTS k == 1
        ```

        ```quiz
        question: One?
        - [x] a -- yes
        - [ ] b -- no
        ```

        ```quiz
        question: Two?
        - [x] a -- yes
        - [ ] b -- no
        ```

        ```quiz
        question: Three?
        - [x] a -- yes
        - [ ] b -- no
        ```
        """;

    [Fact]
    public void A_complete_course_has_nothing_to_report()
    {
        var files = new[] { LessonParser.Parse(Lesson("one", 1, Complete + "\n[next](/course/two)"), "01-one.md"), LessonParser.Parse(Lesson("two", 2, Complete, "one"), "02-two.md") };

        Assert.Empty(LessonLinter.Lint(files, path => path == "/caching/cache-aside"));
    }

    [Fact]
    public void Course_problems_are_named_with_file_and_line()
    {
        var files = new[]
        {
            LessonParser.Parse(Lesson("one", 1, Complete + "\n\nSee [gone](/course/nowhere) and [page](/no-such-page).", "missing"), "01-one.md"),
            LessonParser.Parse(Lesson("one", 2, Complete), "02-dup.md"),
            LessonParser.Parse(Lesson("three", 2, "Just words."), "03-thin.md"),
        };

        var report = LessonLinter.Lint(files, path => path == "/caching/cache-aside").Select(d => d.ToString()).ToList();

        Assert.Contains("01-one.md:0: warning: The prerequisite 'missing' is not a lesson of this course.", report);
        Assert.Contains("01-one.md:35: error: Broken link: there is no lesson 'nowhere'.", report);
        Assert.Contains("01-one.md:35: error: Broken link: the app has no page /no-such-page.", report);
        Assert.Contains("02-dup.md:2: error: Another lesson already has the id 'one'.", report);
        Assert.Contains("03-thin.md:0: warning: The lesson has no ```redis block for the learner to run.", report);
        Assert.Contains("03-thin.md:0: warning: The lesson has no ```check block, so nothing of the learner's work is graded.", report);
        Assert.Contains("03-thin.md:0: warning: The lesson has 0 quiz question(s); a lesson has at least 3.", report);
        Assert.Contains(report, r => r.StartsWith("03-thin.md:0: warning: Lessons one, three share order 2", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("XADD orders 1-1 type created\nXGROUP CREATE orders billing 0", "XADD orders", "XGROUP CREATE orders")]
    [InlineData("XADD orders MAXLEN ~ 100 5-0 type created", "XADD orders", null)]
    [InlineData("XADD orders NOMKSTREAM MINID = 3-0 LIMIT 10 4-0 type created", "XADD orders", null)]
    [InlineData("xgroup create jobs workers $ MKSTREAM", "XGROUP CREATE jobs", null)]
    public void A_block_that_redis_refuses_when_run_again_is_warned_about(string block, string first, string? second)
    {
        var files = new[] { LessonParser.Parse(Lesson("one", 1, Complete + $"\n\n```redis\n{block}\n```"), "01-one.md") };

        var report = LessonLinter.Lint(files).Select(d => d.ToString()).ToList();

        Assert.Contains($"01-one.md:35: warning: Run a second time, this block's {first} is refused (an explicit stream id must grow; a group exists once): start the block with DEL {first.Split(' ')[^1]}.", report);
        Assert.Equal(second is null ? 1 : 2, report.Count);
    }

    [Theory]
    [InlineData("DEL orders\nXADD orders 1-1 type created\nXGROUP CREATE orders billing 0")]
    [InlineData("UNLINK other orders\nXADD orders 1-1 a b")]
    [InlineData("XADD orders * type created\nXADD orders MAXLEN ~ 100 * type created")]
    public void A_block_that_starts_clean_or_lets_redis_pick_ids_is_not(string block)
    {
        var files = new[] { LessonParser.Parse(Lesson("one", 1, Complete + $"\n\n```redis\n{block}\n```"), "01-one.md") };

        Assert.Empty(LessonLinter.Lint(files));
    }

    [Fact]
    public void A_folder_is_linted_file_by_file_and_an_oversized_file_is_refused_unread()
    {
        var dir = Directory.CreateTempSubdirectory("lessons-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "01-one.md"), Lesson("one", 1, Complete));
            File.WriteAllText(Path.Combine(dir, "02-bad.md"), Lesson("bad", 2, "```quiz\nquestion: Q?\n- [ ] a -- no\n- [ ] b -- no\n```"));
            using (var big = File.Create(Path.Combine(dir, "03-huge.md")))
            {
                big.SetLength(10 * 1024 * 1024);
            }

            File.WriteAllText(Path.Combine(dir, "notes.txt"), "not a lesson");

            var report = LessonLinter.LintDirectory(dir).Select(d => d.ToString()).ToList();

            Assert.Contains("02-bad.md:10: error: The quiz has no right answer: mark at least one option [x].", report);
            Assert.Contains("03-huge.md:0: error: The file is 10240 KB; a lesson is at most 256 KB.", report);
            Assert.DoesNotContain(report, r => r.StartsWith("01-one.md", StringComparison.Ordinal) || r.Contains("notes.txt", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
