using BlazorRedis.Core.Lessons;

namespace BlazorRedis.Tests.Core.Lessons;

public class CheckParserTests
{
    [Theory]
    [InlineData("TYPE cart:42 == hash", "TYPE", "cart:42", CheckOperator.Equal, "hash", null)]
    [InlineData("TTL session:abc in 1..60", "TTL", "session:abc", CheckOperator.InRange, "1", "60")]
    [InlineData("ZREVRANK board alice == 0", "ZREVRANK", "board", CheckOperator.Equal, "0", null)]
    [InlineData("PFCOUNT visits >= 3", "PFCOUNT", "visits", CheckOperator.GreaterOrEqual, "3", null)]
    [InlineData("XPENDING sensor readers == 0", "XPENDING", "sensor", CheckOperator.Equal, "0", null)]
    [InlineData("SMEMBERS tags contains redis", "SMEMBERS", "tags", CheckOperator.Contains, "redis", null)]
    [InlineData("object encoding counter == int", "OBJECT ENCODING", "counter", CheckOperator.Equal, "int", null)]
    [InlineData("LAB stampede.lock.loads == 1", "LAB", "stampede.lock.loads", CheckOperator.Equal, "1", null)]
    [InlineData("GET greeting == \"hello world\"", "GET", "greeting", CheckOperator.Equal, "hello world", null)]
    [InlineData("HGET user:1 name != nil", "HGET", "user:1", CheckOperator.NotEqual, "nil", null)]
    [InlineData("GEODIST cities paris london km < 400", "GEODIST", "cities", CheckOperator.Less, "400", null)]
    [InlineData("GEODIST cities paris london <= 400000", "GEODIST", "cities", CheckOperator.LessOrEqual, "400000", null)]
    [InlineData("PTTL k in -1..0.5", "PTTL", "k", CheckOperator.InRange, "-1", "0.5")]
    public void Good_checks_parse_into_command_key_operator_and_expected_value(string line, string command, string key, CheckOperator op, string expected, string? high)
    {
        var check = CheckParser.Parse(line, 7);

        Assert.Equal(command, check.Command);
        Assert.Equal(key, check.Key);
        Assert.Equal(op, check.Operator);
        Assert.Equal(expected, check.Expected);
        Assert.Equal(high, check.ExpectedHigh);
        Assert.Equal(7, check.Line);
        Assert.Null(check.Hint);
    }

    [Fact]
    public void An_argument_that_reads_like_an_operator_is_still_an_argument()
    {
        var check = CheckParser.Parse("SISMEMBER words in == 1", 1);

        Assert.Equal(["words", "in"], check.Arguments);
        Assert.Equal(CheckOperator.Equal, check.Operator);
        Assert.Equal("1", check.Expected);
    }

    [Fact]
    public void A_hint_follows_two_dashes_and_may_hold_any_punctuation()
    {
        var check = CheckParser.Parse("TTL session:abc in 1..60 -- Don't forget: EXPIRE session:abc 60", 3);

        Assert.Equal("Don't forget: EXPIRE session:abc 60", check.Hint);
        Assert.Equal("in 1..60", check.Expectation);
    }

    [Fact]
    public void DBSIZE_takes_no_key()
    {
        var check = CheckParser.Parse("DBSIZE == 3", 1);

        Assert.Null(check.Key);
        Assert.Empty(check.Arguments);
    }

    [Theory]
    [InlineData("SET k v == OK", "cannot be used in a check")]
    [InlineData("FLUSHALL == OK", "cannot be used in a check")]
    [InlineData("EVAL \"return 1\" 0 == 1", "cannot be used in a check")]
    [InlineData("KEYS * contains x", "cannot be used in a check")]
    [InlineData("TYPE == hash", "takes 1 argument(s)")]
    [InlineData("TYPE a b == hash", "takes 1 argument(s)")]
    [InlineData("TYPE cart", "takes 1 argument(s)")]
    [InlineData("TYPE cart ==", "no expected value")]
    [InlineData("TYPE cart == hash set", "one expected value")]
    [InlineData("TTL k in 60..1", "is empty")]
    [InlineData("TTL k in 1-60", "range of two numbers")]
    [InlineData("TTL k in a..b", "range of two numbers")]
    [InlineData("LLEN k > many", "compares numbers")]
    [InlineData("GET \"unbalanced == x", "cannot be read")]
    [InlineData("OBJECT FREQ k == 1", "cannot be used in a check")]
    public void Bad_checks_are_refused_with_a_message_that_says_what_to_write(string line, string expected)
    {
        var ex = Assert.Throws<LessonFormatException>(() => CheckParser.Parse(line, 12));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal(12, ex.Line);
    }

    [Fact]
    public void A_check_line_longer_than_the_limit_is_refused()
    {
        var ex = Assert.Throws<LessonFormatException>(() => CheckParser.Parse("GET " + new string('k', CheckParser.MaxLength) + " == 1", 1));

        Assert.Contains("at most", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lab_check_naming_a_result_no_lab_records_is_refused_with_the_names_it_may_use()
    {
        var ex = Assert.Throws<LessonFormatException>(() => CheckParser.Parse("LAB stampede.lock.speed == 1", 4));

        Assert.Equal(4, ex.Line);
        Assert.Contains("'stampede.lock.speed' is not a lab result", ex.Message, StringComparison.Ordinal);
        Assert.Contains("stampede.lock.loads", ex.Message, StringComparison.Ordinal);
        Assert.Contains("rate-limit-burst.token-bucket.rejected", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_lab_and_algorithm_has_its_result_names()
    {
        Assert.Contains("stampede.xfetch.waited", LabResults.Names);
        Assert.Contains("stampede.coalescing.loads", LabResults.Names);
        Assert.Contains("rate-limit-burst.sliding-counter.allowed", LabResults.Names);
        Assert.Equal(LabResults.Names.Count, LabResults.Names.Distinct().Count());
    }
}
