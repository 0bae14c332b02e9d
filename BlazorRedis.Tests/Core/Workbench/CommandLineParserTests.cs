using System.Text;
using BlazorRedis.Core;
using BlazorRedis.Core.Workbench;

namespace BlazorRedis.Tests.Core.Workbench;

/// <summary>The cases follow redis-cli's sdssplitargs (redis/src/sds.c), one line each.</summary>
public class CommandLineParserTests
{
    public static TheoryData<string, string[]> Lines => new()
    {
        { "", [] },
        { "   \t ", [] },
        { "PING", ["PING"] },
        { "set user:1 ada", ["set", "user:1", "ada"] },
        { "  set   a\tb  ", ["set", "a", "b"] },
        { "set k \"hello world\"", ["set", "k", "hello world"] },
        { "set k 'hello world'", ["set", "k", "hello world"] },
        { "set k \"\"", ["set", "k", ""] },
        { "set k ''", ["set", "k", ""] },
        { "set k \"a\\nb\\r\\t\\b\\a\"", ["set", "k", "a\nb\r\t\b\a"] },
        { "set k \"say \\\"hi\\\"\"", ["set", "k", "say \"hi\""] },
        { "set k \"back\\\\slash\"", ["set", "k", "back\\slash"] },
        { "set k \"\\q\"", ["set", "k", "q"] },
        { "set k \"\\x41\\x42\"", ["set", "k", "AB"] },
        { "set k \"\\x4a\\x4A\"", ["set", "k", "JJ"] },
        { "set k \"\\xZZ\"", ["set", "k", "xZZ"] },
        { "set k \"\\x4\"", ["set", "k", "x4"] },
        { "set k 'it\\'s'", ["set", "k", "it's"] },
        { "set k 'a\\nb'", ["set", "k", "a\\nb"] },
        { "set k 'say \"hi\"'", ["set", "k", "say \"hi\""] },
        { "set k \"it's\"", ["set", "k", "it's"] },
        { "set a\"b c\"", ["set", "ab c"] },
        { "set a'b c'", ["set", "ab c"] },
        { "set k \"\\x00\"", ["set", "k", "\0"] },
        { "set k \"a\\r\\nb\"", ["set", "k", "a\r\nb"] },
        { "set {user}:* ?\\[x]", ["set", "{user}:*", "?\\[x]"] },
        { "set k café", ["set", "k", "café"] },
        { "set k \"日本 語\"", ["set", "k", "日本 語"] },
        { "set k 😀", ["set", "k", "😀"] },
        { "set k \"\\😀\"", ["set", "k", "😀"] },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void A_line_splits_as_redis_cli_splits_it(string line, string[] expected)
    {
        var args = CommandLineParser.Parse(line);

        Assert.Equal(expected, args.Select(a => Encoding.UTF8.GetString(a)));
    }

    [Fact]
    public void A_hex_escape_writes_any_byte_even_one_that_is_not_utf8()
    {
        var args = CommandLineParser.Parse("set k \"\\xff\\x00\\x80\"");

        Assert.Equal(new byte[] { 0xff, 0x00, 0x80 }, args[2]);
    }

    public static TheoryData<string, string> BadLines => new()
    {
        { "set k \"hello", "Invalid argument(s): a double quote is not closed." },
        { "set k 'hello", "Invalid argument(s): a single quote is not closed." },
        { "set k \"a\"b", "Invalid argument(s): a closing double quote must be followed by a space." },
        { "set k 'a'b", "Invalid argument(s): a closing single quote must be followed by a space." },
        { "set k \"ends with backslash\\", "Invalid argument(s): a double quote is not closed." },
        { "set k \"", "Invalid argument(s): a double quote is not closed." },
        { "set k a\0b", "Invalid argument(s): a control character (0x00) at position 8." },
        { "set k a\r\nb", "Invalid argument(s): a control character (0x0D) at position 8." },
        { "set k a\nb", "Invalid argument(s): a control character (0x0A) at position 8." },
        { "set k \u001b[31m", "Invalid argument(s): a control character (0x1B) at position 7." },
        { "set k \"\u007f\"", "Invalid argument(s): a control character (0x7F) at position 8." },
    };

    [Theory]
    [MemberData(nameof(BadLines))]
    public void A_bad_line_is_refused_with_a_redis_cli_style_message(string line, string message)
    {
        var error = Assert.Throws<LearnerInputException>(() => CommandLineParser.Parse(line));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0xD800, "")]
    [InlineData(0xDC00, "x")]
    [InlineData(0xDBFF, "\"")]
    public void A_line_with_a_lone_surrogate_is_not_valid_text(int surrogate, string after)
    {
        // Built here: xunit would mangle a lone surrogate in theory data. A browser can send one; UTF-8 has no form for it.
        var line = "set k \"" + (char)surrogate + after;

        var error = Assert.Throws<LearnerInputException>(() => CommandLineParser.Parse(line));

        Assert.Equal("Invalid argument(s): the line is not valid text (a broken character at position 8).", error.Message);
    }

    [Fact]
    public void A_one_megabyte_line_is_refused_before_it_is_split()
    {
        var line = "set k " + new string('a', 1024 * 1024);

        var error = Assert.Throws<LearnerInputException>(() => CommandLineParser.Parse(line));

        Assert.StartsWith("ERR line too long: 1,048,582 characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_of_the_longest_length_is_accepted()
    {
        var line = "set k " + new string('a', CommandLineParser.MaxLineLength - 6);

        Assert.Equal(CommandLineParser.MaxLineLength - 6, CommandLineParser.Parse(line)[2].Length);
    }

    [Fact]
    public void Ten_thousand_arguments_are_refused()
    {
        var line = "rpush k" + string.Concat(Enumerable.Repeat(" x", 10_000));

        var error = Assert.Throws<LearnerInputException>(() => CommandLineParser.Parse(line));

        Assert.Equal("ERR too many arguments: the workbench takes at most 1,024 on one line.", error.Message);
    }

    [Fact]
    public void The_most_arguments_allowed_are_accepted()
    {
        var line = "rpush k" + string.Concat(Enumerable.Repeat(" x", CommandLineParser.MaxArguments - 2));

        Assert.Equal(CommandLineParser.MaxArguments, CommandLineParser.Parse(line).Count);
    }
}
