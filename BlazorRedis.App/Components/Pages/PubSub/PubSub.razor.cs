using BlazorRedis.Core.PubSub;
using BlazorRedis.Core.Text;
using BlazorRedis.Core.Tracing;
using Microsoft.AspNetCore.Components;

namespace BlazorRedis.App.Components.Pages.PubSub;

/// <summary>
/// The pub/sub lesson. Each panel is one subscription on the app's shared connection, made after the first render
/// and released when the page goes (a closed browser tab leaves no handler behind).
/// </summary>
public partial class PubSub : IAsyncDisposable
{
    /// <summary>The most panels a page holds.</summary>
    public const int MaxPanels = 6;

    /// <summary>The most entry ids the page keeps to acknowledge.</summary>
    public const int MaxUnacked = 500;

    /// <summary>Messages kept per panel.</summary>
    public const int FeedLength = 50;

    private static string[] Samples => ["orders.created", "orders.shipped", "payments.settled"];

    private readonly List<Panel> _panels = [];
    private readonly List<JournalEntry> _readLog = [];
    // Oldest first, at most MaxUnacked: the rest stay pending in Redis, counted in _unackedDropped.
    private readonly List<string> _unacked = [];
    private int _unackedDropped;
    // Entries an XACK did not acknowledge (Redis no longer held them as pending), and whether its reply said which.
    private readonly HashSet<string> _notAcked = new(StringComparer.Ordinal);
    private bool _notAckedExact = true;
    private int _entriesRead;
    private string _groupSince = "when you opened this page";
    private string? _groupNote;
    private string _channel = "orders.created";
    private string _message = "order #1001 placed";
    private string _newName = "*.created";
    private bool _newIsPattern = true;
    private PublishResult? _lastPublish;
    private GroupStatus? _status;
    private bool _disposed;

    [Inject]
    private IPubSubService Bus { get; set; } = null!;

    /// <summary>The publish rule the API enforces per address, counted here per learner.</summary>
    [Inject]
    private PublishLimit Limit { get; set; } = null!;

    /// <summary>How much the journal keeps, so the page can say what a late reader can still catch up on.</summary>
    [Inject]
    private Microsoft.Extensions.Options.IOptions<PubSubOptions> JournalLimits { get; set; } = null!;

    /// <summary>What the group has done so far, in the lesson text: true to the state, not to the page's first render.</summary>
    private string GroupHistory => _status is null
        ? "is gone: you left it, and Read what I missed creates it again (starting at the newest entry)."
        : $"was created {_groupSince} and has read {(_entriesRead == 0 ? "nothing" : Wording.Count(_entriesRead, "entry", "entries"))} since" +
          (_entriesRead == 0 ? "." : $"; {_unacked.Count} of them wait for XACK on this page.");

    /// <summary>An entry's state as XACK's reply says it, not as the page hoped.</summary>
    private string EntryState(string id) =>
        _unacked.Contains(id) ? "pending"
        : _notAcked.Contains(id) ? (_notAckedExact ? "not acknowledged" : "not acknowledged, or acknowledged (XACK replied only a count)")
        : "acknowledged";

    /// <summary>This learner's consumer group on the journal.</summary>
    private string Group => Bus.GroupOf(LearnerId);

    /// <summary>One subscriber panel.</summary>
    private sealed class Panel(string name, bool isPattern)
    {
        public string Name { get; } = name;

        public bool IsPattern { get; } = isPattern;

        public IPubSubSubscription? Subscription { get; set; }

        public bool Online => Subscription is { IsActive: true };

        public List<PubSubMessage> Feed { get; } = [];

        /// <summary>Why the panel's last subscribe or unsubscribe failed (null when it did not).</summary>
        public string? Error { get; set; }

        /// <summary>What "Try again" repeats: the action that failed.</summary>
        public Func<Task>? Retry { get; set; }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        // Subscribe only once the circuit is live: a prerender would subscribe and never be disposed. Every default
        // panel is shown even when Redis is down: offline, with "Try again".
        foreach (var (name, pattern) in new[] { ("orders.created", false), ("orders.*", true), ("payments.*", true) })
        {
            _panels.Add(new Panel(name, pattern));
        }

        await RunAsync(async () =>
        {
            var traces = new List<OperationTrace>();
            foreach (var panel in _panels.ToList())
            {
                try
                {
                    traces.Add(await SubscribeAsync(panel));
                }
                catch (Exception ex) when (Describe(ex) is { } message)
                {
                    panel.Error = message;
                    panel.Retry = () => ToggleAsync(panel);
                }
            }

            var group = await Bus.JoinGroupAsync(LearnerId);
            var status = await Bus.GroupStatusAsync(Group);
            _status = status.Value;
            return OperationTrace.Combine("Open the page: subscribe the panels, join the consumer group", [.. traces, group.Trace, status.Trace]);
        });
        StateHasChanged();
    }

