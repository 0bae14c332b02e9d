using BlazorRedis.App.Components.Shared;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Core.Workbench;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace BlazorRedis.App.Components.Pages.Workbench;

/// <summary>The console: one line at a time through <see cref="WorkbenchExecutor"/>, printed as redis-cli prints it.</summary>
public partial class Workbench : IDisposable
{
    /// <summary>Entries kept on the page (older ones scroll away).</summary>
    public const int MaxEntries = 200;

    /// <summary>Lines kept for ↑/↓.</summary>
    public const int MaxHistory = 100;

    private readonly List<WorkbenchReply> _entries = [];
    private readonly List<string> _history = [];

    private bool _historyReread;
    private WorkbenchSession? _session;
    private KeyBrowser? _browser;
    private WorkbenchHint? _hint;
    private string? _running;
    private string _line = "";
    private string _script = "";
    private int _scriptNext;

    /// <summary>Commands to load into the script box (from "Open in workbench" on a lesson or a trace), one per line.</summary>
    [SupplyParameterFromQuery(Name = "script")]
    public string? Script { get; set; }

    /// <summary>The most lines a script may hold.</summary>
    public const int MaxScriptLines = 100;

    private IReadOnlyList<string> ScriptLines => [.. (_script ?? "").Replace("\r", "", StringComparison.Ordinal).Split('\n')
        .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];
    private int? _historyIndex;
    private string? _pendingFlush;

    [Inject]
    private WorkbenchExecutor Executor { get; set; } = null!;

    private string Ttl => TimeSpan.FromSeconds(Executor.Options.KeyTtlSeconds) is var t && t.TotalHours >= 1 && t.TotalHours == Math.Floor(t.TotalHours)
        ? (t.TotalHours == 1 ? "an hour" : $"{t.TotalHours:0} hours")
        : $"{t.TotalMinutes:0} minutes";

    private string MaxBlock => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Executor.Options.MaxBlockMilliseconds / 1000.0:0.#} seconds");

    /// <inheritdoc/>
    protected override async Task OnInitializedAsync()
    {
        _session = Executor.OpenSession(LearnerId);
        _session.MessageReceived += OnMessage;
        if (!string.IsNullOrWhiteSpace(Script))
        {
            _script = Script.Length > CommandLineParser.MaxLineLength ? Script[..CommandLineParser.MaxLineLength] : Script;
        }

        // The lines this learner typed before (another page, a reload), oldest first.
        _history.InsertRange(0, await Executor.HistoryAsync(_session));
    }

    // Runs the script's lines in order; a FLUSHDB stops there and asks first, as when it is typed.
    private async Task RunScriptAsync()
    {
        _scriptNext = 0;
        while (await RunNextScriptLineAsync(refresh: false))
        {
        }

        await RefreshBrowserAsync();
    }

    // An edit from the key browser runs as a typed line does (a DEL of one key asks nothing; only FLUSHDB asks).
    private async Task RunEditAsync(string line)
    {
        Remember(line);
        await SendAsync(line);
    }

    // The key browser shows what the console changed (a script refreshes it once, at its end).
    private Task RefreshBrowserAsync() => _browser?.RefreshAsync() ?? Task.CompletedTask;

    private async Task<bool> RunNextScriptLineAsync(bool refresh = true)
    {
        var lines = ScriptLines;
        if (lines.Count > MaxScriptLines)
        {
            ErrorMessage = $"A script runs at most {MaxScriptLines} lines; this one has {lines.Count}. Split it.";
            return false;
        }

        if (Busy || _session is null || _pendingFlush is not null || _scriptNext >= lines.Count)
        {
            return false;
        }

        if (_script.Length >= CommandLineParser.MaxLineLength)
        {
            ErrorMessage = Cut("The script");
            return false;
        }

        var line = lines[_scriptNext++];
        Remember(line);
        if (IsFlushdb(line))
        {
            _pendingFlush = line;
            return false;
        }

        await SendAsync(line, refresh);
        return ErrorMessage is null;
    }

    private Task RunNextLineAsync() => _scriptNext >= ScriptLines.Count ? Task.CompletedTask : RunNextScriptLineAsync();

