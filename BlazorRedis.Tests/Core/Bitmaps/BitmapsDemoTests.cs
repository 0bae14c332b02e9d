using BlazorRedis.Core;
using BlazorRedis.Core.Bitmaps;
using BlazorRedis.Core.Budgets;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Bitmaps;

public class BitmapsDemoTests(RedisServerFixture redis)
{
    private static readonly DateOnly Monday = new(2026, 11, 23);
    private static readonly DateOnly Tuesday = Monday.AddDays(1);
    private readonly RedisKeyspace _keys = redis.NewKeyspace();
    private readonly LearnerId _learner = LearnerId.New();

    private BitmapsDemoService Bitmaps => new(redis.Multiplexer, _keys, redis.Tracer, new KeyspaceJanitor(redis.Multiplexer, redis.Tracer));

    private IDatabase Db => redis.Multiplexer.GetDatabase();

    [Fact]
    public async Task Long_bitmaps_on_many_days_stop_at_the_class_demo_memory_budget_and_the_refused_day_is_not_written()
    {
        // Any learner could set user 10,000,000 on every day from 2000 to 2100: 1.25 MB a day key, 45 GB in all.
        var budget = new ActionBudget(Options.Create(new BudgetOptions { DemoMemoryMegabytes = 4 }), TimeProvider.System);
        var bitmaps = new BitmapsDemoService(redis.Multiplexer, _keys, redis.Tracer, new KeyspaceJanitor(redis.Multiplexer, redis.Tracer), budget);
        var other = LearnerId.New();

        for (var day = 0; day < 3; day++)
        {
            await bitmaps.SetLoginAsync(_learner, Monday.AddDays(day), BitmapsDemoService.MaxUserId);
        }

        await bitmaps.SetLoginAsync(_learner, Monday, BitmapsDemoService.MaxUserId - 1); // the same key again costs nothing more
        var refused = await Assert.ThrowsAsync<BudgetExceededException>(() => bitmaps.SetLoginsAsync(other, Monday.AddDays(7), [1, BitmapsDemoService.MaxUserId]));

        Assert.Contains("MB of Redis memory held by demo data", refused.Message, StringComparison.Ordinal);
        Assert.False(await Db.KeyExistsAsync(_keys.ForLearner(other).Key(BitmapsDemoModule.Slug, "logins", BitmapsDemoService.Day(Monday.AddDays(7)))));
        Assert.Contains("SETBIT", (await bitmaps.SetLoginAsync(other, Monday.AddDays(7), 999_999)).Trace.WireNames); // short bitmaps are not counted
        var held = budget.SpentOf(BudgetKind.DemoMemory);
        Assert.Equal(3 * ((BitmapsDemoService.MaxUserId / 8) + 1), held);
        var used = 0L;
        for (var day = 0; day < 3; day++)
        {
            used += await Db.StringLengthAsync(_keys.ForLearner(_learner).Key(BitmapsDemoModule.Slug, "logins", BitmapsDemoService.Day(Monday.AddDays(day))));
        }

        Assert.Equal(held, used); // what the budget holds is what the keys take
    }

    [Fact]
    public async Task Bitcount_counts_each_day_and_bitop_and_gives_the_users_who_came_back()
    {
        var set = await Bitmaps.SetLoginsAsync(_learner, Monday, [1, 2, 3, 5, 8, 200]);
        await Bitmaps.SetLoginsAsync(_learner, Tuesday, [2, 3, 8, 13]);

        var monday = await Bitmaps.CountAsync(_learner, Monday);
        var retention = await Bitmaps.RetentionAsync(_learner, Monday, Tuesday);

        Assert.Equal(6, set.Value);
        Assert.Equal(6, set.Trace.WireNames.Count(n => n == "SETBIT"));
        Assert.Equal(6, monday.Value);
        Assert.Equal(new Retention(6, 4, 3, retention.Value.DestinationKey), retention.Value);
        Assert.Equal(50, retention.Value.Percent);
        Assert.StartsWith(_keys.ForLearner(_learner).Prefix, retention.Value.DestinationKey, StringComparison.Ordinal);
        Assert.Equal(["STRLEN", "STRLEN", "BITOP", "EXPIRE", "BITCOUNT", "BITCOUNT", "BITCOUNT"], retention.Trace.WireNames);
        Assert.NotNull(await Db.KeyTimeToLiveAsync(retention.Value.DestinationKey));
    }

    [Fact]
    public async Task Setbit_returns_the_previous_bit_getbit_reads_it_and_the_day_key_expires()
    {
        var first = await Bitmaps.SetLoginAsync(_learner, Monday, 42);
        var again = await Bitmaps.SetLoginAsync(_learner, Monday, 42);
        var read = await Bitmaps.GetLoginAsync(_learner, Monday, 42);
        var other = await Bitmaps.GetLoginAsync(_learner, Monday, 43);

        Assert.False(first.Value);
        Assert.True(again.Value);
        Assert.True(read.Value);
        Assert.False(other.Value);
        Assert.Equal(["SETBIT", "EXPIRE"], first.Trace.WireNames);
        var ttl = await Db.KeyTimeToLiveAsync(_keys.ForLearner(_learner).Key("bitmaps", "logins", "2026-11-23"));
        Assert.InRange(ttl!.Value, TimeSpan.FromHours(23), TimeSpan.FromHours(24));
    }

