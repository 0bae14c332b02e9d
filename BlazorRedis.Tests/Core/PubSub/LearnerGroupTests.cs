using BlazorRedis.Core.Keys;
using BlazorRedis.Core.PubSub;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.PubSub;

/// <summary>
/// Each learner's consumer group lives on the shared journal, which outlives every learner while anyone publishes:
/// the group is recorded among the learner's keys and goes when they go (leave, or their keys expire).
/// </summary>
public class LearnerGroupTests(RedisServerFixture redis)
{
    private IDatabase Db => redis.Multiplexer.GetDatabase();

    private RedisPubSubService NewService(TimeSpan? learnerKeyTtl = null, RedisKeyspace? keys = null) =>
        new(redis.Multiplexer, keys ?? new RedisKeyspace($"brtest:{Guid.NewGuid():N}:", learnerKeyTtl), redis.Tracer, TimeProvider.System, Options.Create(new PubSubOptions()));

    private async Task<List<string>> GroupsAsync(RedisPubSubService service) =>
        [.. (await Db.StreamGroupInfoAsync(service.JournalKey)).Select(g => g.Name!)];

    [Fact]
    public async Task Joining_records_the_group_among_the_learners_keys_and_leaving_removes_both()
    {
        var keys = new RedisKeyspace($"brtest:{Guid.NewGuid():N}:");
        var service = NewService(keys: keys);
        var learner = LearnerId.New();

        var joined = await service.JoinGroupAsync(learner);

        Assert.True(joined.Value);
        Assert.Contains(service.GroupOf(learner), await GroupsAsync(service));
        var record = service.GroupRecordKey(learner);
        Assert.StartsWith(keys.Prefix + "learner:{" + learner.Value + "}:pubsub:", record.ToString(), StringComparison.Ordinal);
        Assert.InRange((await Db.KeyTimeToLiveAsync(record))!.Value, TimeSpan.FromHours(23), TimeSpan.FromHours(24));
        Assert.Contains("SETEX", joined.Trace.WireNames);

        var left = await service.LeaveGroupAsync(learner);

        Assert.True(left.Value);
        TraceAssert.NamesWhatWasSent(left.Trace);
        Assert.DoesNotContain(service.GroupOf(learner), await GroupsAsync(service));
        Assert.False(await Db.KeyExistsAsync(record));
        Assert.False((await service.LeaveGroupAsync(learner)).Value);
    }

    [Fact]
    public async Task A_group_whose_learner_keys_expired_is_removed_and_live_ones_and_other_groups_stay()
    {
        var service = NewService(learnerKeyTtl: TimeSpan.FromSeconds(1));
        var gone = LearnerId.New();
        await service.JoinGroupAsync(gone);
        await Task.Delay(TimeSpan.FromMilliseconds(1500), TestContext.Current.CancellationToken);
        var here = LearnerId.New();
        await service.JoinGroupAsync(here);
        await service.CreateGroupAsync("billing");
        Assert.False(await Db.KeyExistsAsync(service.GroupRecordKey(gone)));

        var removed = await service.RemoveAbandonedGroupsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, removed);
        var groups = await GroupsAsync(service);
        Assert.DoesNotContain(service.GroupOf(gone), groups);
        Assert.Contains(service.GroupOf(here), groups);
        Assert.Contains("billing", groups);
        Assert.Equal(0, await service.RemoveAbandonedGroupsAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Sweeping_without_a_journal_removes_nothing()
    {
        var service = NewService();

        Assert.Equal(0, await service.RemoveAbandonedGroupsAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Leaving_when_the_journal_is_gone_counts_as_already_left()
    {
        var service = NewService();
        var learner = LearnerId.New();
        await service.JoinGroupAsync(learner);
        await Db.KeyDeleteAsync(service.JournalKey); // expired with its groups

        var left = await service.LeaveGroupAsync(learner);

        Assert.False(left.Value);
        Assert.False(await Db.KeyExistsAsync(service.GroupRecordKey(learner)));
        Assert.Contains("XGROUP", left.Trace.WireNames);
    }

    [Theory]
    [InlineData("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.", true)]
    [InlineData("NOGROUP No such key 'j' or consumer group 'g' in XREADGROUP with GROUP option", true)]
    [InlineData("ERR no such key", true)]
    [InlineData("WRONGTYPE Operation against a key holding the wrong kind of value", false)]
    [InlineData("BUSYGROUP Consumer Group name already exists", false)]
    public void Only_a_missing_journal_or_group_counts_as_gone(string error, bool gone)
    {
#pragma warning disable CS0618 // The reply text is what is being recognised; the kind does not matter here.
        var reply = new RedisServerException(error);
#pragma warning restore CS0618
        Assert.Equal(gone, JournalGroupErrors.IsGone(reply));
    }
}