    // Why a line (or script) as long as its box takes is not run: the browser cut a longer paste there, silently.
    private static string Cut(string what) => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"{what} is {CommandLineParser.MaxLineLength:N0} characters, the most the box takes; a longer paste was cut, so nothing ran.");

    private void ScriptChanged(string value)
    {
        _script = value;
        _scriptNext = 0;
    }

    // Help as you type: the server's own docs for the command, the names that complete it, and a refusal before sending.
    private async Task LineChangedAsync(string value)
    {
        _line = value;
        var hint = await Executor.HintAsync(value ?? "");
        if (_line == value)
        {
            _hint = hint;
        }
    }

    private Task CompleteAsync(string name) => LineChangedAsync(name + " ");

    private async Task OnKeyDownAsync(KeyboardEventArgs e)
    {
        if (e.Key == "ArrowUp" && _history.Count == 0 && !_historyReread && _session is not null)
        {
            // Nothing was there when the page opened (or Redis was too slow to say): look once more, since another
            // page of this learner may have run lines since.
            _historyReread = true;
            _history.AddRange(await Executor.HistoryAsync(_session));
        }

        switch (e.Key)
        {
            case "Enter":
                await RunAsync();
                break;
            case "ArrowUp" when _history.Count > 0:
                _historyIndex = Math.Max(0, (_historyIndex ?? _history.Count) - 1);
                _line = _history[_historyIndex.Value];
                break;
            case "ArrowDown" when _historyIndex is { } i:
                _historyIndex = i + 1 < _history.Count ? i + 1 : null;
                _line = _historyIndex is { } next ? _history[next] : "";
                break;
        }
    }

    private async Task RunAsync()
    {
        var line = _line ?? "";
        if (Busy || _session is null || string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        if (line.Length >= CommandLineParser.MaxLineLength)
        {
            // The box keeps the first MaxLineLength characters of a paste: a line that long was most likely cut.
            _line = "";
            _hint = null;
            Add(new WorkbenchReply(line[..80] + "…", "(error) " + Cut("This line"), true, null, OperationTrace.Empty("Workbench")));
            return;
        }

        Remember(line);
        _line = "";
        _hint = null;
        if (IsFlushdb(line))
        {
            _pendingFlush = line;
            return;
        }

        await SendAsync(line);
    }

    private async Task ConfirmFlushAsync()
    {
        var line = _pendingFlush;
        _pendingFlush = null;
        if (line is not null)
        {
            await SendAsync(line);
        }
    }

    private void CancelFlush() => _pendingFlush = null;

    private async Task SendAsync(string line, bool refresh = true)
    {
        _running = line.Length > 80 ? line[..79] + "…" : line;
        await RunAsync(async () =>
        {
            var reply = await Executor.ExecuteAsync(_session!, line);
            Add(reply);

            return reply.Trace;
        });
        if (refresh)
        {
            await RefreshBrowserAsync();
        }
    }

    // A message on one of the console's subscriptions: printed as redis-cli prints it, between the typed lines.
    private void OnMessage(WorkbenchReply message) => _ = InvokeAsync(() =>
    {
        Add(message);
        StateHasChanged();
    });

    private void Add(WorkbenchReply entry)
    {
        _entries.Add(entry);
        if (_entries.Count > MaxEntries)
        {
            _entries.RemoveAt(0);
        }
    }

    private void Remember(string line)
    {
        if (_history.Count == 0 || _history[^1] != line)
        {
            _history.Add(line);
            if (_session is not null)
            {
                Executor.Remember(_session, line);
            }

            if (_history.Count > MaxHistory)
            {
                _history.RemoveAt(0);
            }
        }

        _historyIndex = null;
    }

    // FLUSHDB asks first (the first word only: "flushdb" as a key of another command is no flush).
    private static bool IsFlushdb(string line)
    {
        var first = line.TrimStart().Split([' ', '\t'], 2)[0].Trim('"', '\'');
        return string.Equals(first, "flushdb", StringComparison.OrdinalIgnoreCase);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _session?.Dispose();
        GC.SuppressFinalize(this);
    }
}