    [Fact]
    public async Task Snapshot_decodes_bits_in_redis_order_high_bit_first()
    {
        await Bitmaps.SetLoginsAsync(_learner, Monday, [0, 9, 255]);

        var grid = await Bitmaps.SnapshotAsync(_learner, [Monday, Tuesday]);

        var monday = grid.Value.Days[0];
        Assert.Equal(0x80, monday.Bytes[0]);
        Assert.Equal(0x40, monday.Bytes[1]);
        Assert.Equal(0x01, monday.Bytes[31]);
        Assert.Equal([0, 9, 255], Enumerable.Range(0, 256).Where(i => monday.Bits[i]));
        Assert.Equal(0, grid.Value.Days[1].Count);
        Assert.All(grid.Trace.WireNames, n => Assert.Equal("GETRANGE", n));
    }

    [Fact]
    public async Task One_million_users_take_125000_bytes()
    {
        var memory = await Bitmaps.MeasureMillionUsersAsync(_learner);

        Assert.Equal(125_000, memory.Value.ExpectedBytes);
        Assert.Equal(125_000, memory.Value.StringLength);
        Assert.InRange(memory.Value.MemoryUsage!.Value, 125_000, 200_000);
        Assert.Contains("MEMORY", memory.Trace.WireNames);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(10_000_001L)]
    [InlineData(long.MaxValue)]
    public async Task An_out_of_range_user_id_is_refused_and_writes_nothing(long userId)
    {
        var ex = await Assert.ThrowsAsync<LearnerInputException>(() => Bitmaps.SetLoginAsync(_learner, Monday, userId));

        Assert.Contains("0 to 10,000,000", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, await KeyCountAsync());
    }

    [Fact]
    public async Task One_bad_id_in_a_batch_refuses_the_whole_batch()
    {
        await Assert.ThrowsAsync<LearnerInputException>(() => Bitmaps.SetLoginsAsync(_learner, Monday, [1, 2, -5]));

        Assert.Equal(0, await KeyCountAsync());
    }

    [Fact]
    public async Task Retention_of_a_day_with_itself_is_refused_and_writes_nothing()
    {
        await Assert.ThrowsAsync<LearnerInputException>(() => Bitmaps.RetentionAsync(_learner, Monday, Monday));

        Assert.Equal(0, await KeyCountAsync());
    }

    private async Task<int> KeyCountAsync()
    {
        var server = redis.Multiplexer.GetServers()[0];
        var pattern = RedisKeyspace.PrefixPattern(_keys.ForLearner(_learner).AreaPrefix("bitmaps"));
        var count = 0;
        await foreach (var _ in server.KeysAsync(pattern: pattern))
        {
            count++;
        }

        return count;
    }

    [Fact]
    public async Task One_learner_s_long_bitmaps_stop_at_their_share_so_the_class_keeps_room_and_a_reset_gives_it_back()
    {
        // With the defaults (64 MB for the class, 16 MB a learner) one learner once held the class's whole demo memory
        // for a day (the keys' TTL) by setting user 10,000,000 on 52 days, and every other learner was refused.
        var budget = new ActionBudget(Options.Create(new BudgetOptions()), TimeProvider.System);
        var bitmaps = new BitmapsDemoService(redis.Multiplexer, _keys, redis.Tracer, new KeyspaceJanitor(redis.Multiplexer, redis.Tracer), budget);
        var day = 0;
        for (; day < 13; day++)
        {
            await bitmaps.SetLoginAsync(_learner, Monday.AddDays(day), BitmapsDemoService.MaxUserId);
        }

        var refused = await Assert.ThrowsAsync<BudgetExceededException>(() => bitmaps.SetLoginAsync(_learner, Monday.AddDays(day), BitmapsDemoService.MaxUserId));
        Assert.StartsWith("One learner may hold at most 16 MB of large demo data at once", refused.Message, StringComparison.Ordinal);
        Assert.False(await Db.KeyExistsAsync(_keys.ForLearner(_learner).Key(BitmapsDemoModule.Slug, "logins", BitmapsDemoService.Day(Monday.AddDays(day)))));
        var other = LearnerId.New();
        await bitmaps.SetLoginAsync(other, Monday, BitmapsDemoService.MaxUserId); // the class still has room

        await bitmaps.ResetAsync(_learner, TestContext.Current.CancellationToken);

        Assert.Equal((BitmapsDemoService.MaxUserId / 8) + 1, budget.SpentOf(BudgetKind.DemoMemory)); // only the other learner's key
        await bitmaps.SetLoginAsync(_learner, Monday.AddDays(day), BitmapsDemoService.MaxUserId);
    }

