using System.Globalization;
using BlazorRedis.Core;
using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Streams;
using BlazorRedis.Core.Text;
using BlazorRedis.Core.Tracing;
using Microsoft.AspNetCore.Components;

namespace BlazorRedis.App.Components.Pages.DataStructures.Streams;

/// <summary>
/// The streams demo: a simulated sensor XADDs a reading a second while on, a polling XREAD tails the
/// stream, and two consumers share the readings through a consumer group. The timer belongs to this
/// circuit and dies with the page.
/// </summary>
public partial class StreamsDemo
{
    /// <summary>How many readings the chart and table keep.</summary>
    public const int Window = 60;

    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private readonly SensorSimulator _simulator = new();
    private List<SensorEntry> _entries = [];
    private HashSet<string>? _groups;
    private IReadOnlyList<PendingEntry> _pending = [];
    private long? _length;
    private string? _answer;
    private string? _live;
    private bool _generatorOn;
    private bool _tailOn;
    private bool _ticking;
    private Timer? _timer;
    private string? _temperature = "24.5";
    private string? _humidity = "55";
    private string? _rangeFrom = "-";
    private string? _rangeTo = "+";
    private string? _group = "dashboards";
    private string _shownGroup = "dashboards";
    private string? _consumer = "alice";
    private string? _count = "3";
    private string? _ackIds;
    private string? _minIdle = "5000";

    [Inject]
    private IStreamsDemo Log { get; set; } = null!;

    private bool Locked => Working;

    /// <inheritdoc/>
    protected override IDataStructureDemo Service => Log;

    /// <inheritdoc/>
    protected override Task<OperationTrace>? ReadPictureAsync() => RefreshAsync();

    /// <inheritdoc/>
    protected override Task StopLiveWorkAsync() => StopTimerAsync();

    /// <inheritdoc/>
    protected override void ClearPicture() => (_answer, _live, _ackIds, _groups) = (null, null, null, null);

    /// <summary>
    /// Re-reads the window and the length, and the shown group's pending list once the group exists. The groups are
    /// looked up once (XINFO GROUPS, only when the stream exists), so a learner who has done nothing sees no NOGROUP error.
    /// </summary>
    private async Task<OperationTrace> RefreshAsync()
    {
        var latest = await Log.LatestAsync(LearnerId, Window);
        var length = await Log.LengthAsync(LearnerId);
        _entries = [.. latest.Value];
        _length = length.Value;
        var traces = new List<OperationTrace> { latest.Trace, length.Trace };
        if (_groups is null && length.Value > 0)
        {
            var groups = await Log.GroupsAsync(LearnerId);
            _groups = [.. groups.Value];
            traces.Add(groups.Trace);
        }

        if (_groups?.Contains(_shownGroup) == true)
        {
            var pending = await Log.PendingAsync(LearnerId, _shownGroup);
            _pending = pending.Value;
            traces.Add(pending.Trace);
        }
        else
        {
            _pending = [];
        }

        return OperationTrace.Combine("Read the stream", traces);
    }

    /// <summary>Remembers a group that now exists (created, or answered BUSYGROUP).</summary>
    private void Known(string group) => (_groups ??= new(StringComparer.Ordinal)).Add(group);

