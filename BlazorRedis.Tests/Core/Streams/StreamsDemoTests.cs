using BlazorRedis.Core;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Streams;
using BlazorRedis.Tests.Infrastructure;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Streams;

public class StreamsDemoTests(RedisServerFixture redis)
{
    private readonly RedisKeyspace _keys = redis.NewKeyspace();
    private readonly LearnerId _learner = LearnerId.New();

    private StreamsDemoService Log => new(redis.Multiplexer, _keys, redis.Tracer, new KeyspaceJanitor(redis.Multiplexer, redis.Tracer));

    private RedisKey StreamKey => _keys.ForLearner(_learner).Key("streams", "sensor");

    [Fact]
    public async Task Xadd_appends_readings_that_xlen_counts_and_xrange_reads_between_ids_and_times()
    {
        var ids = await AddAsync(5);

        var length = await Log.LengthAsync(_learner);
        var middle = await Log.RangeAsync(_learner, ids[1], ids[3]);
        var byTime = await Log.RangeAsync(_learner, StreamIds.FromTime(StreamIds.TimeOf(ids[0])), StreamIds.FromTime(StreamIds.TimeOf(ids[4])));
        var all = await Log.LatestAsync(_learner, 60);

        Assert.Equal(5, length.Value);
        Assert.Equal(ids[1..4], middle.Value.Select(e => e.Id));
        Assert.Equal(ids, byTime.Value.Select(e => e.Id));
        Assert.Equal(ids, all.Value.Select(e => e.Id));
        Assert.All(all.Value, e => Assert.NotNull(e.Temperature));
        Assert.Equal(["XRANGE"], middle.Trace.WireNames);
        Assert.NotNull(await redis.Multiplexer.GetDatabase().KeyTimeToLiveAsync(StreamKey));
    }

    [Fact]
    public async Task A_pipelined_batch_of_xadds_keeps_the_readings_in_order()
    {
        var readings = Enumerable.Range(0, 10).Select(i => new SensorReading(20 + i, 50)).ToList();

        var added = await Log.AddManyAsync(_learner, readings);
        var back = await Log.RangeAsync(_learner, "-", "+");

        Assert.Equal(added.Value.Select(e => e.Id), back.Value.Select(e => e.Id));
        Assert.Equal(readings.Select(r => (double?)r.Temperature), back.Value.Select(e => e.Temperature));
        Assert.Equal(10, added.Trace.WireNames.Count(n => n == "XADD"));
        Assert.Equal(2, added.Trace.Commands.Count);
    }

    [Fact]
    public async Task One_impossible_reading_refuses_the_whole_batch()
    {
        await Assert.ThrowsAsync<LearnerInputException>(() => Log.AddManyAsync(_learner, [new SensorReading(21, 50), new SensorReading(21, double.NaN)]));

        Assert.False(await redis.Multiplexer.GetDatabase().KeyExistsAsync(StreamKey));
    }

