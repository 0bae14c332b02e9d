using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using StackExchange.Redis;
using static BlazorRedis.Bench.Bench;

namespace BlazorRedis.Bench;

/// <summary>
/// The soak (issue 10 §6): simulated learners, each with its own cookies, a Blazor circuit (<see cref="BlazorCircuitClient"/>)
/// and an HTTP client, do random things for a while — open pages, navigate, click buttons and fill fields the way
/// blazor.web.js dispatches DOM events, and call the REST API (products with every write strategy, sessions, rate limits,
/// pub/sub) — while <c>faults</c> (a script from bench/soak.sh) restarts Redis once and pauses it once. It prints markdown:
/// actions by kind, errors by kind, write-behind accepted vs applied after the queue drained, app and Redis memory,
/// click-to-render times. Write-behind writes go through the API only, where every acceptance is seen (202 + entry id):
/// the circuits skip the Write-behind button so "accepted" is exactly what the learners were told.
/// </summary>
internal static class SoakLoad
{
    private static readonly string[] Pages =
    [
        "/", "/metrics", "/pubsub", "/rate-limiting", "/sessions", "/caching", "/caching/stampede", "/caching/invalidation",
        "/caching/eviction", "/caching/load", "/caching/strategies", "/data-structures", "/data-structures/strings",
        "/data-structures/lists", "/data-structures/sets", "/data-structures/sorted-sets", "/data-structures/hashes",
        "/data-structures/bitmaps", "/data-structures/hyperloglog", "/data-structures/geo", "/data-structures/streams",
    ];

    private static readonly string[] Algorithms = ["fixed-window", "sliding-log", "sliding-counter", "token-bucket"];
    private static readonly string[] Words = ["apple", "42", "", "redis", "hello world", "-7", "3.5", "ünïcødé ✓", "x", "user:1", new string('z', 300), "0"];
    private static readonly TimeSpan RenderTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan HandleTimeout = TimeSpan.FromSeconds(30); // a learner waits this long for a button (a load run takes seconds)
    private static readonly TimeSpan AfterFault = TimeSpan.FromSeconds(20);

    private sealed class Tally
    {
        public readonly ConcurrentDictionary<string, long> Actions = new();
        public readonly ConcurrentDictionary<string, long> Errors = new();
        public readonly ConcurrentBag<double> ClickToRender = [];
        public readonly ConcurrentBag<double> NavigateToRender = [];
        public readonly ConcurrentBag<double> ClickHandled = [];
        public readonly ConcurrentQueue<string> Samples = new();
        public readonly ConcurrentBag<string> AcceptedEntryIds = [];
        public long WriteBehindAmbiguous;
        public long ClicksWithoutRender;

        public void Action(string kind) => Actions.AddOrUpdate(kind, 1, (_, n) => n + 1);

        public void Error(string kind, string? sample = null)
        {
            Errors.AddOrUpdate(kind, 1, (_, n) => n + 1);
            if (sample is not null && Samples.Count < 40)
            {
                Samples.Enqueue($"{kind}: {sample}");
            }
        }
    }

    /// <summary>Faults in progress (the fault script is running); errors then and up to <see cref="AfterFault"/> later are marked as during a fault.</summary>
    private static int _faultRunning;

    private sealed record Fault(string Name, DateTimeOffset Start, DateTimeOffset End);

