using System.Text;
using BlazorRedis.Core.Workbench;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Workbench;

/// <summary>Expected texts are what redis-cli 7 prints on a terminal for the same reply.</summary>
public class RedisCliFormatterTests
{
    private static RedisResult Bulk(string s) => RedisResult.Create((RedisValue)Encoding.UTF8.GetBytes(s), ResultType.BulkString);

    private static RedisResult Array(params RedisResult[] items) => RedisResult.Create(items, ResultType.Array);

    public static TheoryData<string, RedisResult, string> Replies => new()
    {
        { "integer", RedisResult.Create(1, ResultType.Integer), "(integer) 1" },
        { "negative integer", RedisResult.Create(-2, ResultType.Integer), "(integer) -2" },
        { "status", RedisResult.Create("OK", ResultType.SimpleString), "OK" },
        { "nil", RedisResult.Create(RedisValue.Null, ResultType.BulkString), "(nil)" },
        { "bulk", Bulk("ada"), "\"ada\"" },
        { "empty bulk", Bulk(""), "\"\"" },
        { "escapes", Bulk("a\"b\\c\nd\re\tf\ag\bh"), "\"a\\\"b\\\\c\\nd\\re\\tf\\ag\\bh\"" },
        { "non-ascii", Bulk("café"), "\"caf\\xc3\\xa9\"" },
        { "nul and del", Bulk("\0\u007f"), "\"\\x00\\x7f\"" },
        { "empty array", Array(), "(empty array)" },
        { "array", Array(Bulk("a"), Bulk("b")), "1) \"a\"\n2) \"b\"" },
        { "mixed", Array(Bulk("a"), RedisResult.Create(RedisValue.Null, ResultType.BulkString), RedisResult.Create(3, ResultType.Integer)), "1) \"a\"\n2) (nil)\n3) (integer) 3" },
        {
            "nested",
            Array(Bulk("0"), Array(Bulk("k1"), Bulk("k2"))),
            "1) \"0\"\n2) 1) \"k1\"\n   2) \"k2\""
        },
        {
            "stream entry",
            Array(Array(Bulk("1-0"), Array(Bulk("t"), Bulk("21")))),
            "1) 1) \"1-0\"\n   2) 1) \"t\"\n      2) \"21\""
        },
        {
            "ten items right-align their numbers",
            Array([.. Enumerable.Range(1, 10).Select(i => RedisResult.Create(i, ResultType.Integer))]),
            string.Join("\n", Enumerable.Range(1, 10).Select(i => $"{i,2}) (integer) {i}"))
        },
        {
            "nested under a wide index",
            Array([.. Enumerable.Range(1, 9).Select(i => Bulk("x")), Array(Bulk("a"), Bulk("b"))]),
            string.Concat(Enumerable.Range(1, 9).Select(i => $" {i}) \"x\"\n")) + "10) 1) \"a\"\n    2) \"b\""
        },
        { "empty array inside", Array(Bulk("0"), Array()), "1) \"0\"\n2) (empty array)" },
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public void A_reply_prints_as_redis_cli_prints_it(string what, RedisResult reply, string expected)
    {
        Assert.NotEmpty(what);
        Assert.Equal(expected, RedisCliFormatter.Format(reply));
    }

    [Fact]
    public void An_error_prints_with_its_marker() =>
        Assert.Equal("(error) ERR wrong number of arguments for 'get' command", RedisCliFormatter.FormatError("ERR wrong number of arguments for 'get' command"));
}