    [Fact]
    public async Task Xread_after_an_id_returns_only_newer_entries_without_blocking()
    {
        var ids = await AddAsync(3);

        var tail = await Log.ReadAfterAsync(_learner, ids[0]);
        var none = await Log.ReadAfterAsync(_learner, ids[2]);

        Assert.Equal(ids[1..], tail.Value.Select(e => e.Id));
        Assert.Empty(none.Value);
        Assert.DoesNotContain("BLOCK", tail.Trace.Commands[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_consumer_group_delivers_each_entry_to_exactly_one_consumer()
    {
        var ids = await AddAsync(10);
        await Log.CreateGroupAsync(_learner, "dashboards");

        var alice = await Log.ReadGroupAsync(_learner, "dashboards", "alice", 4);
        var bob = await Log.ReadGroupAsync(_learner, "dashboards", "bob", 100);
        var nothingLeft = await Log.ReadGroupAsync(_learner, "dashboards", "alice", 100);

        var a = alice.Value.Select(e => e.Id).ToList();
        var b = bob.Value.Select(e => e.Id).ToList();
        Assert.Equal(4, a.Count);
        Assert.Equal(6, b.Count);
        Assert.Empty(a.Intersect(b));
        Assert.Equal(ids, a.Concat(b).Order(StringComparer.Ordinal));
        Assert.Empty(nothingLeft.Value);

        var acked = await Log.AckAsync(_learner, "dashboards", a);
        var pending = await Log.PendingAsync(_learner, "dashboards");

        Assert.Equal(4, acked.Value);
        Assert.Equal(b, pending.Value.Select(p => p.Id));
        Assert.All(pending.Value, p => Assert.Equal("bob", p.Consumer));
    }

    [Fact]
    public async Task Xautoclaim_hands_a_dead_consumers_pending_entries_to_another()
    {
        await AddAsync(6);
        await Log.CreateGroupAsync(_learner, "g");
        var bob = await Log.ReadGroupAsync(_learner, "g", "bob", 3);

        var tooSoon = await Log.AutoClaimAsync(_learner, "g", "alice", TimeSpan.FromHours(1));
        var claimed = await Log.AutoClaimAsync(_learner, "g", "alice", TimeSpan.Zero);
        var pending = await Log.PendingAsync(_learner, "g");

        Assert.Empty(tooSoon.Value.Claimed);
        Assert.Equal(bob.Value.Select(e => e.Id), claimed.Value.Claimed.Select(e => e.Id));
        Assert.Equal("0-0", claimed.Value.NextStartId);
        Assert.All(pending.Value, p => Assert.Equal("alice", p.Consumer));
        Assert.All(pending.Value, p => Assert.Equal(2, p.Deliveries));
        Assert.Equal(["XAUTOCLAIM"], claimed.Trace.WireNames);
    }

    [Fact]
    public async Task Xpending_of_a_group_that_does_not_exist_yet_is_empty_and_shows_nogroup()
    {
        var pending = await Log.PendingAsync(_learner, "nobody");

        Assert.Empty(pending.Value);
        Assert.Contains(pending.Trace.Commands, c => c.Failed && c.Result.Contains("NOGROUP", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Creating_an_existing_group_reports_busygroup_instead_of_failing()
    {
        var first = await Log.CreateGroupAsync(_learner, "g");
        var second = await Log.CreateGroupAsync(_learner, "g");

        Assert.True(first.Value);
        Assert.False(second.Value);
        Assert.Contains(second.Trace.Commands, c => c.Failed && c.Result.Contains("BUSYGROUP", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("abc", "+")]
    [InlineData("-", "12-x")]
    [InlineData("", "+")]
    [InlineData("1700000000000-1-2", "+")]
    [InlineData("99999999999999999999999", "+")]
    public async Task Malformed_xrange_bounds_are_refused_with_a_message(string from, string to)
    {
        var ex = await Assert.ThrowsAsync<LearnerInputException>(() => Log.RangeAsync(_learner, from, to));

        Assert.Contains("stream id", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_xack_id_acknowledges_nothing()
    {
        await AddAsync(2);
        await Log.CreateGroupAsync(_learner, "g");
        var read = await Log.ReadGroupAsync(_learner, "g", "bob", 10);

        var ex = await Assert.ThrowsAsync<LearnerInputException>(() => Log.AckAsync(_learner, "g", [read.Value[0].Id, "1700000000000-"]));
        var pending = await Log.PendingAsync(_learner, "g");

        Assert.Contains("entry id", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, pending.Value.Count);
    }

    [Theory]
    [InlineData(double.NaN, 50)]
    [InlineData(21, 101)]
    [InlineData(-60, 50)]
    [InlineData(21, double.NegativeInfinity)]
    public async Task An_impossible_reading_is_refused_and_writes_nothing(double temperature, double humidity)
    {
        await Assert.ThrowsAsync<LearnerInputException>(() => Log.AddAsync(_learner, new SensorReading(temperature, humidity)));

        Assert.False(await redis.Multiplexer.GetDatabase().KeyExistsAsync(StreamKey));
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("new\nline")]
    public async Task A_bad_group_name_is_refused_and_creates_no_stream(string group)
    {
        await Assert.ThrowsAsync<LearnerInputException>(() => Log.CreateGroupAsync(_learner, group));

        Assert.False(await redis.Multiplexer.GetDatabase().KeyExistsAsync(StreamKey));
    }

    [Fact]
    public void The_simulator_is_a_deterministic_random_walk()
    {
        var a = new SensorSimulator(3);
        var b = new SensorSimulator(3);

        var first = Enumerable.Range(0, 50).Select(_ => a.Next()).ToList();

        Assert.Equal(first, Enumerable.Range(0, 50).Select(_ => b.Next()));
        Assert.All(first.Zip(first.Skip(1)), p => Assert.InRange(Math.Abs(p.First.Temperature - p.Second.Temperature), 0, 0.51));
    }

    private async Task<string[]> AddAsync(int count)
    {
        var simulator = new SensorSimulator();
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = (await Log.AddAsync(_learner, simulator.Next())).Value.Id;
        }

        return ids;
    }
}
