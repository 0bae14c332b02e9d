using System.Globalization;
using BlazorRedis.Core;
using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Strings;
using BlazorRedis.Core.Tracing;
using MudBlazor;

namespace BlazorRedis.App.Components.Pages.DataStructures.Strings;

/// <summary>The strings demo: a token that expires while you watch, an atomic counter, and the basic string commands.</summary>
public partial class StringsDemo
{
    private string _userId = "42";
    private int? _tokenSeconds = 10;
    private MudNumericField<int?>? _tokenSecondsField;
    private string _name = "greeting";
    private string _value = "hello";
    private string _many = "color=blue\nsize=XL";
    private string? _lengthNote;
    private string? _lengthOf;

    private SessionToken? _token;
    private long? _ttlMs;
    private long _lifetimeMs;
    private long? _views;
    private ConcurrentIncrements? _burst;
    private List<StringEntry> _entries = [];
    private CancellationTokenSource? _countdown;

    private Task IssueTokenAsync() => ActAsync(() =>
        IssueAsync(_userId, RequireNumber(_tokenSecondsField, _tokenSeconds, "lifetime", 1, IStringsDemo.MaxTokenSeconds, " seconds")));

    private async Task<OperationTrace> IssueAsync(string user, int seconds)
    {
        var issued = await Strings.IssueTokenAsync(LearnerId, user, seconds);
        _token = issued.Value;
        _ttlMs = issued.Value.TtlMilliseconds;
        _lifetimeMs = seconds * 1000L;
        StartCountdown(issued.Value.Token);
        return issued.Trace;
    }

    private Task ReadTokenAsync() => _token is null ? Task.CompletedTask : ActAsync(ReadAsync);

    private async Task<OperationTrace> ReadAsync()
    {
        var read = await Strings.ReadTokenAsync(LearnerId, _token!.Token);
        _token = read.Value;
        _ttlMs = read.Value.TtlMilliseconds;
        return read.Trace;
    }

    /// <summary>Asks Redis for the TTL once a second; when the key is gone, reads it with GET to show the (nil).</summary>
    private void StartCountdown(string token)
    {
        _countdown?.Cancel();
        _countdown?.Dispose();
        _countdown = CancellationTokenSource.CreateLinkedTokenSource(PageClosed);
        _ = CountdownAsync(token, _countdown.Token);
    }