    public static async Task RunAsync(string baseUrl, int appPid, string redis, int learners, TimeSpan duration, string faultScript)
    {
        baseUrl = baseUrl.TrimEnd('/');
        var tally = new Tally();
        var faults = new ConcurrentQueue<Fault>();
        using var http0 = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        var products = (await http0.GetFromJsonAsync<JsonObject>("/api/products"))!["data"]!.AsArray()
            .Select(p => p!.AsObject()).ToList();
        var appliedBefore = (await http0.GetFromJsonAsync<JsonObject>("/api/cache/write-behind"))!["appliedWrites"]!.GetValue<int>();

        await using var mux = await ConnectionMultiplexer.ConnectAsync($"{redis},abortConnect=false,allowAdmin=true,syncTimeout=1000,asyncTimeout=1000,connectTimeout=1000");
        var samplesRss = new List<long>();
        var samplesRedis = new List<long>();
        using var stopSampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stopSampling.IsCancellationRequested)
            {
                lock (samplesRss)
                {
                    samplesRss.Add(RssKiB(appPid));
                }

                try
                {
                    var used = await RedisUsedMemoryAsync(mux);
                    lock (samplesRedis)
                    {
                        samplesRedis.Add(used);
                    }
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    // Redis is down or paused: no sample.
                }

                try
                {
                    await Task.Delay(1000, stopSampling.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        await Task.Delay(1500);
        var rssStart = RssKiB(appPid);
        var redisStart = await RedisUsedMemoryAsync(mux);

        var clock = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        using var stop = new CancellationTokenSource(duration);
        var faultTask = Task.Run(async () =>
        {
            await Task.Delay(duration * 0.35);
            faults.Enqueue(await RunFaultAsync(faultScript, "restart"));
            await Task.Delay(duration * 0.35);
            faults.Enqueue(await RunFaultAsync(faultScript, "pause"));
        });

        var workers = Enumerable.Range(0, learners).Select(i => Task.Run(() => LearnerAsync(i, baseUrl, products, tally, faults, stop.Token))).ToList();
        await Task.WhenAll(workers);
        await faultTask;
        var ran = clock.Elapsed;

        // The queue drains: every accepted write-behind write must reach the database exactly once.
        var drain = Stopwatch.StartNew();
        JsonObject status;
        while (true)
        {
            status = await TryGetStatusAsync(http0) ?? new JsonObject();
            if (status["queueLength"]?.GetValue<long>() == 0 && status["pending"]?.GetValue<long>() == 0)
            {
                break;
            }

            if (drain.Elapsed > TimeSpan.FromMinutes(5))
            {
                break;
            }

            await Task.Delay(500);
        }

        var drained = drain.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(2)); // an app RSS "end" after the learners left and the queue drained
        stopSampling.Cancel();
        await sampler;
        var rssEnd = RssKiB(appPid);
        var redisEnd = await RedisUsedMemoryAsync(mux);
        var streamLength = await mux.GetDatabase().StreamLengthAsync("br:{cache}:writebehind:queue").ConfigureAwait(false);

        var accepted = tally.AcceptedEntryIds.Count;
        var distinctAccepted = tally.AcceptedEntryIds.Distinct(StringComparer.Ordinal).Count();
        var applied = status["appliedWrites"]?.GetValue<int>() - appliedBefore;
        var lost = status["lostWrites"]?.GetValue<long>();

        Console.WriteLine($"Learners: {learners}; ran {ran.TotalSeconds.ToString("0", Inv)} s from {started:HH:mm:ss}Z.");
        Console.WriteLine();
        Console.WriteLine("Faults injected (times from the start of the run):");
        Console.WriteLine();
        foreach (var f in faults)
        {
            Console.WriteLine($"- {f.Name}: {(f.Start - started).TotalSeconds.ToString("0", Inv)} s → {(f.End - started).TotalSeconds.ToString("0.0", Inv)} s");
        }

        Console.WriteLine();
        Console.WriteLine("### Actions");
        Console.WriteLine();
        Console.WriteLine("| Action | Count |");
        Console.WriteLine("|---|---:|");
        foreach (var (kind, n) in tally.Actions.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"| {kind} | {n.ToString("N0", Inv)} |");
        }

        Console.WriteLine($"| **all** | **{tally.Actions.Values.Sum().ToString("N0", Inv)}** |");
        Console.WriteLine();
        Console.WriteLine("### Errors by kind");
        Console.WriteLine();
        Console.WriteLine("| Kind | Count |");
        Console.WriteLine("|---|---:|");
        foreach (var (kind, n) in tally.Errors.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"| {kind} | {n.ToString("N0", Inv)} |");
        }

        if (tally.Errors.IsEmpty)
        {
            Console.WriteLine("| (none) | 0 |");
        }