    private async Task<OperationTrace> SubscribeAsync(Panel panel)
    {
        var sub = await Bus.SubscribeAsync(panel.Name, panel.IsPattern, m => OnMessageAsync(panel, m));
        panel.Subscription = sub.Value;
        if (_disposed)
        {
            await sub.Value.DisposeAsync();
        }

        return sub.Trace;
    }

    private async Task OnMessageAsync(Panel panel, PubSubMessage message)
    {
        try
        {
            await InvokeAsync(() =>
            {
                if (_disposed)
                {
                    return;
                }

                panel.Feed.Insert(0, message with { Message = PubSubValidation.Preview(message.Message) });
                if (panel.Feed.Count > FeedLength)
                {
                    panel.Feed.RemoveAt(panel.Feed.Count - 1);
                }

                StateHasChanged();
            });
        }
        catch (ObjectDisposedException)
        {
            // A message raced the page closing: nobody is left to show it to.
        }
    }

    private async Task PublishAsync()
    {
        _lastPublish = await RunAsync(async () =>
        {
            // Bad input is refused before it costs a permit; a refused permit sends nothing.
            PubSubValidation.ValidateName(_channel, isPattern: false, "channel");
            PubSubValidation.ValidateMessage(_message);
            var permit = await Limit.CheckAsync(LearnerId);
            var published = await Bus.PublishAsync(_channel, _message);
            return new Traced<PublishResult>(published.Value, OperationTrace.Combine(published.Trace.Operation, permit, published.Trace));
        }) ?? _lastPublish;
    }

    private async Task AddPanelAsync()
    {
        if (_panels.Count >= MaxPanels)
        {
            return;
        }

        await RunAsync(async () =>
        {
            var panel = new Panel(_newName?.Trim() ?? "", _newIsPattern);
            var trace = await SubscribeAsync(panel);
            _panels.Add(panel);
            return trace;
        });
    }

    private async Task ToggleAsync(Panel panel)
    {
        var done = await RunAsync(async () =>
        {
            if (panel.Subscription is { IsActive: true } sub)
            {
                return await Bus.UnsubscribeAsync(sub);
            }

            return await SubscribeAsync(panel);
        });
        panel.Error = done ? null : ErrorMessage;
        panel.Retry = done ? null : () => ToggleAsync(panel);
    }

    /// <summary>
    /// The panel goes only once its unsubscribe succeeded: dropped before, a subscription Redis was never told about
    /// would keep its handler (and be subscribed again on every reconnect) for as long as the app runs.
    /// </summary>
    private async Task RemovePanelAsync(Panel panel)
    {
        var removed = await RunAsync(async () =>
        {
            var trace = panel.Subscription is { IsActive: true } sub ? await Bus.UnsubscribeAsync(sub) : OperationTrace.Empty("Remove a panel");
            _panels.Remove(panel);
            return trace;
        });
        panel.Error = removed ? null : "Not removed: this panel is still subscribed, because Redis could not be told to unsubscribe. " + ErrorMessage;
        panel.Retry = removed ? null : () => RemovePanelAsync(panel);
    }

    private async Task ReadMissedAsync()
    {
        _groupNote = null;
        await RunAsync(() => RejoiningIfGoneAsync("Read what the group has not seen", async () =>
        {
            // After "Leave the group" there is none to read from: join again (it starts at the newest entry).
            var joined = _status is null ? (await Bus.JoinGroupAsync(LearnerId)).Trace : null;
            if (joined is not null)
            {
                _groupSince = "when you joined again";
            }

            var read = await Bus.ReadGroupAsync(Group, "late-reader");
            _entriesRead += read.Value.Count;
            foreach (var entry in read.Value)
            {
                _readLog.Insert(0, entry with { Message = PubSubValidation.Preview(entry.Message) });
                Remember(entry.Id);
            }

            if (_readLog.Count > FeedLength)
            {
                _readLog.RemoveRange(FeedLength, _readLog.Count - FeedLength);
            }

            var status = await Bus.GroupStatusAsync(Group);
            _status = status.Value;
            return OperationTrace.Combine(read.Trace.Operation, [.. joined is null ? [] : new[] { joined }, read.Trace, status.Trace]);
        }));
    }

    /// <summary>Keeps an id to acknowledge; past <see cref="MaxUnacked"/> the oldest is let go (it stays pending in Redis).</summary>
    private void Remember(string id)
    {
        _unacked.Add(id);
        if (_unacked.Count > MaxUnacked)
        {
            _unacked.RemoveAt(0);
            _unackedDropped++;
        }
    }

