using System.Net;
using BlazorRedis.Core.Budgets;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.Core.Budgets;

public class ActionBudgetTests
{
    private readonly ManualClock _clock = new();

    private const long Megabyte = 1024 * 1024;

    // The class-wide tests let one learner take the whole class's readers (no share per owner), as the cap alone did.
    private ActionBudget Budget(int raceReaders = 5000, int loadRuns = 2, int demoMegabytes = 64) =>
        new(Options.Create(new BudgetOptions { RaceReaders = raceReaders, RaceReadersPerLearner = raceReaders, LoadRuns = loadRuns, DemoMemoryMegabytes = demoMegabytes, DemoMemoryPerLearnerMegabytes = demoMegabytes }), _clock);

    private ActionBudget Defaults(Action<BudgetOptions>? change = null)
    {
        var options = new BudgetOptions();
        change?.Invoke(options);
        return new(Options.Create(options), _clock);
    }

    [Fact]
    public void One_learner_cannot_take_more_than_its_share_of_the_class_readers_and_others_still_get_room()
    {
        var budget = Defaults(); // 5,000 readers for the class, 2,000 at most per learner

        var refused = Assert.Throws<BudgetExceededException>(() => budget.Start(BudgetKind.StampedeRace, "alice", 5000));

        Assert.Equal("One learner may race at most 2,000 readers at once, a share of the class's 5,000 (Budgets:RaceReadersPerLearner), and this race asks for 5,000. Pick 2,000 readers or fewer.", refused.Message);
        Assert.Equal(0, budget.SpentOf(BudgetKind.StampedeRace)); // nothing ran
        using var alice = budget.Start(BudgetKind.StampedeRace, "alice", 2000);
        using var bob = budget.Start(BudgetKind.StampedeRace, "bob", 2000);
        using var carol = budget.Start(BudgetKind.StampedeRace, "carol", 1000);
        Assert.Equal(5000, budget.SpentOf(BudgetKind.StampedeRace));
    }

    [Fact]
    public void An_api_client_gets_a_smaller_share_than_a_learner_so_a_script_cannot_shut_the_class_out()
    {
        // The review's repro: a curl loop asked for the class's 5,000 readers and every learner was refused.
        var budget = Defaults();
        var script = ActionBudget.ApiClient(IPAddress.Parse("203.0.113.7"));
        Assert.Equal("address:203.0.113.7", script);
        Assert.Equal(1000, budget.OwnerLimitOf(BudgetKind.StampedeRace, script));
        Assert.Equal(2000, budget.OwnerLimitOf(BudgetKind.StampedeRace, "learner"));

        var refused = Assert.Throws<BudgetExceededException>(() => budget.Start(BudgetKind.StampedeRace, script, 5000));
        Assert.StartsWith("An API client (one address) may race at most 1,000 readers at once, a share of the class's 5,000 (Budgets:RaceReadersPerApiClient)", refused.Message, StringComparison.Ordinal);
        Assert.True(refused.RetryAfter > TimeSpan.Zero);

        using var race = budget.Start(BudgetKind.StampedeRace, script, 1000);
        using var learner = budget.Start(BudgetKind.StampedeRace, "learner", 100); // the learner racing 100 readers with the lock
        Assert.Equal(1100, budget.SpentOf(BudgetKind.StampedeRace));
    }

    [Fact]
    public void A_share_per_owner_larger_than_the_class_is_the_class()
    {
        var budget = Defaults(o => o.RaceReaders = 100);
        Assert.Equal(100, budget.OwnerLimitOf(BudgetKind.StampedeRace, "alice"));
        Assert.Equal(100, budget.OwnerLimitOf(BudgetKind.StampedeRace, ActionBudget.ApiClient(null)));
        Assert.Equal(2, budget.OwnerLimitOf(BudgetKind.LoadRun, "alice"));
    }

