using System.Text;
using BlazorRedis.Core;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Workbench;
using BlazorRedis.Tests.Infrastructure;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Workbench;

public class WorkbenchKeyRewriterTests(RedisServerFixture redis)
{
    [Fact]
    public async Task A_learners_key_runs_under_their_workbench_prefix()
    {
        var keys = redis.NewKeyspace().ForLearner(LearnerId.New());
        var table = await CommandTable.ForAsync(redis.Multiplexer);

        var command = WorkbenchKeyRewriter.Rewrite(table, keys, CommandLineParser.Parse("set user:1 ada"));

        Assert.Equal(keys.Prefix + "wb:user:1", Encoding.UTF8.GetString(command.Arguments[1]));
        Assert.Equal("ada", Encoding.UTF8.GetString(command.Arguments[2]));
        Assert.Equal("user:1", Encoding.UTF8.GetString(WorkbenchKeyRewriter.Unprefix(keys, command.Arguments[1])!));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("}")]
    [InlineData("{other}")]
    [InlineData("*")]
    [InlineData("?")]
    [InlineData("\\")]
    [InlineData("\"\"")]
    [InlineData("br:learner:{x}:wb:k")]
    [InlineData("../k")]
    public async Task An_adversarial_key_stays_inside_the_learners_space(string key)
    {
        var keys = redis.NewKeyspace().ForLearner(LearnerId.New());
        var table = await CommandTable.ForAsync(redis.Multiplexer);

        var command = WorkbenchKeyRewriter.Rewrite(table, keys, CommandLineParser.Parse($"mset {key} 1 b 2"));

        Assert.Equal([1, 3], command.KeyPositions);
        Assert.All(command.KeyPositions, i => Assert.StartsWith(keys.Prefix + "wb:", Encoding.UTF8.GetString(command.Arguments[i]), StringComparison.Ordinal));
        Assert.Equal("1", Encoding.UTF8.GetString(command.Arguments[2]));
    }

    [Fact]
    public async Task A_key_of_another_learner_is_not_the_learners_to_show()
    {
        var root = redis.NewKeyspace();
        var mine = root.ForLearner(LearnerId.New());
        var theirs = root.ForLearner(LearnerId.New());

        Assert.Null(WorkbenchKeyRewriter.Unprefix(mine, Encoding.UTF8.GetBytes(theirs.Prefix + "wb:user:1")));
        Assert.Null(WorkbenchKeyRewriter.Unprefix(mine, Encoding.UTF8.GetBytes(mine.Prefix + "strings:user:1")));
    }

    [Theory]
    [InlineData("NOSUCHCOMMAND a b")] // upper case: StackExchange.Redis sends command names in upper case
    [InlineData("NOSUCHCOMMAND")]
    [InlineData("get")]
    [InlineData("get a b")]
    [InlineData("object encoding")]
    [InlineData("object nosuch k")]
    public async Task An_unknown_command_or_wrong_arity_is_answered_as_redis_answers_it(string line)
    {
        var keys = redis.NewKeyspace().ForLearner(LearnerId.New());
        var table = await CommandTable.ForAsync(redis.Multiplexer);
        var args = CommandLineParser.Parse(line);
        var redisSays = await Assert.ThrowsAsync<RedisServerException>(() =>
            redis.Multiplexer.GetDatabase().ExecuteAsync(Encoding.UTF8.GetString(args[0]), [.. args.Skip(1).Select(a => (object)Encoding.UTF8.GetString(a))]));

        var error = Assert.Throws<LearnerInputException>(() => WorkbenchKeyRewriter.Rewrite(table, keys, args));

        Assert.Equal(redisSays.Message, error.Message);
    }

    [Fact]
    public async Task A_command_whose_keys_cannot_be_located_is_refused()
    {
        var keys = redis.NewKeyspace().ForLearner(LearnerId.New());
        var table = await CommandTable.ForAsync(redis.Multiplexer);

        var error = Assert.Throws<LearnerInputException>(() =>
            WorkbenchKeyRewriter.Rewrite(table, keys, CommandLineParser.Parse("sort list by weight_*")));

        Assert.Equal("ERR the workbench cannot tell which arguments of 'sort' are keys, so it does not send it.", error.Message);
    }
}
