using BlazorRedis.Core.Classroom;

namespace BlazorRedis.App.Classroom;

/// <summary>
/// One circuit's place in a class: the membership <see cref="Components.Layout.ClassPresence"/> found, and the last
/// action of any page, reported to the teacher's roster at most once per <see cref="MinActionGap"/> (a burst of clicks is
/// two writes, the first and the last, not a write per click).
/// </summary>
public sealed class ClassPresenceState(ClassService classes, ILogger<ClassPresenceState> logger, TimeProvider time)
{
    /// <summary>The shortest time between two reported actions of one learner.</summary>
    public static readonly TimeSpan MinActionGap = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private long _lastReport = long.MinValue;
    private string? _held;
    private int _heldCount;
    private bool _heldScheduled;

    private ClassMembership? _membership;
    private ClassInfo? _teacherClass;

    /// <summary>Raised when <see cref="Membership"/> or <see cref="TeacherClass"/> changes (the layout's class bars follow it).</summary>
    public event Action? Changed;

    /// <summary>The class this circuit's learner is in, or null.</summary>
    public ClassMembership? Membership
    {
        get => _membership;
        set
        {
            if (_membership != value)
            {
                _membership = value;
                Changed?.Invoke();
            }
        }
    }

    /// <summary>In the teacher's circuit: the class the teacher has open, or null (the teacher bar shows while it is set).</summary>
    public ClassInfo? TeacherClass
    {
        get => _teacherClass;
        set
        {
            if (_teacherClass != value)
            {
                _teacherClass = value;
                Changed?.Invoke();
            }
        }
    }

    /// <summary>
    /// Tells the teacher what the learner just ran (fire and forget: the learner's page never waits for it). Within
    /// <see cref="MinActionGap"/> of the last report the action is held, and the latest one held is reported when the gap
    /// ends, so the roster always ends on the learner's last action. Every held action still scores one point on the
    /// class's leaderboard: the held report carries their count.
    /// </summary>
    public void ReportAction(string operation)
    {
        if (Membership is not { } membership || string.IsNullOrWhiteSpace(operation))
        {
            return;
        }

        var now = time.GetTimestamp();
        lock (_gate)
        {
            var since = _lastReport == long.MinValue ? TimeSpan.MaxValue : time.GetElapsedTime(_lastReport, now);
            if (since < MinActionGap)
            {
                _held = operation;
                _heldCount = Math.Min(_heldCount + 1, 1000);
                if (!_heldScheduled)
                {
                    _heldScheduled = true;
                    _ = ReportHeldAsync(MinActionGap - since);
                }

                return;
            }

            _lastReport = now;
        }

        _ = ReportAsync(membership, operation, 1);
    }

    private async Task ReportHeldAsync(TimeSpan wait)
    {
        await Task.Delay(wait, time).ConfigureAwait(false);
        string? operation;
        int points;
        lock (_gate)
        {
            operation = _held;
            points = _heldCount;
            _held = null;
            _heldCount = 0;
            _heldScheduled = false;
            _lastReport = time.GetTimestamp();
        }

        if (operation is not null && Membership is { } membership)
        {
            await ReportAsync(membership, operation, Math.Max(1, points)).ConfigureAwait(false);
        }
    }

    private async Task ReportAsync(ClassMembership membership, string operation, int points)
    {
        try
        {
            if (!await classes.ReportActionAsync(membership, operation, points).ConfigureAwait(false))
            {
                Membership = null;
            }
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            // The roster misses one line; the learner's action itself succeeded.
            logger.LogDebug(ex, "Could not report a learner's action to the class roster");
        }
    }
}