    [Fact]
    public void A_load_run_has_a_time_limit_and_a_refusal_says_when_the_soonest_run_ends()
    {
        var budget = Defaults(); // 2 runs, 60 s each at most
        using var alice = budget.Start(BudgetKind.LoadRun, "alice", 1);
        Assert.Equal(TimeSpan.FromSeconds(60), alice.TimeLimit);
        _clock.Advance(TimeSpan.FromSeconds(20));
        using var bob = budget.Start(BudgetKind.LoadRun, "bob", 1);
        _clock.Advance(TimeSpan.FromSeconds(10));

        var refused = Assert.Throws<BudgetExceededException>(() => budget.Start(BudgetKind.LoadRun, "carol", 1));
        var again = Assert.Throws<BudgetExceededException>(() => budget.Start(BudgetKind.LoadRun, "bob", 1));

        Assert.Equal(TimeSpan.FromSeconds(30), refused.RetryAfter); // alice's run ends at its limit, 30 s from now
        Assert.Contains("(2 of 2 runs, and this one needs 1). Try again in about 30 s.", refused.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(50), again.RetryAfter); // bob's own run
        using var race = budget.Start(BudgetKind.StampedeRace, "carol", 10);
        Assert.Null(race.TimeLimit); // races are short and have none
    }

    [Fact]
    public void A_run_that_overruns_its_time_limit_frees_its_slot_and_its_late_end_gives_nothing_back_twice()
    {
        var budget = Defaults(o => o.LoadRuns = 1);
        var stuck = budget.Start(BudgetKind.LoadRun, "alice", 1);
        _clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Throws<BudgetExceededException>(() => budget.Start(BudgetKind.LoadRun, "bob", 1)); // its limit is up, but it may be stopping

        _clock.Advance(TimeSpan.FromSeconds(10));
        var bob = budget.Start(BudgetKind.LoadRun, "bob", 1);
        stuck.Dispose(); // the old run ends at last: bob's run keeps its slot
        Assert.Equal(1, budget.SpentOf(BudgetKind.LoadRun));
        bob.Dispose();

        var again = budget.Start(BudgetKind.LoadRun, "alice", 1);
        _clock.Advance(TimeSpan.FromSeconds(70));
        using var newer = budget.Start(BudgetKind.LoadRun, "alice", 1);
        again.Dispose(); // alice's overrun run ends late: her newer run still counts as running
        Assert.Throws<BudgetExceededException>(() => budget.Start(BudgetKind.LoadRun, "alice", 1));
        Assert.Equal(1, budget.SpentOf(BudgetKind.LoadRun));
    }

    [Fact]
    public void One_owner_runs_one_race_at_a_time_and_can_start_the_next_when_it_ends()
    {
        var budget = Budget();
        var first = budget.Start(BudgetKind.StampedeRace, "alice", 100);

        var refused = Assert.Throws<BudgetExceededException>(() => budget.Start(BudgetKind.StampedeRace, "alice", 100));
        Assert.Contains("already have a stampede race running", refused.Message, StringComparison.Ordinal);
        Assert.True(refused.RetryAfter > TimeSpan.Zero);

        using (budget.Start(BudgetKind.StampedeRace, "bob", 100))
        {
            // Another learner is not slowed by alice's race.
        }

        first.Dispose();
        budget.Start(BudgetKind.StampedeRace, "alice", 100).Dispose();
        Assert.Equal(0, budget.SpentOf(BudgetKind.StampedeRace));
    }

    [Fact]
    public void The_class_cap_refuses_what_would_pass_it_and_says_how_much_is_in_use()
    {
        var budget = Budget(raceReaders: 5000);
        using var big = budget.Start(BudgetKind.StampedeRace, "alice", 4000);

        var refused = Assert.Throws<BudgetExceededException>(() => budget.Start(BudgetKind.StampedeRace, "bob", 2000));

        Assert.Contains("4,000 of 5,000 readers", refused.Message, StringComparison.Ordinal);
        budget.Start(BudgetKind.StampedeRace, "bob", 1000).Dispose(); // what fits still runs
        Assert.Equal(4000, budget.SpentOf(BudgetKind.StampedeRace));
    }