    [Fact]
    public async Task A_large_bitmap_lives_an_hour_not_a_day_and_its_share_of_the_class_budget_frees_when_it_expires()
    {
        // A learner who set user 10,000,000 and closed the tab held 1.25 MB of the class's 64 MB for a day (the learner
        // key TTL): four of them left every other learner's large demo refused for the rest of the lesson.
        var clock = new ManualTimeProvider();
        var (bitmaps, budget) = WithBudget(clock);

        var set = await bitmaps.SetLoginAsync(_learner, Monday, BitmapsDemoService.MaxUserId);
        await bitmaps.SetLoginAsync(_learner, Tuesday, BitmapsDemoService.MaxUserId);
        var retention = await bitmaps.RetentionAsync(_learner, Monday, Tuesday);

        Assert.Equal(TimeSpan.FromHours(1), bitmaps.LargeDataLife);
        Assert.Contains(set.Trace.Commands, c => c.Text.StartsWith("EXPIRE", StringComparison.Ordinal) && c.Text.EndsWith(" 3600", StringComparison.Ordinal));
        foreach (var key in new RedisKey[] { DayKey(Monday), DayKey(Tuesday), retention.Value.DestinationKey })
        {
            Assert.InRange((await Db.KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(60)); // the BITOP result too
        }

        Assert.Equal(3 * LargeKeyBytes, budget.SpentOf(BudgetKind.DemoMemory));
        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(3 * LargeKeyBytes, budget.SpentOf(BudgetKind.DemoMemory));
        clock.Advance(TimeSpan.FromMinutes(1)); // the keys' TTL ran out: so did their hold
        Assert.Equal(0, budget.SpentOf(BudgetKind.DemoMemory));
    }

    [Fact]
    public async Task A_small_write_to_a_large_bitmap_renews_its_ttl_and_its_hold_together_and_a_small_bitmap_keeps_a_day()
    {
        var clock = new ManualTimeProvider();
        var (bitmaps, budget) = WithBudget(clock);
        await bitmaps.SetLoginAsync(_learner, Monday, BitmapsDemoService.MaxUserId);

        // 40 minutes on: the test's clock moves for the budget, and the key's TTL is set to what Redis would show then.
        clock.Advance(TimeSpan.FromMinutes(40));
        await Db.KeyExpireAsync(DayKey(Monday), TimeSpan.FromMinutes(20));
        await bitmaps.SetLoginAsync(_learner, Monday, 42); // a small id on the 1.25 MB key: the key's life starts again, and so must its hold

        Assert.InRange((await Db.KeyTimeToLiveAsync(DayKey(Monday)))!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(60));
        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(LargeKeyBytes, budget.SpentOf(BudgetKind.DemoMemory)); // held as long as the key lives, not 20 minutes less
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, budget.SpentOf(BudgetKind.DemoMemory));

        await bitmaps.SetLoginsAsync(_learner, Tuesday, [1, 2, 999_999]); // short: not large demo data
        Assert.InRange((await Db.KeyTimeToLiveAsync(DayKey(Tuesday)))!.Value, TimeSpan.FromHours(23), TimeSpan.FromHours(24));
        Assert.Equal(0, budget.SpentOf(BudgetKind.DemoMemory));
    }

    // A day key with user 10,000,000 set: 1.25 MB, held against the class's demo memory.
    private const long LargeKeyBytes = (BitmapsDemoService.MaxUserId / 8) + 1;

    private (BitmapsDemoService Bitmaps, ActionBudget Budget) WithBudget(TimeProvider clock)
    {
        var budget = new ActionBudget(Options.Create(new BudgetOptions()), clock);
        return (new BitmapsDemoService(redis.Multiplexer, _keys, redis.Tracer, new KeyspaceJanitor(redis.Multiplexer, redis.Tracer), budget), budget);
    }

    private RedisKey DayKey(DateOnly day) => _keys.ForLearner(_learner).Key(BitmapsDemoModule.Slug, "logins", BitmapsDemoService.Day(day));

    [Fact]
    public async Task The_BITOP_destination_is_held_against_the_class_demo_memory_budget_too()
    {
        // Two 1.25 MB day keys fit in 3 MB; BITOP AND would write a third 1.25 MB key.
        var budget = new ActionBudget(Options.Create(new BudgetOptions { DemoMemoryMegabytes = 3 }), TimeProvider.System);
        var bitmaps = new BitmapsDemoService(redis.Multiplexer, _keys, redis.Tracer, new KeyspaceJanitor(redis.Multiplexer, redis.Tracer), budget);
        await bitmaps.SetLoginAsync(_learner, Monday, BitmapsDemoService.MaxUserId);
        await bitmaps.SetLoginAsync(_learner, Tuesday, BitmapsDemoService.MaxUserId);

        var refused = await Assert.ThrowsAsync<BudgetExceededException>(() => bitmaps.RetentionAsync(_learner, Monday, Tuesday));

        Assert.Contains("MB of Redis memory held by demo data", refused.Message, StringComparison.Ordinal);
        Assert.False(await Db.KeyExistsAsync(_keys.ForLearner(_learner).Key(BitmapsDemoModule.Slug, "retention", BitmapsDemoService.Day(Monday), BitmapsDemoService.Day(Tuesday))));
        Assert.Equal(2 * ((BitmapsDemoService.MaxUserId / 8) + 1), budget.SpentOf(BudgetKind.DemoMemory));
    }
}
