using BlazorRedis.Core.Workbench;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.Core.Workbench;

/// <summary>Key positions from the test server's own key specs (Redis 7), for each kind of spec.</summary>
public class CommandTableTests(RedisServerFixture redis)
{
    public static TheoryData<string, int[]> KeyedLines => new()
    {
        { "get user:1", [1] },
        { "set user:1 ada ex 10", [1] },
        { "mset a 1 b 2 c 3", [1, 3, 5] },
        { "mget a b c", [1, 2, 3] },
        { "del a b", [1, 2] },
        { "rename a b", [1, 2] },
        { "copy a b replace", [1, 2] },
        { "lmove src dst left right", [1, 2] },
        { "zunionstore dest 2 a b weights 1 2", [1, 3, 4] },
        { "zunion 2 a b withscores", [2, 3] },
        { "sintercard 3 a b c limit 1", [2, 3, 4] },
        { "lmpop 2 a b left count 1", [2, 3] },
        { "xread count 1 streams s1 s2 0 0", [4, 5] },
        { "xread streams s 0", [2] },
        { "xreadgroup group g c streams s >", [5] },
        { "object encoding k", [2] },
        { "memory usage k", [2] },
        { "xinfo stream s", [2] },
        { "bitop and dest a b", [2, 3, 4] },
        { "geosearchstore dst src fromlonlat 0 0 byradius 1 km", [1, 2] },
        { "pfmerge dest a b", [1, 2, 3] },
        { "ping", [] },
        { "echo get", [] },
    };

    [Theory]
    [MemberData(nameof(KeyedLines))]
    public async Task Key_positions_come_from_the_servers_key_specs(string line, int[] expected)
    {
        var table = await CommandTable.ForAsync(redis.Multiplexer);
        var args = CommandLineParser.Parse(line);

        var spec = table.Find(args);

        Assert.NotNull(spec);
        Assert.Equal(expected, spec.KeyPositions(args));
    }

    [Theory]
    [InlineData("zunionstore dest 5 a b")]
    [InlineData("zunionstore dest x a b")]
    [InlineData("zunionstore dest -1 a")]
    [InlineData("sort list by weight_* get object_*")]
    [InlineData("migrate host 6379 k 0 1000 keys a b")]
    public async Task A_line_whose_keys_cannot_be_proven_has_no_key_positions(string line)
    {
        var table = await CommandTable.ForAsync(redis.Multiplexer);
        var args = CommandLineParser.Parse(line);

        var spec = table.Find(args);

        Assert.NotNull(spec);
        Assert.Null(spec.KeyPositions(args));
    }

    [Theory]
    [InlineData("nosuchcommand a")]
    [InlineData("object nosuchsubcommand k")]
    public async Task An_unknown_command_or_subcommand_is_not_found(string line)
    {
        var table = await CommandTable.ForAsync(redis.Multiplexer);

        Assert.Null(table.Find(CommandLineParser.Parse(line)));
    }

    [Theory]
    [InlineData("get", false)]
    [InlineData("get a", true)]
    [InlineData("get a b", false)]
    [InlineData("del", false)]
    [InlineData("del a b c", true)]
    [InlineData("object encoding", false)]
    public async Task Arity_is_checked_as_redis_checks_it(string line, bool accepted)
    {
        var table = await CommandTable.ForAsync(redis.Multiplexer);
        var args = CommandLineParser.Parse(line);

        Assert.Equal(accepted, table.Find(args)!.AcceptsArgumentCount(args.Count));
    }

    [Fact]
    public async Task The_table_is_read_once_per_connection()
    {
        var first = await CommandTable.ForAsync(redis.Multiplexer);
        var second = await CommandTable.ForAsync(redis.Multiplexer);

        Assert.Same(first, second);
        Assert.True(first.Commands.Count > 150, "Redis 7 has over 200 commands");
        Assert.Contains("blocking", first.Commands["blpop"].Flags);
        Assert.Contains("admin", first.Commands["config"].Subcommands["config|set"].Flags);
    }
}