    [Fact]
    public void A_single_action_bigger_than_the_whole_budget_is_refused()
    {
        var budget = Budget(loadRuns: 1);
        Assert.Throws<BudgetExceededException>(() => budget.Start(BudgetKind.LoadRun, "alice", 2));
        Assert.Equal(0, budget.SpentOf(BudgetKind.LoadRun));
    }

    [Fact]
    public void A_refused_scan_says_to_try_again_and_not_to_pick_a_smaller_size()
    {
        var budget = new ActionBudget(Options.Create(new BudgetOptions { PatternScans = 1 }), _clock);
        using var running = budget.Start(BudgetKind.PatternScan, "alice", 1);

        var refused = Assert.Throws<BudgetExceededException>(() => budget.Start(BudgetKind.PatternScan, "bob", 1));

        Assert.Contains("keyspace scan", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("size", refused.Message, StringComparison.Ordinal);
        Assert.EndsWith("Try again in about 5 s.", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_sized_action_says_to_pick_a_smaller_size_in_its_own_terms()
    {
        var budget = Budget(raceReaders: 5000, demoMegabytes: 64);
        using var race = budget.Start(BudgetKind.StampedeRace, "alice", 4000);
        using var data = budget.Start(BudgetKind.DemoMemory, "alice", 61 * Megabyte);

        var readers = Assert.Throws<BudgetExceededException>(() => budget.Start(BudgetKind.StampedeRace, "bob", 2000));
        var memory = Assert.Throws<BudgetExceededException>(() => budget.Start(BudgetKind.DemoMemory, "bob", 5 * Megabyte));

        Assert.EndsWith(", or pick fewer readers.", readers.Message, StringComparison.Ordinal);
        Assert.EndsWith(", or pick a smaller size.", memory.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_left_in_redis_holds_its_weight_until_it_expires()
    {
        var budget = Budget(demoMegabytes: 64);
        using (var lease = budget.Start(BudgetKind.DemoMemory, "alice", 61 * Megabyte))
        {
            lease.HoldUntil(_clock.GetUtcNow().AddMinutes(10));
        }

        var refused = Assert.Throws<BudgetExceededException>(() => budget.Start(BudgetKind.DemoMemory, "bob", 5 * Megabyte));
        Assert.InRange(refused.RetryAfter, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        Assert.Contains("61 of 64 MB of Redis memory held by demo data, and this needs 5.0 MB", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Try again in about 10 min", refused.Message, StringComparison.Ordinal);

        _clock.Advance(TimeSpan.FromMinutes(10));
        budget.Start(BudgetKind.DemoMemory, "bob", 5 * Megabyte).Dispose();
        Assert.Equal(0, budget.SpentOf(BudgetKind.DemoMemory));
    }

    [Fact]
    public void A_new_run_of_the_same_owner_replaces_what_its_last_run_held()
    {
        // The demo deletes the learner's old set when a new load starts, so the old weight is given back.
        var budget = Budget(demoMegabytes: 64);
        using (var lease = budget.Start(BudgetKind.DemoMemory, "alice", 60 * Megabyte))
        {
            lease.HoldUntil(_clock.GetUtcNow().AddMinutes(10));
        }

        using (var again = budget.Start(BudgetKind.DemoMemory, "alice", 60 * Megabyte))
        {
            Assert.Equal(60 * Megabyte, budget.SpentOf(BudgetKind.DemoMemory));
        }

        Assert.Equal(0, budget.SpentOf(BudgetKind.DemoMemory));
    }

    [Fact]
    public void A_refused_start_changes_nothing()
    {
        var budget = Budget(raceReaders: 100);
        using var running = budget.Start(BudgetKind.StampedeRace, "alice", 60);

        Assert.Throws<BudgetExceededException>(() => budget.Start(BudgetKind.StampedeRace, "bob", 60));
        Assert.Throws<BudgetExceededException>(() => budget.Start(BudgetKind.StampedeRace, "alice", 10));

        Assert.Equal(60, budget.SpentOf(BudgetKind.StampedeRace));
        budget.Start(BudgetKind.StampedeRace, "bob", 40).Dispose();
    }

    [Fact]
    public void A_reserved_key_counts_once_at_its_largest_until_its_longest_hold_ends()
    {
        var budget = Budget(demoMegabytes: 2);
        budget.Reserve(BudgetKind.DemoMemory, "alice", "key-a", Megabyte, TimeSpan.FromMinutes(10));
        budget.Reserve(BudgetKind.DemoMemory, "alice", "key-a", Megabyte / 2, TimeSpan.FromMinutes(20)); // smaller: nothing more held, but longer

        Assert.Equal(Megabyte, budget.SpentOf(BudgetKind.DemoMemory));
        budget.Reserve(BudgetKind.DemoMemory, "alice", "key-b", Megabyte, TimeSpan.FromMinutes(5));
        var refused = Assert.Throws<BudgetExceededException>(() => budget.Reserve(BudgetKind.DemoMemory, "alice", "key-c", 1, TimeSpan.FromMinutes(5)));
        Assert.InRange(refused.RetryAfter, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        Assert.Throws<BudgetExceededException>(() => budget.Reserve(BudgetKind.DemoMemory, "alice", "key-a", Megabyte + 1, TimeSpan.FromMinutes(5)));
        Assert.Equal(2 * Megabyte, budget.SpentOf(BudgetKind.DemoMemory)); // a refused growth changes nothing

        _clock.Advance(TimeSpan.FromMinutes(15)); // key-b gone; key-a still held (its hold was extended to 20 min)
        Assert.Equal(Megabyte, budget.SpentOf(BudgetKind.DemoMemory));
        budget.Reserve(BudgetKind.DemoMemory, "alice", "key-c", Megabyte, TimeSpan.FromMinutes(5));
        _clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(0, budget.SpentOf(BudgetKind.DemoMemory));
    }

    [Fact]
    public void A_write_to_a_held_key_renews_its_hold_whatever_its_size_and_a_key_held_by_nobody_stays_unheld()
    {
        var budget = Defaults();
        var hour = budget.LargeDemoDataLife;

        Assert.False(budget.Renew(BudgetKind.DemoMemory, "alice", "key-a", hour)); // a small key: no hold to renew, none made
        Assert.Equal(0, budget.SpentOf(BudgetKind.DemoMemory));
        budget.Reserve(BudgetKind.DemoMemory, "alice", "key-a", Megabyte, hour);
        _clock.Advance(TimeSpan.FromMinutes(40));
        Assert.True(budget.Renew(BudgetKind.DemoMemory, "alice", "key-a", hour)); // the key's TTL starts again: so does its hold
        Assert.False(budget.Renew(BudgetKind.DemoMemory, "bob", "key-a", hour)); // not bob's to renew

        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(Megabyte, budget.SpentOf(BudgetKind.DemoMemory));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, budget.SpentOf(BudgetKind.DemoMemory));
        Assert.False(budget.Renew(BudgetKind.DemoMemory, "alice", "key-a", hour)); // expired with its key
    }

    [Fact]
    public void Large_demo_data_lives_the_configured_minutes_an_hour_by_default()
    {
        Assert.Equal(TimeSpan.FromMinutes(60), Defaults().LargeDemoDataLife);
        Assert.Equal(TimeSpan.FromMinutes(25), Defaults(o => o.LargeDemoDataMinutes = 25).LargeDemoDataLife);
    }

    [Fact]
    public void One_learner_cannot_hold_more_than_their_share_of_demo_memory_and_others_still_get_room()
    {
        var budget = Defaults(); // 64 MB for the class, 16 MB at most per learner

        var tooBig = Assert.Throws<BudgetExceededException>(() => budget.Start(BudgetKind.DemoMemory, "alice", 61 * Megabyte));
        Assert.Equal("One learner may hold at most 16 MB of large demo data at once, a share of the class's 64 MB (Budgets:DemoMemoryPerLearnerMegabytes), and this needs 61 MB. Pick a smaller size.", tooBig.Message);
        Assert.Equal(0, budget.SpentOf(BudgetKind.DemoMemory));

        // Alice's long bitmaps (1.25 MB a day key, each held as long as it lives: an hour) stop at her share (13 of them),
        // whatever the class has left.
        var day = 0;
        for (; day < 13; day++)
        {
            budget.Reserve(BudgetKind.DemoMemory, "alice", $"alice:bitmaps:day{day}", 1_250_001, budget.LargeDemoDataLife);
        }

        var full = Assert.Throws<BudgetExceededException>(() => budget.Reserve(BudgetKind.DemoMemory, "alice", $"alice:bitmaps:day{day}", 1_250_001, budget.LargeDemoDataLife));
        Assert.Equal("One learner may hold at most 16 MB of large demo data at once, a share of the class's 64 MB (Budgets:DemoMemoryPerLearnerMegabytes). You hold 15 MB until it expires, and this needs 1.2 MB. Try again in about 60 min, reset the demo's keys to free it, or pick a smaller size.", full.Message);
        Assert.Equal(TimeSpan.FromHours(1), full.RetryAfter);
        var hers = budget.SpentOf(BudgetKind.DemoMemory);
        Assert.Throws<BudgetExceededException>(() => budget.Start(BudgetKind.DemoMemory, "alice", 6 * Megabyte)); // her HyperLogLog too
        Assert.Equal(hers, budget.SpentOf(BudgetKind.DemoMemory)); // refusals change nothing

        using (var bob = budget.Start(BudgetKind.DemoMemory, "bob", 6 * Megabyte))
        {
            bob.HoldUntil(_clock.GetUtcNow().AddMinutes(10));
        }

        Assert.Equal(hers + (6 * Megabyte), budget.SpentOf(BudgetKind.DemoMemory));
    }

    [Fact]
    public void The_teacher_may_take_the_class_s_whole_demo_memory_and_learners_are_told_to_wait()
    {
        var budget = Defaults();
        using (var teacher = budget.Start(BudgetKind.DemoMemory, "teacher", 61 * Megabyte, wholeClass: true))
        {
            teacher.HoldUntil(_clock.GetUtcNow().AddMinutes(10));
        }

        var refused = Assert.Throws<BudgetExceededException>(() => budget.Start(BudgetKind.DemoMemory, "bob", 6 * Megabyte));
        Assert.Contains("61 of 64 MB of Redis memory held by demo data", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Releasing_deleted_data_gives_the_learner_s_share_back_and_only_theirs()
    {
        var budget = Defaults();
        budget.Reserve(BudgetKind.DemoMemory, "alice", "br:alice:bitmaps:a", 8 * Megabyte, TimeSpan.FromDays(1));
        budget.Reserve(BudgetKind.DemoMemory, "alice", "br:alice:bitmaps:b", 8 * Megabyte, TimeSpan.FromDays(1));
        budget.Reserve(BudgetKind.DemoMemory, "bob", "br:bob:bitmaps:a", 8 * Megabyte, TimeSpan.FromDays(1));
        using (var lease = budget.Start(BudgetKind.DemoMemory, "carol", 6 * Megabyte))
        {
            lease.HoldUntil(_clock.GetUtcNow().AddMinutes(10));
        }

        budget.Release(BudgetKind.DemoMemory, "alice", "br:alice:bitmaps:");
        Assert.Equal(14 * Megabyte, budget.SpentOf(BudgetKind.DemoMemory)); // bob's bitmap and carol's set stay held
        budget.Release(BudgetKind.DemoMemory, "carol");
        Assert.Equal(8 * Megabyte, budget.SpentOf(BudgetKind.DemoMemory));
        budget.Release(BudgetKind.DemoMemory, "bob", "br:alice:"); // another learner's prefix frees nothing of bob's
        Assert.Equal(8 * Megabyte, budget.SpentOf(BudgetKind.DemoMemory));
        budget.Reserve(BudgetKind.DemoMemory, "alice", "br:alice:bitmaps:a", 16 * Megabyte, TimeSpan.FromDays(1)); // her whole share again
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