    /// <summary>A number typed into a text field; text that is none says what the field takes (its range).</summary>
    private static double ParseNumber(string? text, string what, string range) =>
        double.TryParse(text?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new LearnerInputException($"{what} must be a number{range}.");

    private int ParseCount() =>
        int.TryParse(_count?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new LearnerInputException($"Count must be a whole number from 1 to {StreamsDemoService.MaxCount}.");

    private string Group() => (_group ?? "").Trim();

    private Task AddAsync() => ActAsync(async () =>
    {
        var r = await Log.AddAsync(LearnerId, new SensorReading(ParseNumber(_temperature, "Temperature", " between -50 and 60 °C"), ParseNumber(_humidity, "Humidity", " between 0 and 100 %")));
        _answer = $"XADD gave the entry id {r.Value.Id}: {r.Value.Time:HH:mm:ss.fff} UTC on Redis's clock, sequence {r.Value.Id.Split('-')[1]}.";
        return r.Trace;
    });

    private Task LengthAsync() => ActAsync(async () =>
    {
        var r = await Log.LengthAsync(LearnerId);
        _answer = $"The stream holds {Wording.Count(r.Value, "entry", "entries")}.";
        return r.Trace;
    });

    private Task RangeAsync() => ActAsync(async () =>
    {
        var r = await Log.RangeAsync(LearnerId, _rangeFrom ?? "", _rangeTo ?? "");
        _answer = r.Value.Count == 0
            ? "XRANGE found no entries in that range."
            : $"XRANGE returned {Wording.Count(r.Value.Count, "entry", "entries")}, {r.Value[0].Id} … {r.Value[^1].Id} ({r.Value[0].Time:HH:mm:ss} – {r.Value[^1].Time:HH:mm:ss} UTC).";
        return r.Trace;
    });

    private void LastTenSeconds()
    {
        var now = DateTimeOffset.UtcNow;
        _rangeFrom = StreamIds.FromTime(now.AddSeconds(-10));
        _rangeTo = StreamIds.FromTime(now);
    }

    private Task CreateGroupAsync() => ActAsync(async () =>
    {
        var group = Group();
        var r = await Log.CreateGroupAsync(LearnerId, group);
        Known(group);
        _shownGroup = group;
        _answer = r.Value
            ? $"Group {group} created at id 0: its consumers will get every entry already in the stream, then new ones."
            : $"Group {group} already exists (Redis answered BUSYGROUP); nothing changed.";
        return r.Trace;
    });

    private Task ReadGroupAsync() => ActAsync(async () =>
    {
        var group = Group();
        var consumer = (_consumer ?? "").Trim();
        var r = await Log.ReadGroupAsync(LearnerId, group, consumer, ParseCount());
        _shownGroup = group;
        _ackIds = string.Join(", ", r.Value.Select(e => e.Id));
        _answer = r.Value.Count == 0
            ? $"Nothing new for {consumer}: every entry has been delivered to someone."
            : $"{consumer} got {Wording.Count(r.Value.Count, "entry", "entries")}; they stay pending until {consumer} XACKs them (ids filled in below).";
        return r.Trace;
    });

    private Task AckAsync() => ActAsync(async () =>
    {
        var ids = (_ackIds ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (ids.Length == 0)
        {
            throw new LearnerInputException("Give at least one entry id to acknowledge, e.g. 1700000000000-0.");
        }

        var r = await Log.AckAsync(LearnerId, Group(), ids);
        _answer = $"XACK removed {r.Value} of {ids.Length} ids from the pending list.";
        return r.Trace;
    });

    private Task PendingAsync() => ActAsync(async () =>
    {
        var group = Group();
        var r = await Log.PendingAsync(LearnerId, group);
        _shownGroup = group;
        _answer = r.Value.Count == 0
            ? "Nothing is pending: every delivered entry was acknowledged."
            : string.Join("; ", r.Value.GroupBy(p => p.Consumer).Select(g => $"{g.Key} holds {g.Count()}"));
        return r.Trace;
    });

    private Task AutoClaimAsync() => ActAsync(async () =>
    {
        var idle = long.TryParse(_minIdle?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms >= 0
            ? ms
            : throw new LearnerInputException("The minimum idle time must be a whole number of milliseconds between 0 and 86,400,000 (24 hours).");

        var consumer = (_consumer ?? "").Trim();
        var r = await Log.AutoClaimAsync(LearnerId, Group(), consumer, TimeSpan.FromMilliseconds(Math.Min(idle, (long)TimeSpan.FromDays(2).TotalMilliseconds)));
        _ackIds = string.Join(", ", r.Value.Claimed.Select(e => e.Id));
        _answer = r.Value.Claimed.Count == 0
            ? $"No entry was idle for {idle} ms or more, so {consumer} claimed nothing."
            : $"{consumer} took over {Wording.Count(r.Value.Claimed.Count, "entry", "entries")}; their delivery count went up by one.";
        return r.Trace;
    });

    private async Task StopTimerAsync()
    {
        _generatorOn = false;
        _tailOn = false;
        if (_timer is not null)
        {
            await _timer.DisposeAsync();
            _timer = null;
        }
    }

    private Task SetGeneratorAsync(bool on)
    {
        _generatorOn = on;
        if (on)
        {
            // New readings are only visible with the tail on; a learner can switch it off to see why.
            _tailOn = true;
        }

        EnsureTimer();
        return Task.CompletedTask;
    }

    private void SetTail(bool on)
    {
        _tailOn = on;
        EnsureTimer();
    }

    private void EnsureTimer()
    {
        if ((_generatorOn || _tailOn) && _timer is null)
        {
            _timer = new Timer(_ => _ = PageClosed.IsCancellationRequested ? Task.CompletedTask : InvokeAsync(TickAsync), null, Tick, Tick);
        }
        else if (!_generatorOn && !_tailOn && _timer is not null)
        {
            _timer.Dispose();
            _timer = null;
        }
    }

    /// <summary>One second of the live loop, on the circuit's dispatcher: XADD if the sensor is on, XREAD if the tail is on.</summary>
    private async Task TickAsync()
    {
        if (_ticking || _timer is null || PageClosed.IsCancellationRequested)
        {
            return;
        }

        _ticking = true;
        try
        {
            var parts = new List<string>();
            if (_generatorOn)
            {
                var added = await Log.AddAsync(LearnerId, _simulator.Next());
                parts.Add(Describe(added.Trace.Commands[0]));
            }

            if (_tailOn)
            {
                var after = _entries.Count > 0 ? _entries[^1].Id : "0-0";
                var tail = await Log.ReadAfterAsync(LearnerId, after, 100);
                parts.Add(Describe(tail.Trace.Commands[0]));
                if (tail.Value.Count > 0)
                {
                    _entries = [.. _entries.Concat(tail.Value).TakeLast(Window)];
                    _length = (_length ?? 0) + tail.Value.Count;
                }
            }

            _live = string.Join("   ·   ", parts);
        }
        catch (Exception ex) when (Describe(ex) is { } message)
        {
            _live = "Live loop paused: " + message;
            await StopTimerAsync();
        }
        finally
        {
            _ticking = false;
        }

        StateHasChanged();
    }

    private static string Describe(TracedCommand c) =>
        $"{Shorten(c.Text)} → {c.Result} ({c.RoundTrip.TotalMilliseconds.ToString("0.00", CultureInfo.InvariantCulture)} ms)";

    private static string Shorten(string text) => text.Length > 110 ? text[..110] + "…" : text;

    private Task RunStoryAsync()
    {
        (_answer, _group, _shownGroup) = (null, "dashboards", "dashboards");
        var ids = new List<string>();
        List<SensorEntry> alice = [];
        List<SensorEntry> bob = [];
        List<SensorEntry> claimed = [];
        return RunScenarioAsync(
            "sensor log",
            () => $"Done: alice got {alice.Count}, bob got {bob.Count}, none twice; alice claimed bob's {claimed.Count} pending readings. XACK them (ids filled in) to empty the pending list.",
            new ScenarioStep("The sensor sends two bursts of five readings, 0.3 s apart; Redis stamps each with its clock, so ids grow with time.",
                async () =>
                {
                    var first = await Log.AddManyAsync(LearnerId, Enumerable.Range(0, 5).Select(_ => _simulator.Next()).ToList());
                    await Task.Delay(TimeSpan.FromMilliseconds(300), PageClosed);
                    var second = await Log.AddManyAsync(LearnerId, Enumerable.Range(0, 5).Select(_ => _simulator.Next()).ToList());
                    ids.AddRange(first.Value.Concat(second.Value).Select(e => e.Id));
                    return OperationTrace.Combine("Two bursts of readings", first.Trace, second.Trace);
                }),
            new ScenarioStep("XLEN: how many readings the log holds (the log is capped with MAXLEN ~ so it cannot grow for ever).",
                async () => (await Log.LengthAsync(LearnerId)).Trace),
            new ScenarioStep("XRANGE between two times: the first burst's milliseconds used as ids select exactly the first five readings.",
                async () =>
                {
                    var from = StreamIds.FromTime(StreamIds.TimeOf(ids[0]));
                    var to = StreamIds.FromTime(StreamIds.TimeOf(ids[4]));
                    (_rangeFrom, _rangeTo) = (from, to);
                    var r = await Log.RangeAsync(LearnerId, from, to);
                    _answer = $"XRANGE {from} {to} returned {Wording.Count(r.Value.Count, "reading")}.";
                    return r.Trace;
                }),
            new ScenarioStep("XGROUP CREATE dashboards 0 MKSTREAM: a consumer group that starts at the beginning of the log.",
                async () =>
                {
                    var r = await Log.CreateGroupAsync(LearnerId, "dashboards");
                    Known("dashboards");
                    return r.Trace;
                }),
            new ScenarioStep("XREADGROUP as alice, COUNT 4: alice gets the first four readings.",
                async () => { var r = await Log.ReadGroupAsync(LearnerId, "dashboards", "alice", 4); alice = [.. r.Value]; return r.Trace; }),
            new ScenarioStep("XREADGROUP as bob, COUNT 4: bob gets the next four, never alice's. Each entry goes to exactly one consumer.",
                async () => { var r = await Log.ReadGroupAsync(LearnerId, "dashboards", "bob", 4); bob = [.. r.Value]; return r.Trace; }),
            new ScenarioStep("alice processed hers and XACKs them. bob crashes before acknowledging.",
                async () => (await Log.AckAsync(LearnerId, "dashboards", alice.Select(e => e.Id).ToList())).Trace),
            new ScenarioStep("XPENDING: bob's four readings are still pending, delivered once, getting older.",
                async () => (await Log.PendingAsync(LearnerId, "dashboards")).Trace),
            new ScenarioStep("After a second, alice runs XAUTOCLAIM with min-idle 500 ms: bob's stuck readings move to her, delivery count 2.",
                async () =>
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(600), PageClosed);
                    var r = await Log.AutoClaimAsync(LearnerId, "dashboards", "alice", TimeSpan.FromMilliseconds(500));
                    claimed = [.. r.Value.Claimed];
                    _ackIds = string.Join(", ", claimed.Select(e => e.Id));
                    _consumer = "alice";
                    return r.Trace;
                }));
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _timer?.Dispose();
            _timer = null;
        }

        base.Dispose(disposing);
    }
}