        Console.WriteLine();
        Console.WriteLine("### Write-behind");
        Console.WriteLine();
        Console.WriteLine("| Accepted (202, distinct entry ids) | Applied by the database after the drain | Ambiguous (no answer / 503 after the command was sent) | Queue after drain (XLEN) | Lost writes reported | Drain took |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| {accepted.ToString("N0", Inv)} ({distinctAccepted.ToString("N0", Inv)}) | {applied?.ToString("N0", Inv) ?? "unknown"} | {tally.WriteBehindAmbiguous} | {streamLength} | {lost?.ToString(Inv) ?? "?"} | {drained.TotalSeconds.ToString("0.0", Inv)} s |");
        Console.WriteLine();
        var ambiguous = Interlocked.Read(ref tally.WriteBehindAmbiguous);
        Console.WriteLine(
            applied == accepted && accepted == distinctAccepted
                ? "**accepted == applied**: as many writes were applied as were answered 202, the queue is empty and none was reported lost."
                : applied > accepted && applied <= accepted + ambiguous && lost == 0 && streamLength == 0
                    ? $"**accepted != applied: {applied - accepted} more applied than accepted**, within the {ambiguous} writes answered without a 202 after " +
                      "their command may have reached Redis (503 \"may or may not have been applied\", or no answer): those writes were in fact queued and " +
                      "applied, as the 503 warns. The counts fit every 202 applied exactly once; the API gives the applied count, not the ids, so the " +
                      "bench cannot check it id by id."
                    : $"**accepted != applied** ({accepted} accepted, {applied} applied, {ambiguous} ambiguous, {lost} lost, {streamLength} left in the stream): a write was lost or applied twice.");
        Console.WriteLine();
        Console.WriteLine("### Memory and latency");
        Console.WriteLine();
        var clicks = tally.ClickToRender.Order().ToList();
        var navs = tally.NavigateToRender.Order().ToList();
        var handled = tally.ClickHandled.Order().ToList();
        Console.WriteLine("| Measure | Start | Peak | End |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| App RSS | {Mib(rssStart)} MiB | {Mib(samplesRss.Max())} MiB | {Mib(rssEnd)} MiB |");
        Console.WriteLine($"| Redis used_memory | {Mib(redisStart / 1024)} MiB | {Mib(samplesRedis.DefaultIfEmpty(redisStart).Max() / 1024)} MiB | {Mib(redisEnd / 1024)} MiB |");
        Console.WriteLine();
        Console.WriteLine("| Latency | Count | p50 | p95 | p99 | max |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| Click/fill → its render batch | {clicks.Count.ToString("N0", Inv)} | {Ms(Percentile(clicks, 50))} ms | {Ms(Percentile(clicks, 95))} ms | {Ms(Percentile(clicks, 99))} ms | {Ms(clicks.LastOrDefault(double.NaN))} ms |");
        Console.WriteLine($"| Click/fill → handled (every event) | {handled.Count.ToString("N0", Inv)} | {Ms(Percentile(handled, 50))} ms | {Ms(Percentile(handled, 95))} ms | {Ms(Percentile(handled, 99))} ms | {Ms(handled.LastOrDefault(double.NaN))} ms |");
        Console.WriteLine($"| Navigation → next render batch | {navs.Count.ToString("N0", Inv)} | {Ms(Percentile(navs, 50))} ms | {Ms(Percentile(navs, 95))} ms | {Ms(Percentile(navs, 99))} ms | {Ms(navs.LastOrDefault(double.NaN))} ms |");
        Console.WriteLine();
        Console.WriteLine($"Clicks and fills whose handler rendered nothing (it changed nothing on screen; not an error): {tally.ClicksWithoutRender.ToString("N0", Inv)}.");
        if (!tally.Samples.IsEmpty)
        {
            Console.WriteLine();
            Console.WriteLine("Error samples (first of each kind):");
            Console.WriteLine();
            foreach (var sample in tally.Samples.DistinctBy(s => s.Split(':')[0]).Take(15))
            {
                Console.WriteLine($"- `{sample.ReplaceLineEndings(" ")[..Math.Min(300, sample.Length)]}`");
            }
        }
    }

    private static async Task<long> RedisUsedMemoryAsync(ConnectionMultiplexer mux)
    {
        var info = await mux.GetServers()[0].InfoAsync("memory");
        var value = info.SelectMany(g => g).First(kv => kv.Key == "used_memory").Value;
        return long.Parse(value, Inv);
    }

    private static async Task<JsonObject?> TryGetStatusAsync(HttpClient http)
    {
        try
        {
            return await http.GetFromJsonAsync<JsonObject>("/api/cache/write-behind");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static async Task<Fault> RunFaultAsync(string script, string name)
    {
        Interlocked.Increment(ref _faultRunning);
        var start = DateTimeOffset.UtcNow;
        using var process = Process.Start(new ProcessStartInfo("bash", [script, name]) { UseShellExecute = false })!;
        await process.WaitForExitAsync();
        Interlocked.Decrement(ref _faultRunning);
        return new Fault(name == "restart" ? "Redis killed (SIGKILL) and restarted from its AOF" : "Redis paused (SIGSTOP 5 s, then SIGCONT)", start, DateTimeOffset.UtcNow);
    }

    private static async Task LearnerAsync(int learner, string baseUrl, List<JsonObject> products, Tally tally, ConcurrentQueue<Fault> faults, CancellationToken stop)
    {
        var random = new Random(learner * 7919 + Environment.TickCount);
        var counters = new CircuitCounters();
        var cookies = new CookieContainer();
        using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        BlazorCircuitClient? circuit = null;
        var faultActive = () => faults.Any(f => DateTimeOffset.UtcNow <= f.End + AfterFault) || Volatile.Read(ref _faultRunning) > 0;
        var seq = 0;
        await Task.Delay(random.Next(0, 3000), CancellationToken.None); // learners arrive over a few seconds
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    if (circuit is null || circuit.HasFailed)
                    {
                        if (circuit is not null)
                        {
                            tally.Error(faultActive() ? "circuit lost (during/after a Redis fault)" : "circuit lost", string.Join("; ", counters.ErrorMessages.Distinct().Take(2)));
                            await circuit.DisposeAsync();
                            circuit = null;
                        }

                        var page = Pages[random.Next(Pages.Length)];
                        tally.Action($"page open (new circuit) {page}");
                        circuit = await BlazorCircuitClient.OpenAsync(baseUrl, page, counters, TimeSpan.FromSeconds(30));
                    }
                    else
                    {
                        var roll = random.NextDouble();
                        if (roll < 0.45)
                        {
                            await CircuitEventAsync(circuit, random, tally);
                        }
                        else if (roll < 0.55)
                        {
                            var page = Pages[random.Next(Pages.Length)];
                            tally.Action($"navigate {page}");
                            var t = await circuit.NavigateAsync(page, RenderTimeout);
                            if (t is { } took)
                            {
                                tally.NavigateToRender.Add(took.TotalMilliseconds);
                            }
                        }
                        else if (roll < 0.57)
                        {
                            await circuit.DisposeAsync(); // reload: a new circuit on the next step
                            circuit = null;
                            tally.Action("reload");
                        }
                        else
                        {
                            await HttpActionAsync(http, learner, ++seq, random, products, tally, faultActive);
                        }
                    }
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    tally.Error(faultActive() ? $"driver-side {ex.GetType().Name} (during/after a Redis fault)" : $"driver-side {ex.GetType().Name}", ex.Message);
                    if (circuit is not null && circuit.HasFailed)
                    {
                        continue;
                    }
                }

                try
                {
                    await Task.Delay(random.Next(300, 1500), stop);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
        finally
        {
            if (circuit is not null)
            {
                if (circuit.HasFailed)
                {
                    tally.Error("circuit lost", string.Join("; ", counters.ErrorMessages.Distinct().Take(2)));
                }

                await circuit.DisposeAsync();
            }
        }
    }

    private static async Task CircuitEventAsync(BlazorCircuitClient circuit, Random random, Tally tally)
    {
        var handlers = circuit.Handlers
            .Where(h => h.TestId != "write-behind") // write-behind writes go through the API, where each acceptance is counted
            .Where(h => h.EventName == "click" || (h.EventName is "change" or "input" && h.Element is "input" or "textarea"))
            .ToList();
        if (handlers.Count == 0)
        {
            tally.Action("click (nothing clickable)");
            return;
        }

        var handler = handlers[random.Next(handlers.Count)];
        JsonNode args;
        string kind;
        if (handler.EventName == "click")
        {
            args = new JsonObject { ["type"] = "click", ["detail"] = 1, ["button"] = 0, ["buttons"] = 0 };
            kind = $"click {handler.Element ?? "?"}";
        }
        else
        {
            JsonNode? value = handler.InputType switch
            {
                "checkbox" or "radio" => random.Next(2) == 0,
                "number" or "range" => random.Next(-5, 200).ToString(Inv),
                _ => Words[random.Next(Words.Length)],
            };
            args = new JsonObject { ["value"] = value }; // ChangeEventArgs: the value only (an unknown property fails to bind)
            kind = $"fill {handler.InputType ?? handler.Element} ({handler.EventName})";
        }

        tally.Action(kind);
        var outcome = await circuit.DispatchAsync(handler, args, HandleTimeout);
        if (outcome.Handled is null)
        {
            tally.Error(Volatile.Read(ref _faultRunning) > 0 ? "event not handled within 30 s (during a Redis fault)" : "event not handled within 30 s", kind);
        }
        else if (!outcome.Succeeded && outcome.Error?.Contains("no event handler associated", StringComparison.Ordinal) == true)
        {
            tally.Error("event on a handler the server had already dropped (driver raced a re-render)", $"{handler}");
        }
        else if (!outcome.Succeeded)
        {
            tally.Error($"event failed ({kind})", $"{handler}: {outcome.Error}");
        }
        else if (outcome.Rendered is { } t)
        {
            tally.ClickToRender.Add(t.TotalMilliseconds);
            tally.ClickHandled.Add(outcome.Handled.Value.TotalMilliseconds);
        }
        else
        {
            Interlocked.Increment(ref tally.ClicksWithoutRender);
            tally.ClickHandled.Add(outcome.Handled.Value.TotalMilliseconds);
        }
    }

    private static async Task HttpActionAsync(HttpClient http, int learner, int seq, Random random, List<JsonObject> products, Tally tally, Func<bool> faultActive)
    {
        var product = products[random.Next(products.Count)];
        var id = product["id"]!.GetValue<int>();
        var roll = random.Next(100);
        string kind;
        HttpRequestMessage request;
        if (roll < 20)
        {
            kind = "GET /api/products/{id}";
            request = new HttpRequestMessage(HttpMethod.Get, $"/api/products/{id}");
        }
        else if (roll < 45)
        {
            kind = "PUT /api/products/{id}?strategy=write-behind";
            request = new HttpRequestMessage(HttpMethod.Put, $"/api/products/{id}?strategy=write-behind") { Content = ProductBody(product, learner, seq, random) };
        }
        else if (roll < 55)
        {
            kind = "PUT /api/products/{id}?strategy=write-through";
            request = new HttpRequestMessage(HttpMethod.Put, $"/api/products/{id}?strategy=write-through") { Content = ProductBody(product, learner, seq, random) };
        }
        else if (roll < 62)
        {
            kind = "POST /api/session/login";
            request = new HttpRequestMessage(HttpMethod.Post, "/api/session/login") { Content = JsonContent.Create(new { username = $"learner{learner}" }) };
        }
        else if (roll < 70)
        {
            kind = "GET /api/session/me";
            request = new HttpRequestMessage(HttpMethod.Get, "/api/session/me");
        }
        else if (roll < 74)
        {
            kind = "POST /api/session/logout";
            request = new HttpRequestMessage(HttpMethod.Post, "/api/session/logout") { Content = JsonContent.Create(new { }) };
        }
        else if (roll < 87)
        {
            kind = "GET /api/limited/{algorithm}";
            request = new HttpRequestMessage(HttpMethod.Get, $"/api/limited/{Algorithms[random.Next(Algorithms.Length)]}");
        }
        else
        {
            kind = "POST /api/pubsub/publish";
            request = new HttpRequestMessage(HttpMethod.Post, "/api/pubsub/publish") { Content = JsonContent.Create(new { channel = "soak", message = $"hello from learner {learner} #{seq}" }) };
        }

        tally.Action(kind);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            if (kind.Contains("write-behind", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref tally.WriteBehindAmbiguous);
            }

            tally.Error(faultActive() ? $"{kind}: no answer (during/after a Redis fault)" : $"{kind}: no answer", ex.Message);
            return;
        }

        using (response)
        {
            var code = (int)response.StatusCode;
            if (code == 202 && kind.Contains("write-behind", StringComparison.Ordinal))
            {
                var body = await response.Content.ReadFromJsonAsync<JsonObject>();
                tally.AcceptedEntryIds.Add(body!["entryId"]!.GetValue<string>());
                return;
            }

            if (code is >= 200 and < 300 || (code == 401 && kind.EndsWith("/me", StringComparison.Ordinal)))
            {
                return; // 401 from /me after a logout (or before a login) is the answer, not an error
            }

            var text = await response.Content.ReadAsStringAsync();
            if (code == 429)
            {
                tally.Error($"{kind}: 429 refused by budget (expected)");
                return;
            }

            if (code == 503 && kind.Contains("write-behind", StringComparison.Ordinal) && text.Contains("may or may not", StringComparison.OrdinalIgnoreCase))
            {
                Interlocked.Increment(ref tally.WriteBehindAmbiguous);
            }

            var when = faultActive() ? " (during/after a Redis fault)" : "";
            tally.Error($"{kind}: {code}{when}", text);
        }
    }

    private static JsonContent ProductBody(JsonObject product, int learner, int seq, Random random) => JsonContent.Create(new
    {
        name = $"Soak learner {learner} write {seq}",
        price = Math.Round(1 + random.NextDouble() * 100, 2),
        category = product["category"]!.GetValue<string>(),
        stock = random.Next(0, 500),
    });
}
