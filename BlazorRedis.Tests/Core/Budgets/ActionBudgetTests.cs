using BlazorRedis.Core.Budgets;
using Microsoft.Extensions.Options;

namespace BlazorRedis.Tests.Core.Budgets;

public class ActionBudgetTests
{
    private readonly ManualClock _clock = new();

    private ActionBudget Budget(int raceReaders = 5000, int loadRuns = 2, int terms = 1_000_000) =>
        new(Options.Create(new BudgetOptions { RaceReaders = raceReaders, LoadRuns = loadRuns, UniqueCountTerms = terms }), _clock);

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
    public void Data_left_in_redis_holds_its_weight_until_it_expires()
    {
        var budget = Budget(terms: 1_000_000);
        using (var lease = budget.Start(BudgetKind.UniqueCount, "alice", 1_000_000))
        {
            lease.HoldUntil(_clock.GetUtcNow().AddMinutes(10));
        }

        var refused = Assert.Throws<BudgetExceededException>(() => budget.Start(BudgetKind.UniqueCount, "bob", 10_000));
        Assert.InRange(refused.RetryAfter, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));

        _clock.Advance(TimeSpan.FromMinutes(10));
        budget.Start(BudgetKind.UniqueCount, "bob", 10_000).Dispose();
        Assert.Equal(0, budget.SpentOf(BudgetKind.UniqueCount));
    }

    [Fact]
    public void A_new_run_of_the_same_owner_replaces_what_its_last_run_held()
    {
        // The demo deletes the learner's old set when a new load starts, so the old weight is given back.
        var budget = Budget(terms: 1_000_000);
        using (var lease = budget.Start(BudgetKind.UniqueCount, "alice", 1_000_000))
        {
            lease.HoldUntil(_clock.GetUtcNow().AddMinutes(10));
        }

        using (var again = budget.Start(BudgetKind.UniqueCount, "alice", 1_000_000))
        {
            Assert.Equal(1_000_000, budget.SpentOf(BudgetKind.UniqueCount));
        }

        Assert.Equal(0, budget.SpentOf(BudgetKind.UniqueCount));
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

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
