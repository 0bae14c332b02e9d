using System.Globalization;
using BlazorRedis.Core.Tracing;
using BlazorRedis.Core.Workbench;
using Microsoft.AspNetCore.Components;

namespace BlazorRedis.App.Components.Pages.Workbench;

/// <summary>The key browser beside the console (see <see cref="WorkbenchKeyBrowser"/>).</summary>
public partial class KeyBrowser
{
    private readonly List<WorkbenchKeyRow> _rows = [];
    private readonly string[] _fields = ["", "", ""];
    private string _cursor = "0";
    private bool _loaded;
    private WorkbenchKeyView? _view;
    private WorkbenchKeyView? _compare;
    private string? _compareWith;
    private KeyPicture? _picture;
    private string? _removeField;
    private string? _ttlField;
    private string? _editError;

    /// <summary>The console whose keys these are.</summary>
    [Parameter, EditorRequired]
    public WorkbenchSession Session { get; set; } = null!;

    /// <summary>Runs a console line (an edit) through the console, where its reply and commands show.</summary>
    [Parameter]
    public EventCallback<string> OnCommand { get; set; }

    /// <summary>Receives the trace of each listing or read, for the page's trace panel.</summary>
    [Parameter]
    public EventCallback<OperationTrace> OnTrace { get; set; }

    private IReadOnlyList<WorkbenchKeyRow> OtherSets => [.. _rows.Where(r => r.Type == "set" && (_view is null || !r.Raw.AsSpan().SequenceEqual(_view.Row.Raw)))];

    /// <inheritdoc/>
    protected override Task OnInitializedAsync() => RefreshAsync(quiet: true);

    private Task RefreshClickedAsync() => RefreshAsync(quiet: false);

    /// <summary>
    /// Reads the first page again, and the selected key. <paramref name="quiet"/> (after the console changed something):
    /// the page's trace keeps the console's command, and the read is not reported as the learner's action.
    /// </summary>
    public async Task RefreshAsync(bool quiet = true)
    {
        if (await TraceAsync(() => Browser.ListAsync(Session), page =>
        {
            _rows.Clear();
            _rows.AddRange(page.Keys);
            _cursor = page.Cursor;
            return page.Trace;
        }, quiet) && _view is not null)
        {
            await ReadAsync(_view.Row.Raw, keepPicture: true, quiet);
        }

        _loaded = true;
        StateHasChanged();
    }

    private Task<bool> MoreAsync() => TraceAsync(() => Browser.ListAsync(Session, _cursor), page =>
    {
        _rows.AddRange(page.Keys.Where(k => !_rows.Any(r => r.Raw.AsSpan().SequenceEqual(k.Raw))));
        _cursor = page.Cursor;
        return page.Trace;
    });

    private Task<bool> SelectAsync(byte[] raw)
    {
        _compare = null;
        _compareWith = null;
        _editError = null;
        Array.Fill(_fields, "");
        _removeField = null;
        return ReadAsync(raw, keepPicture: false);
    }

    private Task<bool> ReadAsync(byte[] raw, bool keepPicture, bool quiet = false) => TraceAsync(() => Browser.ReadAsync(Session, raw), view =>
    {
        var choices = KeyEdit.Choices(view.Content);
        if (!keepPicture || _picture is not { } p || (!choices.Contains(p) && KeyEdit.Default(view.Content) != p))
        {
            _picture = KeyEdit.Default(view.Content);
        }

        _view = view;
        return view.Trace;
    }, quiet);

    private async Task CompareAsync(string? name)
    {
        _compareWith = name;
        _compare = null;
        if (name is not null && _rows.FirstOrDefault(r => r.Name == name) is { } row)
        {
            await TraceAsync(() => Browser.ReadAsync(Session, row.Raw), view =>
            {
                _compare = view;
                return view.Trace;
            });
        }
    }

    private async Task<bool> TraceAsync<T>(Func<Task<T>> read, Func<T, OperationTrace> apply, bool quiet = false)
    {
        if (quiet)
        {
            try
            {
                ErrorMessage = null;
                apply(await read());
                return true;
            }
            catch (Exception ex) when (Describe(ex) is { } message)
            {
                ErrorMessage = message;
                return false;
            }
        }

        OperationTrace? trace = null;
        var ok = await RunAsync(async () => trace = apply(await read()));
        if (ok && trace is not null)
        {
            await OnTrace.InvokeAsync(trace);
        }

        return ok;
    }

    private Task AddAsync(KeyEdit edit)
    {
        var values = _fields.Take(edit.Fields.Count).Select(v => v ?? "").ToList();
        var empty = values.FindIndex(v => v.Length == 0);
        return empty >= 0 ? Refuse($"Fill in “{edit.Fields[empty]}” first.") : SendAsync(edit.Add(_view!.Row.Raw, values));
    }

    private Task RemoveAsync(KeyEdit edit) => string.IsNullOrEmpty(_removeField)
        ? Refuse($"Fill in “{edit.RemoveLabel}” first.")
        : SendAsync(edit.Remove!(_view!.Row.Raw, _removeField));

    private Task ExpireAsync() => long.TryParse(_ttlField, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
        ? SendAsync(KeyEdit.Expire(_view!.Row.Raw, seconds))
        : Refuse("A TTL is a whole number of seconds above 0, such as 60.");

    private Task PersistAsync() => SendAsync(KeyEdit.Persist(_view!.Row.Raw));

    private Task DeleteAsync() => SendAsync(KeyEdit.Delete(_view!.Row.Raw));

    private Task Refuse(string message)
    {
        _editError = message;
        return Task.CompletedTask;
    }

    private async Task SendAsync(string line)
    {
        _editError = null;
        await OnCommand.InvokeAsync(line);
    }

    private static string PictureName(KeyPicture picture) => picture switch
    {
        KeyPicture.Text => "Text",
        KeyPicture.Bits => "Bits",
        KeyPicture.Ranked => "Ranked",
        KeyPicture.Map => "Map",
        _ => picture.ToString(),
    };

    private static string More(WorkbenchKeyContent content) => content switch
    {
        StringKeyContent s when s.Length > s.Head.Length => string.Create(CultureInfo.InvariantCulture, $" · the first {s.Head.Length:N0} of {s.Length:N0} bytes shown"),
        HyperLogLogKeyContent or MissingKeyContent or StringKeyContent => "",
        _ when content.Total > content.Shown => string.Create(CultureInfo.InvariantCulture, $" · {content.Shown:N0} of {content.Total:N0} shown"),
        _ => string.Create(CultureInfo.InvariantCulture, $" · {content.Total:N0} {(content.Total == 1 ? "element" : "elements")}"),
    };

    /// <summary>A TTL as a learner reads it: "no TTL", "45 s", "12 min 5 s", "1 h 0 min".</summary>
    public static string Ttl(long? milliseconds)
    {
        if (milliseconds is not { } ms)
        {
            return "no TTL";
        }

        var t = TimeSpan.FromMilliseconds(ms);
        return t.TotalSeconds < 60
            ? string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, Math.Ceiling(t.TotalSeconds)):0} s")
            : t.TotalHours < 1
                ? string.Create(CultureInfo.InvariantCulture, $"{t.Minutes} min {t.Seconds} s")
                : string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours} h {t.Minutes} min");
    }

    /// <summary>Bytes as a learner reads them: "56 B", "1.2 KB".</summary>
    public static string Bytes(long? bytes) => bytes switch
    {
        null => "—",
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
    };
}