    private async Task AckAsync()
    {
        _groupNote = null;
        await RunAsync(() => RejoiningIfGoneAsync("Acknowledge", async () =>
        {
            List<string> ids = [.. _unacked];
            var ack = await Bus.AckAsync(Group, ids);
            _unacked.Clear();

            // XACK counts only what the group still held as pending: after Redis restarted without saving (the journal
            // and the group lost), it replies 0 without an error and acknowledged nothing. Say so; do not mark them done.
            if (ack.Value < ids.Count)
            {
                _notAckedExact = _notAcked.Count == 0 ? ack.Value == 0 : _notAckedExact && ack.Value == 0;
                _notAcked.UnionWith(ids);
                _groupNote = ack.Value == 0
                    ? $"XACK replied 0: Redis no longer holds {(ids.Count == 1 ? "this entry" : "these " + Wording.Count(ids.Count, "entry", "entries"))} as pending for your group (Redis restarted without saving, or the journal was lost), so nothing was acknowledged. They are marked \"not acknowledged\": there is nothing left in Redis to acknowledge."
                    : $"XACK acknowledged {ack.Value} of {Wording.Count(ids.Count, "entry", "entries")}: Redis no longer held the other {ids.Count - ack.Value} as pending for your group (Redis restarted without saving, or the journal was lost). XACK replies only a count, so the table cannot say which ones.";
            }

            var status = await Bus.GroupStatusAsync(Group);
            _status = status.Value;
            return OperationTrace.Combine(ack.Trace.Operation, ack.Trace, status.Trace);
        }));
    }

    private async Task ResetGroupAsync()
    {
        _groupNote = null;
        await RunAsync(async () =>
        {
            var deleted = await Bus.LeaveGroupAsync(LearnerId);
            var created = await Bus.JoinGroupAsync(LearnerId);
            var status = await Bus.GroupStatusAsync(Group);
            _status = status.Value;
            ForgetReads();
            _groupSince = "when you started it over";
            if (!deleted.Value)
            {
                _groupNote = "Your old group was already gone (" + GoneBecause + "), so a new one was simply created: it starts at the newest entry.";
            }

            return OperationTrace.Combine("Start the group over", deleted.Trace, created.Trace, status.Trace);
        });
    }

    /// <summary>Removes this learner's group and its record: nothing of theirs stays on the shared journal.</summary>
    private async Task LeaveGroupAsync()
    {
        _groupNote = null;
        await RunAsync(async () =>
        {
            var left = await Bus.LeaveGroupAsync(LearnerId);
            _status = null;
            ForgetReads();
            if (!left.Value)
            {
                _groupNote = "Your group was already gone (" + GoneBecause + "), so there was nothing to leave; its record among your keys is removed too.";
            }

            return left.Trace;
        });
    }

    private const string GoneBecause = "the journal expired after a quiet spell, or the cleanup removed the group after your keys expired";

    /// <summary>
    /// Runs a group action; when Redis answers that the journal or the group is gone (<see cref="JournalGroupErrors.IsGone"/>),
    /// joins again, runs it once more and says so: a new group starts at the newest entry, so what came before is not in it.
    /// </summary>
    private async Task<OperationTrace> RejoiningIfGoneAsync(string operation, Func<Task<OperationTrace>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (JournalGroupErrors.IsGone(ex))
        {
            var joined = await Bus.JoinGroupAsync(LearnerId);
            ForgetReads();
            _groupSince = "when you joined again";
            var again = await action();
            _groupNote = "Your group was gone (" + GoneBecause + "), so you joined again. A new group starts at the newest entry: what was published before is not in it.";
            return OperationTrace.Combine(operation, joined.Trace, again);
        }
    }

    private void ForgetReads()
    {
        _readLog.Clear();
        _unacked.Clear();
        _unackedDropped = 0;
        _notAcked.Clear();
        _notAckedExact = true;
        _entriesRead = 0;
    }

    private static string ReceiversText(long n) => n switch
    {
        0 => "nobody was listening, so the message is gone (the stream still has it)",
        1 => "one subscription received it",
        _ => $"{n} subscriptions received it (a channel and a matching pattern count separately)",
    };

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        // Every panel at once, each on its own: a subscription's DisposeAsync does not throw for Redis being away, so
        // one that fails keeps no other subscribed, and a Redis that does not answer costs one timeout, not one a panel.
        await Task.WhenAll(_panels.ToList().Select(p => p.Subscription is { } sub ? sub.DisposeAsync().AsTask() : Task.CompletedTask));

        GC.SuppressFinalize(this);
    }
}
