using System.Globalization;
using BlazorRedis.App.Components.Shared;
using BlazorRedis.Core.Caching.Eviction;
using BlazorRedis.Core.Text;
using Microsoft.AspNetCore.Components;

namespace BlazorRedis.App.Components.Pages.Caching;

/// <summary>The eviction lab page: a form for the workload, the measured outcome, the trace and the lesson.</summary>
public sealed partial class EvictionLabPage : TracedComponentBase
{
    // The smallest value size the field takes: the workload's smallest (256 bytes) is below one KB.
    private const int MinValueKb = 1;
    private string _policy = EvictionPolicies.AllKeysLru;
    private MudBlazor.MudNumericField<int?>? _keysField;
    private MudBlazor.MudNumericField<int?>? _valueKbField;
    private MudBlazor.MudNumericField<int?>? _hotKeysField;
    private MudBlazor.MudNumericField<int?>? _ttlPercentField;
    private int? _keys = 600;
    private int? _valueKb = 4;
    private int? _hotKeys = 30;
    private int? _ttlPercent = 50;
    private EvictionRunResult? _result;
    private EvictionLabStatus _status = new(true, null, false, null, 0, false);

    [Inject]
    private IEvictionLab Lab { get; set; } = null!;

    protected override void OnInitialized()
    {
        _status = Lab.Status;
        ShowLastRun();
        Lab.RunFinished += OnRunFinished;
    }

    public void Dispose() => Lab.RunFinished -= OnRunFinished;

    // The class shares one sandbox, and only the teacher fills it: every open page shows the run that finished last.
    private void OnRunFinished() => _ = InvokeAsync(() =>
    {
        if (!Busy) // the browser that ran it shows its own result
        {
            ShowLastRun();
            StateHasChanged();
        }
    });

    private void ShowLastRun()
    {
        _status = Lab.Status;
        if (Lab.LastRun is { } last)
        {
            _result = last.Value;
            LastTrace = last.Trace;
        }
    }

    /// <summary>The accepted writes, accounted for: each one survived, was evicted or expired (read under noeviction, so they add up).</summary>
    internal static string Tally(EvictionRunResult r)
    {
        var survived = r.Survivors.Count;
        var text = $"Of the {Wording.Count(r.Written, "accepted write")}: {survived} survived, {r.EvictedKeys} evicted (evicted_keys)"
            + (r.ExpiredKeys > 0 ? $", {r.ExpiredKeys} expired (expired_keys)" : "") + ".";
        var unaccounted = r.Written - survived - r.EvictedKeys - r.ExpiredKeys;
        return unaccounted == 0 ? text : $"{text} They differ from the writes by {unaccounted}: something else changed the sandbox during the run.";
    }

    private async Task RunLabAsync()
    {
        // A double click sends two events before the disabled button is drawn: the second one must not queue a run.
        if (Busy || RefuseUnlessTeacher())
        {
            return;
        }

        var result = await RunAsync(() =>
        {
            // Each field in its range before the sandbox is touched; the KB are checked before they are multiplied, so a
            // huge size cannot wrap around into a small one.
            var keys = RequireNumber(_keysField, _keys, "number of keys", EvictionWorkload.MinKeys, EvictionWorkload.MaxKeys);
            var valueKb = RequireNumber(_valueKbField, _valueKb, "value size", MinValueKb, EvictionWorkload.MaxValueBytes / 1024, " KB");
            var hotKeys = RequireNumber(_hotKeysField, _hotKeys, "number of hot keys", 0, keys / 2, $" (half of the {keys} keys)");
            var ttlPercent = RequireNumber(_ttlPercentField, _ttlPercent, "share of keys with a TTL", 0, 100, " %");
            return Lab.RunAsync(new EvictionWorkload { Policy = _policy, Keys = keys, ValueBytes = valueKb * 1024, HotKeys = hotKeys, TtlPercent = ttlPercent });
        });
        if (result is not null)
        {
            _result = result;
        }

        _status = Lab.Status;
    }

    /// <summary>One line per policy, in plain words.</summary>
    internal static string Describe(string policy) => policy switch
    {
        EvictionPolicies.NoEviction => "Evicts nothing. When memory is full, writes fail with an OOM error; reads keep working.",
        EvictionPolicies.AllKeysLru => "Evicts the key used least recently, among all keys. The usual choice for a cache.",
        EvictionPolicies.AllKeysLfu => "Evicts the key used least often (a slowly decaying counter), among all keys. Popular keys stay.",
        EvictionPolicies.AllKeysRandom => "Evicts any key at random. Cheap; fine when every key is as likely to be read as any other.",
        EvictionPolicies.VolatileLru => "Like allkeys-lru, but only keys with a TTL can go. Keys without one are never evicted.",
        EvictionPolicies.VolatileLfu => "Like allkeys-lfu, but only among keys with a TTL.",
        EvictionPolicies.VolatileRandom => "A random key, but only among keys with a TTL.",
        EvictionPolicies.VolatileTtl => "The key with a TTL that would expire soonest goes first.",
        _ => "",
    };

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.00", CultureInfo.InvariantCulture) + " MB";

    private static double MemoryPercent(EvictionRunResult r) => r.MaxMemoryBytes == 0 ? 0 : Math.Min(100, 100.0 * r.UsedMemoryBytes / r.MaxMemoryBytes);

    private static string Share(int part, int whole) => whole == 0 ? "–" : (100.0 * part / whole).ToString("0", CultureInfo.InvariantCulture) + " %";

    private static string KeyClass(EvictionKey k) =>
        "br-key" + (k.Hot ? " br-hot" : "") + (k.HasTtl ? " br-ttl" : "") + k.Outcome switch
        {
            KeyOutcome.Survived => " br-survived",
            KeyOutcome.Evicted => " br-evicted",
            _ => " br-rejected",
        };
}
