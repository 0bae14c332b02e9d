using System.Globalization;
using BlazorRedis.Core;
using BlazorRedis.Core.Sessions;
using BlazorRedis.Core.Tracing;
using Microsoft.AspNetCore.Components;

namespace BlazorRedis.App.Components.Pages.Sessions;

/// <summary>
/// The sessions lesson: this page plays a browser holding one session id, through the demo <see cref="ISessionStore"/>
/// (keys under <c>{sessions}:demo:</c>, which <c>/api/session</c> never reads: the page shows whole ids and keys, and a
/// projected screen must not hand out working cookies). Demo usernames carry this learner's whole id, so two browsers
/// logging in as "alice" never touch each other's sessions (a prefix of the id would let two learners who share it
/// list, use and end each other's sessions).
/// </summary>
public partial class Sessions : IDisposable
{
    /// <summary>The longest demo name: the learner tag (<c>@</c> and the 32-character id) is added to it, within the store's limit.</summary>
    public const int MaxNameLength = SessionUsername.MaxLength - 33;

    /// <summary>
    /// The most sessions one demo user may hold: another device or a fresh login past it is refused until one is revoked,
    /// so a scripted button cannot pile up sessions (each of which every later list reads).
    /// </summary>
    public const int MaxSessionsPerUser = 10;

    private readonly CancellationTokenSource _stop = new();
    private string _name = "alice";
    private SessionInfo? _current;
    private DateTimeOffset _readAt;
    private List<SessionInfo> _sessions = [];
    private bool _listed;
    private bool _listFailed;
    private string? _narration;
    private bool _disposed;

    [Inject(Key = RedisSessionStore.DemoArea)]
    private ISessionStore Store { get; set; } = null!;

    [Inject]
    private TimeProvider Time { get; set; } = null!;

    /// <summary>
    /// The username the store sees: the demo name plus this learner's tag. Refuses what the store would refuse,
    /// before anything reaches Redis.
    /// </summary>
    public static string ScopedUsername(string? name, string learnerId)
    {
        ArgumentNullException.ThrowIfNull(learnerId);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new LearnerInputException("Enter a username.", nameof(name));
        }

        if (name.Length > MaxNameLength)
        {
            throw new LearnerInputException($"A demo username must be at most {MaxNameLength} characters.", nameof(name));
        }

