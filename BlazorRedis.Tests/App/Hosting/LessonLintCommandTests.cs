using BlazorRedis.App.Hosting;

namespace BlazorRedis.Tests.App.Hosting;

public sealed class LessonLintCommandTests
{
    [Fact]
    public void A_teachers_folder_gets_file_line_messages_and_exit_code_one_when_any_error_is_found()
    {
        var dir = Directory.CreateTempSubdirectory("lint-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "01-bad.md"), "---\nid: bad\ntitle: Bad\narea: Caching\norder: 1\nminutes: 5\n---\nSee [the lab](/caching/nowhere).\n\n```check\nSET k v == OK\n```\n");
            var output = new StringWriter();

            var code = LessonLintCommand.Run(dir, output);

            var text = output.ToString();
            Assert.Equal(1, code);
            Assert.Contains("01-bad.md:11: error: 'SET' cannot be used in a check.", text, StringComparison.Ordinal);
            Assert.Contains("1 lesson file(s), 1 error(s)", text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_teachers_lessons_may_link_to_and_build_on_the_built_in_course()
    {
        var dir = Directory.CreateTempSubdirectory("lint-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "01-mine.md"), "---\nid: mine\ntitle: Mine\narea: Caching\norder: 1\nminutes: 5\nprerequisites: strings-and-ttl\n---\nFirst read [strings](/course/strings-and-ttl).\n\n```redis\nSET k v\n```\n\n```check\nEXISTS k == 1\n```\n");
            var output = new StringWriter();

            var code = LessonLintCommand.Run(dir, output);

            var text = output.ToString();
            Assert.Equal(0, code);
            Assert.DoesNotContain("strings-and-ttl", text, StringComparison.Ordinal);
            Assert.Contains("1 lesson file(s), 0 error(s), 1 warning(s)", text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_built_in_course_linted_against_is_the_one_configured_in_Lessons_BuiltInDirectory_and_the_output_names_it()
    {
        var dir = Directory.CreateTempSubdirectory("lint-").FullName;
        var builtIn = Directory.CreateTempSubdirectory("lint-built-in-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(builtIn, "01-basics.md"), "---\nid: our-basics\ntitle: Our basics\narea: Start here\norder: 1\nminutes: 5\n---\nWelcome.\n");
            File.WriteAllText(Path.Combine(dir, "01-mine.md"), "---\nid: mine\ntitle: Mine\narea: Caching\norder: 1\nminutes: 5\nprerequisites: our-basics\n---\nFirst read [ours](/course/our-basics), then [strings](/course/strings-and-ttl).\n\n```redis\nSET k v\n```\n\n```check\nEXISTS k == 1\n```\n");
            var output = new StringWriter();

            // As on the command line: dotnet BlazorRedis.App.dll lint-lessons <dir> --Lessons:BuiltInDirectory=<builtIn>
            var code = LessonLintCommand.Run(dir, ["--Lessons:BuiltInDirectory=" + builtIn], output);

            var text = output.ToString();
            Assert.Equal(1, code);
            Assert.StartsWith($"Linting {dir} against the built-in course in {builtIn} (Lessons:BuiltInDirectory).", text, StringComparison.Ordinal);
            Assert.DoesNotContain("our-basics", text, StringComparison.Ordinal);
            Assert.Contains("01-mine.md:9: error: Broken link: there is no lesson 'strings-and-ttl'.", text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
            Directory.Delete(builtIn, recursive: true);
        }
    }

    [Fact]
    public void The_built_in_course_lints_clean_with_the_apps_real_routes()
    {
        var output = new StringWriter();

        var code = LessonLintCommand.Run(Path.Combine(AppContext.BaseDirectory, "Lessons"), output);

        Assert.Equal(0, code);
        Assert.EndsWith("0 error(s), 0 warning(s)" + Environment.NewLine, output.ToString(), StringComparison.Ordinal);
        Assert.True(LessonLintCommand.IsAppPage("/caching/stampede"));
        Assert.False(LessonLintCommand.IsAppPage("/caching/nowhere"));
        Assert.Equal(2, LessonLintCommand.Run(Path.Combine(AppContext.BaseDirectory, "no-such-folder"), new StringWriter()));
    }
}
