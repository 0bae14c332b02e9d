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

    // The fence is line 35: each warning names its command's own line (the first command is 36), as the refused and
    // unknown commands' diagnostics do.
    [Theory]
    [InlineData("XADD orders 1-1 type created\nXGROUP CREATE orders billing 0", "XADD orders", "XGROUP CREATE orders")]
    [InlineData("XADD orders MAXLEN ~ 100 5-0 type created", "XADD orders", null)]
    [InlineData("XADD orders NOMKSTREAM MINID = 3-0 LIMIT 10 4-0 type created", "XADD orders", null)]
    [InlineData("xgroup create jobs workers $ MKSTREAM", "XGROUP CREATE jobs", null)]
    public void A_block_that_redis_refuses_when_run_again_is_warned_about(string block, string first, string? second)
    {
        var files = new[] { LessonParser.Parse(Lesson("one", 1, Complete + $"\n\n```redis\n{block}\n```"), "01-one.md") };

        var report = LessonLinter.Lint(files).Select(d => d.ToString()).ToList();

        Assert.Contains($"01-one.md:36: warning: {RunAgainWarning(first)}", report);
        if (second is not null)
        {
            Assert.Contains($"01-one.md:37: warning: {RunAgainWarning(second)}", report);
        }

        Assert.Equal(second is null ? 1 : 2, report.Count);
    }

    [Fact]
    public void A_command_refused_when_run_again_after_comments_and_blank_lines_is_named_at_its_own_line()
    {
        // Fence at 35; a comment (36), XADD with an explicit id (37), a blank line (38), a comment (39), then XGROUP
        // CREATE at 40, indented; a second XADD on the same stream (41) is not warned about again.
        var files = new[] { LessonParser.Parse(Lesson("one", 1, Complete + "\n\n```redis\n# an order\nXADD orders 1-1 type created\n\n# then a group\n  XGROUP CREATE orders billing 0\nXADD orders 2-1 type paid\n```"), "01-one.md") };

        var report = LessonLinter.Lint(files).Select(d => d.ToString()).ToList();

        Assert.Equal([$"01-one.md:37: warning: {RunAgainWarning("XADD orders")}", $"01-one.md:40: warning: {RunAgainWarning("XGROUP CREATE orders")}"], report);
    }

    [Fact]
    public void A_check_block_of_nothing_but_key_is_gone_lines_is_an_error_and_one_beside_a_proof_is_not()
    {
        // Fences at 35 and 40. Such a block passed for a learner who had run nothing; now it can never pass.
        var files = new[] { LessonParser.Parse(Lesson("one", 1, Complete + "\n\n```check\nEXISTS a == 0\nTTL b == -2\n```\n\n```check\nTYPE c == hash\nEXISTS a == 0\n```"), "01-one.md") };

        var report = LessonLinter.Lint(files).Select(d => d.ToString()).ToList();

        Assert.Equal(["01-one.md:35: error: This check block can never pass: each line says a key is gone, which counts only beside a line that proves the work was done (a key never made is not one the learner removed). Add such a line, e.g. TYPE k == hash for the key the step keeps."], report);
    }

    private static string RunAgainWarning(string command) =>
        $"Run a second time, this block's {command} is refused (an explicit stream id must grow; a group exists once): start the block with DEL {command.Split(' ')[^1]}.";

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
    public void Links_and_prerequisites_to_lessons_the_app_serves_beside_the_files_are_not_broken()
    {
        // A teacher's folder is served on top of the built-in course, so its lessons may point at built-in ones.
        var files = new[] { LessonParser.Parse(Lesson("mine", 1, Complete + "\n\nFirst read [strings](/course/strings-and-ttl), not [gone](/course/nowhere).", "strings-and-ttl"), "01-mine.md") };

        var report = LessonLinter.Lint(files, courseIds: ["strings-and-ttl", "lists"]).Select(d => d.ToString()).ToList();

        Assert.Equal(["01-mine.md:35: error: Broken link: there is no lesson 'nowhere'."], report);
    }

    [Fact]
    public void Redis_commands_that_always_fail_when_the_learner_presses_run_are_reported()
    {
        var files = new[] { LessonParser.Parse(Lesson("one", 1, Complete + "\n\n```redis\nSET a 1\nFLUSHALL\nconfig set maxmemory 1\nSETT typo x\nEVAL \"return 1\" 0\nRENAME a b\nFLUSHDB\n```"), "01-one.md") };

        var report = LessonLinter.Lint(files).Select(d => d.ToString()).ToList();

        // The fence is line 35: each problem names its command's own line (SET a 1 is 36).
        Assert.Contains("01-one.md:37: error: The workbench refuses FLUSHALL, so Run answers (error) NOPERM: it would delete every learner's keys. FLUSHDB deletes only yours.", report);
        Assert.Contains("01-one.md:38: error: The workbench refuses CONFIG, so Run answers (error) NOPERM: it administers the server, which every learner shares.", report);
        Assert.Contains("01-one.md:40: error: The workbench refuses EVAL, so Run answers (error) NOPERM: scripts reach keys the workbench cannot see, so it does not run them.", report);
        Assert.Contains("01-one.md:39: warning: 'SETT' is not a Redis command the linter knows: Run will likely answer (error) ERR unknown command. Check the spelling.", report);
        Assert.Equal(4, report.Count);
    }

    [Fact]
    public void A_refused_command_after_comments_and_blank_lines_is_named_at_its_own_line()
    {
        // Fence at 35; a comment (36), SET (37), a blank line (38), another comment (39), then CONFIG at 40, indented.
        var files = new[] { LessonParser.Parse(Lesson("one", 1, Complete + "\n\n```redis\n# make a key\nSET a 1\n\n# then the refused one\n   CONFIG GET maxmemory\n```"), "01-one.md") };

        var report = LessonLinter.Lint(files).Select(d => d.ToString()).ToList();

        Assert.Equal(["01-one.md:40: error: The workbench refuses CONFIG, so Run answers (error) NOPERM: it administers the server, which every learner shares."], report);
    }

    [Fact]
    public void Every_bad_line_of_a_check_or_quiz_block_is_reported_not_only_the_first()
    {
        var dir = Directory.CreateTempSubdirectory("lessons-").FullName;
        try
        {
            // Lines 10-14 are the checks, 19-21 the quiz options.
            File.WriteAllText(Path.Combine(dir, "01-one.md"), Lesson("one", 1, "```check\nSET a == 1\nEXISTS a\nGET a >= x\nEXISTS a == 1\nDEL a == 0\n```\n\n```quiz\nquestion: Q?\n- [x] a\n- [ ] b -- no\n- c -- no\n```"));

            var report = LessonLinter.LintDirectory(dir);

            Assert.Equal([10, 11, 12, 14, 19, 21], report.Where(d => d.IsError).Select(d => d.Line));
            Assert.StartsWith("'DEL' cannot be used in a check.", report.Single(d => d.Line == 14).Message, StringComparison.Ordinal);
            Assert.Equal("A quiz option is written '- [x] right answer -- why' or '- [ ] wrong answer -- why'.", report.Single(d => d.Line == 21).Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
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