        var scoped = $"{name}@{learnerId}";
        SessionUsername.Validate(scoped, nameof(name));
        return scoped;
    }

    private string ScopedPreview => SafeScoped ?? "(invalid name)";

    private string? SafeScoped
    {
        get
        {
            try
            {
                return ScopedUsername(_name, LearnerId.Value);
            }
            catch (LearnerInputException)
            {
                return null;
            }
        }
    }

    /// <summary>Redis server time now, estimated from the last read (so the countdown ignores clock skew between app and Redis).</summary>
    private DateTimeOffset ServerNow => _current is null ? Time.GetUtcNow() : _current.ServerTime + (Time.GetUtcNow() - _readAt);

    private TimeSpan Remaining => _current is null ? TimeSpan.Zero : _current.TimeToLive - (Time.GetUtcNow() - _readAt);

    [Inject]
    private NavigationManager Nav { get; set; } = null!;

    /// <summary>The same lesson over HTTP, against the address this page was opened at (not a guessed localhost:5000).</summary>
    private string CurlExample => $$"""
        curl -i -c jar -H 'Content-Type: application/json' -d '{"username":"alice"}' {{Nav.BaseUri}}api/session/login
        curl -i -b jar {{Nav.BaseUri}}api/session/me        # 200, and the idle timeout starts again
        curl -i -b jar -H 'Content-Type: application/json' -d '{}' {{Nav.BaseUri}}api/session/logout   # 204: the key is gone
        """;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        // Sessions outlive this page: show the ones a previous visit left behind.
        _listFailed = !await RunAsync(async () =>
        {
            var list = await Store.ListForUserAsync(ScopedUsername(_name, LearnerId.Value));
            Show(list.Value);
            return list.Trace;
        });
        StateHasChanged();
        _ = TickAsync(_stop.Token);
    }

    /// <summary>Shows a list read from Redis; until the first one arrives the page says it is reading, not "no sessions".</summary>
    private void Show(IEnumerable<SessionInfo> sessions)
    {
        _sessions = [.. sessions];
        _listed = true;
        _listFailed = false;
    }

    private async Task TickAsync(CancellationToken token)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500), Time);
        try
        {
            while (await timer.WaitForNextTickAsync(token))
            {
                if (_current is not null)
                {
                    await InvokeAsync(StateHasChanged);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // The page was closed.
        }
    }

    private async Task LoginAsync()
    {
        var previous = _current;
        string? full = null;
        var ok = await RunAsync(async () =>
        {
            var user = ScopedUsername(_name, LearnerId.Value);

            // Read the list first: it removes the ids of expired sessions from the user's set, so they hold no slot.
            // Rotating a live session of this user swaps one id for another; any other login adds a session. The cap is
            // the create script's alone (atomic: a login in another tab cannot make it 11), so a refusal the page shows
            // is one Redis made, with the script call in its trace.
            var before = await Store.ListForUserAsync(user);
            Show(before.Value);

            Traced<SessionInfo> created;
            try
            {
                created = await Store.CreateAsync(user, previous?.Id, MaxSessionsPerUser);
            }
            catch (SessionLimitException late)
            {
                full = FullMessage(user, (int)late.Count);
                return OperationTrace.Combine(late.Trace.Operation, before.Trace, late.Trace);
            }

            Hold(created.Value);
            var list = await Store.ListForUserAsync(user);
            Show(list.Value);
            return OperationTrace.Combine(created.Trace.Operation, before.Trace, created.Trace, list.Trace);
        });
        if (full is not null)
        {
            ErrorMessage = full;
            _narration = null;
        }
        else if (ok)
        {
            _narration = previous is null
                ? "Logged in: one script wrote the hash, set its TTL and added the id to your set."
                : _current?.RotatedFrom is not null
                    ? $"Logged in again: the id rotated. The old id {SessionId.Fingerprint(previous.Id)} was deleted in the same script and no longer works."
                    : $"Logged in again: the old session {SessionId.Fingerprint(previous.Id)} had already ended (logged out or expired), so there was nothing to rotate: one script wrote a new session.";
        }
    }

    private async Task TouchAsync()
    {
        if (_current is null)
        {
            return;
        }

        var before = Remaining;
        var ok = await RunAsync(async () =>
        {
            var touched = await Store.TouchAsync(_current.Id);
            if (touched.Value is null)
            {
                _current = null;
            }
            else
            {
                Hold(touched.Value);
            }

            return touched.Trace;
        });
        if (ok)
        {
            _narration = _current is null
                ? "Redis answered nil: the session has expired (or was logged out elsewhere). You are logged out."
                : $"Request made: the TTL went from {Countdown(before)} back to {Countdown(Remaining)}.";
            if (_current is null)
            {
                await RefreshListAsync();
            }
        }
    }

    private async Task SecondDeviceAsync()
    {
        string? full = null;
        var ok = await RunAsync(async () =>
        {
            var user = ScopedUsername(_name, LearnerId.Value);

            // Read the list first (it removes expired ids from the user's set); past the cap the create script refuses.
            var before = await Store.ListForUserAsync(user);
            Show(before.Value);

            Traced<SessionInfo> other;
            try
            {
                other = await Store.CreateAsync(user, maxSessions: MaxSessionsPerUser);
            }
            catch (SessionLimitException late)
            {
                full = FullMessage(user, (int)late.Count);
                return OperationTrace.Combine("Log in on another device", before.Trace, late.Trace);
            }

            var list = await Store.ListForUserAsync(user);
            Show(list.Value);
            return OperationTrace.Combine("Log in on another device", before.Trace, other.Trace, list.Trace);
        });
        if (full is not null)
        {
            ErrorMessage = full;
            _narration = null;
        }
        else if (ok)
        {
            _narration = "A second session for the same user, as from a phone: both ids are in the user's set.";
        }
    }

    private async Task LogoutAsync()
    {
        if (_current is null)
        {
            return;
        }

        var id = _current.Id;
        var ok = await RunAsync(async () =>
        {
            var deleted = await Store.DeleteAsync(id);
            _current = null;
            var list = await Store.ListForUserAsync(ScopedUsername(_name, LearnerId.Value));
            Show(list.Value);
            return OperationTrace.Combine("Log out", deleted.Trace, list.Trace);
        });
        if (ok)
        {
            _narration = "Logged out: the hash is deleted on the server, so the id is worthless even if someone copied it.";
        }
    }

    private async Task LogoutEverywhereAsync()
    {
        long count = 0;
        var ok = await RunAsync(async () =>
        {
            var user = ScopedUsername(_name, LearnerId.Value);
            var deleted = await Store.DeleteAllForUserAsync(user);
            count = deleted.Value;
            _current = null;
            var list = await Store.ListForUserAsync(user);
            Show(list.Value);
            return OperationTrace.Combine("Log out everywhere", deleted.Trace, list.Trace);
        });
        if (ok)
        {
            _narration = $"Logged out everywhere: {count} session(s) deleted in one script.";
        }
    }

    private async Task RevokeAsync(string id)
    {
        await RunAsync(async () =>
        {
            var deleted = await Store.DeleteAsync(id);
            if (_current?.Id == id)
            {
                _current = null;
            }

            var list = await Store.ListForUserAsync(ScopedUsername(_name, LearnerId.Value));
            Show(list.Value);
            return OperationTrace.Combine("Revoke a session", deleted.Trace, list.Trace);
        });
    }

    private async Task ResumeAsync(string id)
    {
        var ok = await RunAsync(async () =>
        {
            var touched = await Store.TouchAsync(id);
            if (touched.Value is not null)
            {
                Hold(touched.Value);
            }

            return touched.Trace;
        });
        if (ok)
        {
            _narration = _current?.Id == id ? "This browser now uses that session: its TTL just reset." : "That session has ended.";
        }
    }

    private async Task RefreshListAsync()
    {
        await RunAsync(async () =>
        {
            var list = await Store.ListForUserAsync(ScopedUsername(_name, LearnerId.Value));
            Show(list.Value);
            if (_current is not null && _sessions.All(s => s.Id != _current.Id))
            {
                _current = null;
            }

            return list.Trace;
        });
    }

    /// <summary>Why one more session for <paramref name="user"/> is refused, or null while there is room.</summary>
    private static string? FullMessage(string user, int count) => count < MaxSessionsPerUser
        ? null
        : string.Create(CultureInfo.InvariantCulture, $"{user} already has {count} sessions, the most this demo keeps for one user, so no new session was made. Revoke one below (or log out everywhere) to free a slot, or use one of them.");

    private void Hold(SessionInfo session)
    {
        _current = session;
        _readAt = Time.GetUtcNow();

        // Keep the list's row of this session in step without another round trip.
        var row = _sessions.FindIndex(s => s.Id == session.Id);
        if (row >= 0)
        {
            _sessions[row] = session;
        }
    }

    private double IdleFraction(TimeSpan left) =>
        Math.Clamp(100 * left.TotalMilliseconds / Store.Timeouts.Idle.TotalMilliseconds, 0, 100);

    private static string Means(KeyValuePair<string, string> field) =>
        field.Key is "createdAt" or "lastSeen" or "absoluteExpiry" && long.TryParse(field.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + " UTC"
            : field.Key == "username" ? "who this session belongs to" : "";

    private static string At(DateTimeOffset t) => t.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>mm:ss (or h:mm:ss), never negative.</summary>
    public static string Countdown(TimeSpan t)
    {
        if (t < TimeSpan.Zero)
        {
            t = TimeSpan.Zero;
        }

        return t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes:00}:{t.Seconds:00}");
    }

    private static string Format(TimeSpan t) => t.TotalHours >= 1 && t.TotalHours == Math.Floor(t.TotalHours)
        ? $"{t.TotalHours:0} hours"
        : t.TotalMinutes >= 1 && t.TotalMinutes == Math.Floor(t.TotalMinutes) ? $"{t.TotalMinutes:0} minutes" : $"{t.TotalSeconds:0} seconds";

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stop.Cancel();
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
