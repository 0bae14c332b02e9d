using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Hashes;
using BlazorRedis.Core.Tracing;
using MudBlazor;

namespace BlazorRedis.App.Components.Pages.DataStructures.Hashes;

/// <summary>The hashes demo: a user profile as one hash, and what that saves against one key per field.</summary>
public partial class HashesDemo
{
    private string _field = "city";
    private string _value = "Bengaluru";
    private string _counter = "followers";
    // An int: the increments the demo takes (±IHashesDemo.MaxIncrement) fit one, so the whole-number field's converter serves.
    private int? _by = 1;
    private MudNumericField<int?>? _byField;
    private string? _highlight;
    private HashState? _profile;
    private MemoryComparison? _memory;

    /// <summary>Per-field expiry depends on the server: true only from Redis 7.4 (HEXPIRE), so the lesson asks the status probe.</summary>
    private string FieldExpiry => System.Version.TryParse(Status.Current.Version, out var version)
        ? version >= new System.Version(7, 4)
            ? $"each field can have its own expiry: this server runs Redis {version}, and since 7.4 HEXPIRE, HTTL and HPERSIST work on single fields."
            : $"this server (Redis {version}) expires a whole key, not single fields: per-field expiry (HEXPIRE) arrived in Redis 7.4."
        : "before Redis 7.4 a whole key expires, not single fields; from 7.4, HEXPIRE gives a field its own expiry.";

    protected override Task OnInitializedAsync() => RunAsync(ReadProfileAsync, learnerAction: false);

    private async Task<OperationTrace> ReadProfileAsync()
    {
        var read = await Hashes.ReadProfileAsync(LearnerId);
        _profile = read.Value;
        return read.Trace;
    }

    private Task SetAsync() => ActAsync(() => SetFieldsAsync(new KeyValuePair<string, string>(_field, _value)));

    private async Task<OperationTrace> SetFieldsAsync(params KeyValuePair<string, string>[] fields)
    {
        var set = await Hashes.SetFieldsAsync(LearnerId, fields);
        _profile = set.Value;
        _highlight = fields.Length == 1 ? fields[0].Key.Trim() : null;
        return set.Trace;
    }

    private Task ReadAsync() => ActAsync(ReadProfileAsync);

    private Task DeleteAsync() => ActAsync(() => DeleteFieldAsync(_field));

    private async Task<OperationTrace> DeleteFieldAsync(string field)
    {
        var deleted = await Hashes.DeleteFieldAsync(LearnerId, field);
        _profile = deleted.Value;
        _highlight = null;
        return deleted.Trace;
    }

    private Task IncrementAsync() => ActAsync(() =>
        IncrementFieldAsync(_counter, RequireNumber(_byField, _by, "increment", -IHashesDemo.MaxIncrement, IHashesDemo.MaxIncrement)));

    private async Task<OperationTrace> IncrementFieldAsync(string field, long by)
    {
        var bumped = await Hashes.IncrementAsync(LearnerId, field, by);
        _profile = bumped.Value;
        _highlight = field.Trim();
        return bumped.Trace;
    }

    private Task CompareAsync() => ActAsync(CompareMemoryAsync);

    private async Task<OperationTrace> CompareMemoryAsync()
    {
        var compared = await Hashes.CompareMemoryAsync(LearnerId);
        _memory = compared.Value;
        return compared.Trace;
    }

    /// <inheritdoc/>
    protected override IDataStructureDemo Service => Hashes;

    /// <inheritdoc/>
    protected override void ClearPicture()
    {
        _profile = null;
        _memory = null;
        _highlight = null;
    }

    private Task RunStoryAsync() => RunScenarioAsync(
        "a user profile",
        "Done: one key holds the whole profile, its counter moves atomically, and it takes less memory than a key per field.",
        new ScenarioStep("HSET creates profile 77 with four fields in one command.", () => SetFieldsAsync(
            new("username", "alice"), new("email", "alice@example.com"), new("followers", "0"), new("city", "Bengaluru"))),
        new ScenarioStep("HGETALL reads the whole profile back in one round trip.", ReadProfileAsync),
        new ScenarioStep("Three people follow Alice: HINCRBY followers 1, three times, each atomic.", async () =>
            OperationTrace.Combine("Three new followers", [await IncrementFieldAsync("followers", 1), await IncrementFieldAsync("followers", 1), await IncrementFieldAsync("followers", 1)])),
        new ScenarioStep("Alice removes her e-mail address: HDEL deletes one field, the rest stay.", () => DeleteFieldAsync("email")),
        new ScenarioStep("The same fields copied into one string key each, and MEMORY USAGE measures both layouts.", CompareMemoryAsync));
}
