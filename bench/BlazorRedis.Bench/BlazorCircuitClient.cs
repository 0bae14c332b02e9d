using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorRedis.Bench;

/// <summary>What every simulated browser adds to, read by the load driver between steps.</summary>
internal sealed class CircuitCounters
{
    public long RenderBatches;
    public long ChartUpdates;
    public long JsCalls;
    public long BytesReceived;
    public long JsErrors;
    /// <summary>Circuits that failed to open, got JS.Error or lost their connection (each counted once).</summary>
    public long Failed;

    /// <summary>Arrival times of chart updates (the append/update interop calls) while a measuring window is open (null otherwise).</summary>
    public volatile ConcurrentQueue<DateTimeOffset>? Arrivals;

    public readonly ConcurrentQueue<string> ErrorMessages = new();

    public void Note(string message)
    {
        if (ErrorMessages.Count < 20)
        {
            ErrorMessages.Enqueue(message);
        }
    }
}

/// <summary>
/// One simulated browser holding a real Blazor Server circuit on a page, without a browser: it GETs the page with its
/// own cookies, reads the prerendered server-component markers and the protected component state, opens the
/// <c>/_blazor</c> hub over WebSockets and starts the circuit the way blazor.web.js (.NET 10) does —
/// <c>StartCircuit(baseUri, uri, "[]", state)</c>, then <c>UpdateRootComponents({batchId, operations:[add…]}, state)</c>.
/// It then answers what the server sends as the browser would: every <c>JS.RenderBatch</c> with
/// <c>OnRenderCompleted(batchId, null)</c>, every <c>JS.BeginInvokeJS</c> with a successful
/// <c>EndInvokeJSFromDotNet(handle, true, "[handle,true,result]")</c> (a fresh JS object reference where one is asked
/// for, null otherwise). It speaks blazorpack (<see cref="BlazorPackProtocol"/>) like the browser: the hub refuses JSON.
/// </summary>
internal sealed partial class BlazorCircuitClient : IAsyncDisposable
{
    private readonly RenderedHandlers _handlers = new();
    private readonly Lock _renderLock = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<(bool Success, string? Result)>> _calls = new();
    private TaskCompletionSource<long>? _nextRender;
    private long _lastRender;
    private long _rendererInteropId;
    private long _nextCallId;

    private const int JsObjectReferenceResult = 1; // JSCallResultType.JSObjectReference

    private readonly CookieContainer _cookies;
    private readonly CircuitCounters _counters;
    private readonly TaskCompletionSource _live = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HubConnection? _connection;
    private long _nextJsObjectId = 1;
    private int _chartsCreated;
    private bool _disposing;
    private int _failed;
    private int _chartsExpected;
    private string _baseUrl = "";

    private BlazorCircuitClient(CircuitCounters counters, CookieContainer? cookies)
    {
        _counters = counters;
        _cookies = cookies ?? new CookieContainer();
    }

    /// <summary>Each render batch as it arrives (its bytes, and Stopwatch.GetTimestamp()), before it is acknowledged.</summary>
    public Action<byte[], long>? RenderReceived { get; set; }

    /// <summary>Each JS call the server makes (its identifier and arguments, and Stopwatch.GetTimestamp()), such as a navigation.</summary>
    public Action<string, string?, long>? JsInvoked { get; set; }

    public string? CircuitId { get; private set; }

