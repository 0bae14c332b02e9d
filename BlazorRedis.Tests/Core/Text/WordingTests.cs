using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Streams;
using BlazorRedis.Core.Text;
using BlazorRedis.Tests.Infrastructure;

namespace BlazorRedis.Tests.Core.Text;

public class WordingTests(RedisServerFixture redis)
{
    [Theory]
    [InlineData(0, "key", null, "0 keys")]
    [InlineData(1, "key", null, "1 key")]
    [InlineData(2, "key", null, "2 keys")]
    [InlineData(1, "entry", "entries", "1 entry")]
    [InlineData(12000, "entry", "entries", "12,000 entries")]
    [InlineData(1, "SCAN batch", "SCAN batches", "1 SCAN batch")]
    [InlineData(-1, "key", null, "-1 keys")]
    public void A_count_takes_its_noun_in_the_right_number(long count, string one, string? many, string expected) =>
        Assert.Equal(expected, Wording.Count(count, one, many));

    [Fact]
    public async Task One_reading_is_one_reading_in_the_trace_and_the_reply()
    {
        var keys = redis.NewKeyspace();
        var learner = LearnerId.New();
        var log = new StreamsDemoService(redis.Multiplexer, keys, redis.Tracer, new KeyspaceJanitor(redis.Multiplexer, redis.Tracer));

        var added = await log.AddManyAsync(learner, [new SensorReading(21, 50)]);
        var latest = await log.LatestAsync(learner, 1);

        Assert.Equal("1 reading", added.Trace.Operation);
        Assert.Equal("The latest 1 reading", latest.Trace.Operation);
        Assert.DoesNotContain("1 entries", string.Join(" ", latest.Trace.Commands.Select(c => c.Result)), StringComparison.Ordinal);
    }
}
