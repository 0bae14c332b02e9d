using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.SortedSets;
using BlazorRedis.Core.Tracing;
using MudBlazor;

namespace BlazorRedis.App.Components.Pages.DataStructures.SortedSets;

/// <summary>The sorted sets demo: a leaderboard that re-sorts itself as scores change.</summary>
public partial class SortedSetsDemo
{
    private string _player = "Alice";
    private double? _score = 500;
    private MudNumericField<double?>? _scoreField;
    private double? _points = 100;
    private MudNumericField<double?>? _pointsField;
    private int? _top = 10;
    private MudNumericField<int?>? _topField;
    private string? _highlight;
    private LeaderboardState? _board;
    private PlayerStanding? _standing;

    protected override Task OnInitializedAsync() => RunAsync(() => ReadAsync(10), learnerAction: false);

    private async Task<OperationTrace> ReadAsync(int top)
    {
        var read = await Board.ReadTopAsync(LearnerId, top);
        _board = read.Value;
        return read.Trace;
    }

    private Task ReadTopAsync() => ActAsync(() => ReadAsync(Top));

    // A score is a double in Redis (ZADD even takes inf); the demo takes finite scores within ±MaxScore, as Core does.
    private Task AddAsync() => ActAsync(() =>
        SetScoreAsync(_player, RequireNumber(_scoreField, _score, "score", -ISortedSetsDemo.MaxScore, ISortedSetsDemo.MaxScore)));

    private async Task<OperationTrace> SetScoreAsync(string player, double score)
    {
        var set = await Board.SetScoreAsync(LearnerId, player, score, Top);
        _board = set.Value;
        _highlight = player.Trim();
        _standing = null; // a score changed, so an earlier ZREVRANK + ZSCORE answer may no longer hold
        return set.Trace;
    }

    private Task IncrementAsync() => ActAsync(() =>
        AddPointsAsync(_player, RequireNumber(_pointsField, _points, "points", -ISortedSetsDemo.MaxScore, ISortedSetsDemo.MaxScore)));

    private async Task<OperationTrace> AddPointsAsync(string player, double points)
    {
        var added = await Board.AddPointsAsync(LearnerId, player, points, Top);
        _board = added.Value;
        _highlight = player.Trim();
        _standing = null;
        return added.Trace;
    }

    private Task StandingAsync() => ActAsync(() => LookUpAsync(_player));

    private async Task<OperationTrace> LookUpAsync(string player)
    {
        var standing = await Board.StandingAsync(LearnerId, player);
        _standing = standing.Value;
        _highlight = standing.Value.Player;
        return standing.Trace;
    }

    /// <summary>The top N the chart shows: a bad one refuses the action before anything is sent.</summary>
    private int Top => RequireNumber(_topField, _top, "number of players", 1, ISortedSetsDemo.MaxTop);

    /// <inheritdoc/>
    protected override IDataStructureDemo Service => Board;

    /// <inheritdoc/>
    protected override void ClearPicture()
    {
        _standing = null;
        _highlight = null;
    }

    /// <inheritdoc/>
    protected override Task<OperationTrace>? ReadAfterResetAsync() => ReadAsync(Math.Clamp(_top ?? 10, 1, ISortedSetsDemo.MaxTop));

    private Task RunStoryAsync() => RunScenarioAsync(
        "a game leaderboard",
        "Done: every score change re-sorted the board inside Redis; reading the top N or a player's rank never needed a sort in the app.",
        new ScenarioStep("Four players join: ZADD Alice 500, Bob 1000, Carol 750, Dave 300.", async () =>
            OperationTrace.Combine("Four players join", [
                await SetScoreAsync("Alice", 500), await SetScoreAsync("Bob", 1000), await SetScoreAsync("Carol", 750), await SetScoreAsync("Dave", 300)])),
        new ScenarioStep("Alice wins a round: ZINCRBY Alice 600 takes her to 1,100 and the top spot.", () => AddPointsAsync("Alice", 600)),
        new ScenarioStep("Dave's comeback: ZINCRBY Dave 600 lifts him past Carol.", () => AddPointsAsync("Dave", 600)),
        new ScenarioStep("Where is Carol now? ZREVRANK (0 = first place) and ZSCORE answer in O(log N) and O(1).", () => LookUpAsync("Carol")),
        new ScenarioStep("The top three, highest first: ZREVRANGE 0 2 WITHSCORES.", () => ReadAsync(3)));
}