    /// <summary>Opens <paramref name="path"/> and waits until the circuit has rendered (on /metrics: created its three charts).</summary>
    public static async Task<BlazorCircuitClient> OpenAsync(string baseUrl, string path, CircuitCounters counters, TimeSpan timeout, CookieContainer? cookies = null)
    {
        var client = new BlazorCircuitClient(counters, cookies) { _chartsExpected = path == "/metrics" ? 3 : 0 };
        try
        {
            await client.StartAsync(baseUrl.TrimEnd('/'), path, timeout);
            return client;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            client.Fail("open failed: " + ex.Message);
            await client.DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync(string baseUrl, string path, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        _baseUrl = baseUrl;
        var pageUri = baseUrl + path;
        string html;
        using (var http = new HttpClient(new SocketsHttpHandler { CookieContainer = _cookies, UseCookies = true }))
        {
            html = await http.GetStringAsync(pageUri, cts.Token);
        }

        var operations = new JsonArray();
        var ssrComponentId = 1;
        foreach (Match m in MarkerRegex().Matches(html))
        {
            var marker = JsonNode.Parse(m.Groups["json"].Value)!.AsObject();
            if ((string?)marker["type"] == "server")
            {
                operations.Add(new JsonObject { ["type"] = "add", ["ssrComponentId"] = ssrComponentId++, ["marker"] = marker });
            }
        }

        if (operations.Count == 0)
        {
            throw new InvalidOperationException($"{path} has no interactive server component markers.");
        }

        var state = StateRegex().Match(html) is { Success: true } s ? s.Groups["state"].Value : "";
        var batch = new JsonObject { ["batchId"] = 1, ["operations"] = operations }.ToJsonString();

        var builder = new HubConnectionBuilder();
        builder.Services.AddSingleton<IHubProtocol>(new BlazorPackProtocol(failure => Fail("cannot bind " + failure)));
        _connection = builder
            .WithUrl(baseUrl + "/_blazor", o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.Cookies = _cookies;
                o.WebSocketFactory = async (context, token) =>
                {
                    var socket = new ClientWebSocket();
                    socket.Options.Cookies = _cookies;
                    await socket.ConnectAsync(context.Uri, token);
                    return new CountingWebSocket(socket, n => Interlocked.Add(ref _counters.BytesReceived, n));
                };
            })
            .Build();
        _connection.ServerTimeout = TimeSpan.FromSeconds(60);
        Register(_connection);
        await _connection.StartAsync(cts.Token);
        CircuitId = await _connection.InvokeAsync<string?>("StartCircuit", baseUrl + "/", pageUri, "[]", state, cts.Token)
            ?? throw new InvalidOperationException("StartCircuit returned no circuit id.");
        await _connection.SendAsync("UpdateRootComponents", batch, state, cts.Token);
        await _live.Task.WaitAsync(cts.Token);
    }

    private void Register(HubConnection connection)
    {
        connection.On<long, byte[]>("JS.RenderBatch", async (batchId, batch) =>
        {
            Interlocked.Increment(ref _counters.RenderBatches);
            RenderReceived?.Invoke(batch, Stopwatch.GetTimestamp());
            _handlers.Apply(batch); // before the acknowledgement, as the browser does: only then may the server drop disposed handlers
            var now = Stopwatch.GetTimestamp();
            Interlocked.Exchange(ref _lastRender, now);
            lock (_renderLock)
            {
                _nextRender?.TrySetResult(now);
                _nextRender = null;
            }
            if (_chartsExpected == 0 && batchId > 2)
            {
                _live.TrySetResult(); // a page without charts is live once its first real render arrived
            }

            await connection.SendAsync("OnRenderCompleted", batchId, null);
        });

        connection.On<long, string, string?, int, long, int>("JS.BeginInvokeJS", async (handle, identifier, argsJson, resultType, _, _) =>
        {
            Interlocked.Increment(ref _counters.JsCalls);
            JsInvoked?.Invoke(identifier, argsJson, Stopwatch.GetTimestamp());
            if (identifier == "Blazor._internal.attachWebRendererInterop" && argsJson is not null)
            {
                // [rendererId, {"__dotNetObject": id}, ...]: the object the browser dispatches DOM events to.
                var id = JsonNode.Parse(argsJson)?[1]?["__dotNetObject"]?.GetValue<long>() ?? 0;
                Interlocked.Exchange(ref _rendererInteropId, id);
            }

            switch (identifier)
            {
                case "create" when Interlocked.Increment(ref _chartsCreated) == _chartsExpected:
                    _live.TrySetResult();
                    break;
                case "append" or "update":
                    _counters.Arrivals?.Enqueue(DateTimeOffset.UtcNow);
                    Interlocked.Increment(ref _counters.ChartUpdates);
                    break;
            }

            if (handle == 0)
            {
                return; // fire-and-forget call: the browser sends nothing back
            }

            var result = resultType == JsObjectReferenceResult
                ? new JsonObject { ["__jsObjectId"] = Interlocked.Increment(ref _nextJsObjectId) }
                : BrowserAnswer(identifier);
            var reply = new JsonArray(handle, true, result).ToJsonString();
            await connection.SendAsync("EndInvokeJSFromDotNet", handle, true, reply);
        });

        connection.On<string>("JS.Error", message =>
        {
            Interlocked.Increment(ref _counters.JsErrors);
            Fail("JS.Error: " + message);
        });
        connection.On<string, bool, string?>("JS.EndInvokeDotNet", (callId, success, result) =>
        {
            if (_calls.TryRemove(callId, out var call))
            {
                call.TrySetResult((success, result));
            }
        });
        connection.On<long>("JS.EndUpdateRootComponents", _ => { });
        connection.On<int, string>("JS.AttachComponent", (_, _) => { });
        connection.Closed += ex =>
        {
            if (!_disposing)
            {
                Fail("connection closed: " + (ex?.Message ?? "by the server"));
            }

            return Task.CompletedTask;
        };
    }

    /// <summary>What a 1920×1080 browser answers to the calls on this page that expect a value; null for the rest.</summary>
    private static JsonNode? BrowserAnswer(string identifier) => identifier switch
    {
        "window.hasOwnProperty" => true,
        "mudpopoverHelper.countProviders" => 1,
        "mudResizeListener.getBrowserWindowSize" => new JsonObject { ["width"] = 1920, ["height"] = 1080 },
        "mudElementRef.getBoundingClientRect" => new JsonObject
        {
            ["top"] = 0,
            ["left"] = 0,
            ["width"] = 1920,
            ["height"] = 1080,
            ["windowWidth"] = 1920,
            ["windowHeight"] = 1080,
            ["scrollX"] = 0,
            ["scrollY"] = 0,
        },
        _ => null,
    };

    /// <summary>Counts this circuit as failed (once) and ends a wait for it to go live.</summary>
    private void Fail(string message)
    {
        _counters.Note(message);
        if (Interlocked.Exchange(ref _failed, 1) == 0)
        {
            Interlocked.Increment(ref _counters.Failed);
        }

        _live.TrySetException(new InvalidOperationException(message));
    }

    /// <summary>True once the circuit failed (JS.Error, closed by the server, or could not open).</summary>
    public bool HasFailed => Volatile.Read(ref _failed) == 1;

    /// <summary>The live DOM event handlers the render batches so far have attached (and not disposed).</summary>
    public IReadOnlyList<RenderedHandler> Handlers => _handlers.Live();

    /// <summary>What a dispatched event did: when the server finished handling it (null: not within the timeout), whether it
    /// succeeded, and when the last render batch before that arrived (null: the handler rendered nothing).</summary>
    public sealed record EventOutcome(TimeSpan? Handled, bool Succeeded, string? Error, TimeSpan? Rendered);

    /// <summary>
    /// Dispatches a DOM event as blazor.web.js does — <c>BeginInvokeDotNetFromJS(callId, null, "DispatchEventAsync",
    /// rendererInteropId, "[descriptor, eventArgs]")</c>. The server renders what the handler changed and sends that batch
    /// before it completes the call (<c>JS.EndInvokeDotNet</c>) on the same connection, so the last batch that arrived
    /// between the send and the completion is the event's render.
    /// </summary>
    public async Task<EventOutcome> DispatchAsync(RenderedHandler handler, JsonNode eventArgs, TimeSpan timeout)
    {
        var interop = Interlocked.Read(ref _rendererInteropId);
        if (_connection is null || interop == 0)
        {
            throw new InvalidOperationException("The circuit has not attached its renderer yet.");
        }

        var descriptor = new JsonObject { ["eventHandlerId"] = handler.Id, ["eventName"] = handler.EventName, ["eventFieldInfo"] = null };
        var args = new JsonArray(descriptor, eventArgs).ToJsonString();
        var callId = Interlocked.Increment(ref _nextCallId).ToString(Bench.Inv);
        var call = new TaskCompletionSource<(bool Success, string? Result)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _calls[callId] = call;
        var started = Stopwatch.GetTimestamp();
        await _connection.SendAsync("BeginInvokeDotNetFromJS", callId, null, "DispatchEventAsync", interop, args);
        if (await Task.WhenAny(call.Task, Task.Delay(timeout)) != call.Task)
        {
            _calls.TryRemove(callId, out _);
            return new EventOutcome(null, false, "timeout", null);
        }

        var (success, result) = await call.Task;
        var handled = Stopwatch.GetElapsedTime(started);
        var lastRender = Interlocked.Read(ref _lastRender);
        return new EventOutcome(handled, success, success ? null : result, lastRender > started ? Stopwatch.GetElapsedTime(started, lastRender) : null);
    }

    /// <summary>An in-app navigation (a click on a nav link): <c>OnLocationChanged(uri, null, intercepted: true)</c>.</summary>
    public Task<TimeSpan?> NavigateAsync(string path, TimeSpan timeout) =>
        _connection is null
            ? throw new InvalidOperationException("Not connected.")
            : AwaitRenderAfterAsync(() => _connection.SendAsync("OnLocationChanged", _baseUrl + path, null, true), timeout);

    private async Task<TimeSpan?> AwaitRenderAfterAsync(Func<Task> send, TimeSpan timeout)
    {
        var next = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_renderLock)
        {
            _nextRender = next;
        }

        var started = Stopwatch.GetTimestamp();
        await send();
        var finished = await Task.WhenAny(next.Task, Task.Delay(timeout));
        if (finished != next.Task)
        {
            lock (_renderLock)
            {
                if (_nextRender == next)
                {
                    _nextRender = null;
                }
            }

            return null;
        }

        return Stopwatch.GetElapsedTime(started, await next.Task);
    }

    /// <summary>
    /// Leaves like a closing tab: blazor.web.js sends a beacon (POST _blazor/disconnect, form field circuitId) so the server
    /// disposes the circuit at once instead of keeping it as a disconnected circuit for a possible reconnect.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (CircuitId is not null)
        {
            try
            {
                using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = _cookies, UseCookies = true });
                using var form = new FormUrlEncodedContent([new("circuitId", CircuitId)]);
                using var response = await http.PostAsync(_baseUrl + "/_blazor/disconnect", form);
                if (!response.IsSuccessStatusCode)
                {
                    _counters.Note($"disconnect beacon answered {(int)response.StatusCode}");
                }
            }
            catch (HttpRequestException)
            {
                // The app is gone already: nothing left to release.
            }
        }
    }

    [GeneratedRegex("<!--Blazor:(?<json>\\{.*?\\})-->", RegexOptions.Singleline)]
    private static partial Regex MarkerRegex();

    [GeneratedRegex("<!--Blazor-Server-Component-State:(?<state>[A-Za-z0-9+/=]+)-->")]
    private static partial Regex StateRegex();
}