    private async Task CountdownAsync(string token, CancellationToken stop)
    {
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            while (await timer.WaitForNextTickAsync(stop))
            {
                var ttl = await Strings.TokenTtlAsync(LearnerId, token);
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                if (ttl.Value >= 0)
                {
                    await InvokeAsync(() =>
                    {
                        _ttlMs = ttl.Value;
                        StateHasChanged();
                    });
                    continue;
                }

                await InvokeAsync(async () =>
                {
                    if (await RunAsync(ReadAsync))
                    {
                        Narration = "The TTL reached 0: Redis deleted the token, and GET now answers (nil). The user must log in again.";
                    }

                    StateHasChanged();
                });
                return;
            }
        }
        catch (OperationCanceledException)
        {
            // A new token replaced this one, or the page closed.
        }
        catch (Exception ex) when (Describe(ex) is { } message)
        {
            await InvokeAsync(() =>
            {
                ErrorMessage = "The countdown stopped: " + message;
                StateHasChanged();
            });
        }
    }

    private Task IncrementAsync() => ActAsync(IncrementOnceAsync);

    private async Task<OperationTrace> IncrementOnceAsync()
    {
        var views = await Strings.IncrementViewsAsync(LearnerId);
        _views = views.Value;
        return views.Trace;
    }

    private Task BurstAsync() => ActAsync(() => FireAsync(1000));

    private async Task<OperationTrace> FireAsync(int count)
    {
        var burst = await Strings.IncrementViewsConcurrentlyAsync(LearnerId, count);
        _burst = burst.Value;
        _views = burst.Value.After;
        return burst.Trace;
    }

    private Task SetAsync() => ActAsync(async () => Written(await Strings.SetAsync(LearnerId, _name, _value)));

    private Task GetAsync() => ActAsync(async () => Remember(await Strings.GetAsync(LearnerId, _name)));

    private Task AppendAsync() => ActAsync(async () => Written(await Strings.AppendAsync(LearnerId, _name, _value)));

    private Task LengthAsync() => ActAsync(async () =>
    {
        var length = await Strings.LengthAsync(LearnerId, _name);
        _lengthNote = string.Create(CultureInfo.InvariantCulture, $"STRLEN {_name.Trim()} = {length.Value} bytes");
        _lengthOf = _name.Trim();
        return length.Trace;
    });

    private Task SetManyAsync() => ActAsync(async () =>
    {
        var pairs = ParsePairs(_many);
        var set = await Strings.SetManyAsync(LearnerId, pairs);
        foreach (var entry in set.Value)
        {
            Upsert(entry);
            ForgetLengthOf(entry.Name);
        }

        return set.Trace;
    });

    /// <summary>Lines of <c>name=value</c>; a line without '=' is refused before anything is sent.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParsePairs(string? text)
    {
        var lines = (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var line in lines)
        {
            var at = line.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                throw new LearnerInputException($"Write each MSET pair as name=value (\"{(line.Length > 20 ? line[..20] + "…" : line)}\" has no name=).");
            }

            pairs.Add(new(line[..at], line[(at + 1)..]));
        }

        return pairs.Count == 0 ? throw new LearnerInputException("Write at least one name=value line for MSET.") : pairs;
    }

    /// <summary>Remembers a value a write returned; a STRLEN answer about that key no longer holds.</summary>
    private OperationTrace Written(Traced<StringEntry> result)
    {
        ForgetLengthOf(result.Value.Name);
        return Remember(result);
    }

    private void ForgetLengthOf(string name)
    {
        if (string.Equals(_lengthOf, name, StringComparison.Ordinal))
        {
            _lengthNote = null;
            _lengthOf = null;
        }
    }

    private OperationTrace Remember(Traced<StringEntry> result)
    {
        Upsert(result.Value);
        return result.Trace;
    }

    private void Upsert(StringEntry entry)
    {
        var at = _entries.FindIndex(e => e.Name == entry.Name);
        if (entry.Value is null)
        {
            if (at >= 0)
            {
                _entries.RemoveAt(at);
            }

            return;
        }

        if (at >= 0)
        {
            _entries[at] = entry;
        }
        else
        {
            _entries.Add(entry);
        }
    }

    /// <inheritdoc/>
    protected override IDataStructureDemo Service => Strings;

    /// <inheritdoc/>
    protected override Task StopLiveWorkAsync()
    {
        _countdown?.Cancel();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    protected override void ClearPicture()
    {
        _token = null;
        _ttlMs = null;
        _views = null;
        _burst = null;
        _entries = [];
        _lengthNote = null;
        _lengthOf = null;
    }

    private Task RunStoryAsync() => RunScenarioAsync(
        "session token and view counter",
        "Done. Watch the token's countdown: when its TTL reaches 0 the page runs GET again and Redis answers (nil).",
        new ScenarioStep("A user logs in: SETEX stores a session token for user 42 that lives 8 seconds.", () => IssueAsync("42", 8)),
        new ScenarioStep("The app checks the token on the next request: GET finds it, PTTL shows the time left.", ReadAsync),
        new ScenarioStep("Three page views: each INCR adds one atomically inside Redis.", async () =>
            OperationTrace.Combine("Three page views", [await IncrementOnceAsync(), await IncrementOnceAsync(), await IncrementOnceAsync()])),
        new ScenarioStep("A thousand visitors at the same instant: 1,000 INCRs in flight at once, and the counter grows by exactly 1,000.", () => FireAsync(1000)),
        new ScenarioStep("Plain values: SET a greeting, APPEND to it, and STRLEN counts its bytes.", async () =>
        {
            var set = await Strings.SetAsync(LearnerId, "greeting", "hello");
            var appended = await Strings.AppendAsync(LearnerId, "greeting", " world");
            var length = await Strings.LengthAsync(LearnerId, "greeting");
            Upsert(appended.Value);
            _lengthNote = string.Create(CultureInfo.InvariantCulture, $"STRLEN greeting = {length.Value} bytes");
            _lengthOf = "greeting";
            return OperationTrace.Combine("SET, APPEND, STRLEN", [set.Trace, appended.Trace, length.Trace]);
        }));

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _countdown?.Cancel();
            _countdown?.Dispose();
        }

        base.Dispose(disposing);
    }
}
