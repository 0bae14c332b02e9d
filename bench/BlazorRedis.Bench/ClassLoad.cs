using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using static BlazorRedis.Bench.Bench;

namespace BlazorRedis.Bench;

/// <summary>
/// Issue 11's class on one instance: a teacher (the teacher link, then /teacher on a Blazor circuit) and LEARNERS
/// simulated learners, each with its own cookies, joined by code through the API and holding a circuit on /workbench
/// (<see cref="BlazorCircuitClient"/>, no Chromium). It measures, on the circuits themselves:
/// a learner's action reaching the teacher's roster (the render batch that carries the line the learner typed), "bring
/// everyone here" reaching every learner (the navigation the server sends each circuit), a poll answered by every
/// learner at once tallied and shown on the teacher's page, and the app's memory per learner.
/// </summary>
internal static partial class ClassLoad
{
    [System.Text.RegularExpressions.GeneratedRegex(@"\b(\d+) answers?\b")]
    private static partial System.Text.RegularExpressions.Regex AnswerCount();

    private static readonly TimeSpan Open = TimeSpan.FromSeconds(60);
    private static readonly string[] PollOptions = ["GET", "SET", "DEL"];
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private sealed record Learner(int Index, string Nickname, CookieContainer Cookies, HttpClient Http, BlazorCircuitClient Circuit)
    {
        /// <summary>Behind the proxy: the instance the proxy's sticky cookie (br-instance) pins this learner to.</summary>
        public string Instance => Cookies.GetAllCookies()["br-instance"]?.Value ?? "?";
    }

    /// <summary>
    /// Behind the proxy (bench/proxy.sh): each learner's delivery is also counted in a group by where its circuit is —
    /// on the teacher's instance or on another one (the delivery then crossed instances through Redis). Null otherwise.
    /// </summary>
    private static Dictionary<int, string>? _groups;

    /// <summary>
    /// bench/proxy.sh: the teacher and every learner go through the proxy at <paramref name="proxyUrl"/> (each keeping the
    /// proxy's br-instance cookie, so its circuit sticks to one instance); <paramref name="instances"/> names each
    /// instance's cookie value and process (<c>app1=123,app2=456</c>) for the circuits and memory per instance.
    /// </summary>
    public static Task RunBehindProxyAsync(string proxyUrl, string instances, string teacherToken, int learners, int actions)
    {
        List<(string, int)> named = [.. instances.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(i => i.Split('=')).Select(p => (p[0], int.Parse(p[1], Inv)))];
        return RunAsync(proxyUrl, named[0].Item2, teacherToken, learners, actions, null, named);
    }

    /// <summary>
    /// With <paramref name="learnerBaseUrl"/> the learners join and hold their circuits on another instance than the
    /// teacher's (bench/scaleout.sh): every measured delivery then crosses instances through Redis.
    /// </summary>
    public static async Task RunAsync(string baseUrl, int appPid, string teacherToken, int learners, int actions, string? learnerBaseUrl = null, IReadOnlyList<(string Cookie, int Pid)>? instances = null)
    {
        baseUrl = baseUrl.TrimEnd('/');
        var learnerBase = (learnerBaseUrl ?? baseUrl).TrimEnd('/');
        var counters = new CircuitCounters();

        // The teacher: a learner cookie, the teacher link, a class, and /teacher on a circuit.
        var teacherCookies = new CookieContainer();
        using var teacher = Client(baseUrl, teacherCookies);
        (await teacher.GetAsync("/")).EnsureSuccessStatusCode();
        (await teacher.GetAsync("/teacher/claim?token=" + Uri.EscapeDataString(teacherToken))).EnsureSuccessStatusCode();
        var opened = await (await teacher.PostAsync("/api/classroom/class", null)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
        var code = (string)opened!["code"]!;
        var teacherRenders = new ConcurrentQueue<(byte[] Batch, long At)>();
        await using var teacherCircuit = await BlazorCircuitClient.OpenAsync(baseUrl, "/teacher", counters, Open, teacherCookies);
        teacherCircuit.RenderReceived = (batch, at) => teacherRenders.Enqueue((batch, at));

        var teacherInstance = teacherCookies.GetAllCookies()["br-instance"]?.Value;
        if (instances is not null && teacherInstance is null)
        {
            throw new InvalidOperationException("The proxy set no br-instance cookie: circuits would not stick to an instance.");
        }

        var baseline = await SettledRssKiB(appPid);
        var baselines = instances?.ToDictionary(i => i.Cookie, i => RssKiB(i.Pid));
        var joining = Stopwatch.StartNew();
        var all = new List<Learner>();
        var joinFailures = 0;
        try
        {
            for (var start = 0; start < learners; start += 10)
            {
                var batch = await Task.WhenAll(Enumerable.Range(start, Math.Min(10, learners - start)).Select(async i =>
                {
                    try
                    {
                        return await JoinAsync(learnerBase, code, i, counters);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
                    {
                        Interlocked.Increment(ref joinFailures);
                        Console.Error.WriteLine($"learner {i}: {ex.Message}");
                        return null;
                    }
                }));
                all.AddRange(batch.OfType<Learner>());
            }

            joining.Stop();
            var rss = await SettledRssKiB(appPid);
            Console.WriteLine($"{all.Count} of {learners} learners joined by code and hold a circuit on /workbench ({joinFailures} failed), in {joining.Elapsed.TotalSeconds.ToString("0.0", Inv)} s.");
            if (instances is null)
            {
                Console.WriteLine($"App memory: {Mib(baseline)} MiB with the teacher alone, {Mib(rss)} MiB with the class: **{((rss - baseline) / (double)Math.Max(1, all.Count)).ToString("0", Inv)} KiB per learner** (circuit, class presence and workbench session).");
            }
            else
            {
                _groups = all.ToDictionary(l => l.Index, l => l.Instance == teacherInstance ? "on the teacher's instance" : "on the other instance (through Redis)");
                Console.WriteLine($"The teacher's circuit is on `{teacherInstance}`. Circuits held and memory per instance (the proxy's sticky cookie decides):");
                Console.WriteLine();
                Console.WriteLine("| Instance | Learners' circuits | Memory before the class | Memory with the class | Per learner |");
                Console.WriteLine("|---|---:|---:|---:|---:|");
                foreach (var (cookie, pid) in instances)
                {
                    var held = all.Count(l => l.Instance == cookie);
                    var now = RssKiB(pid);
                    var per = held == 0 ? "–" : ((now - baselines![cookie]) / (double)held).ToString("0", Inv) + " KiB";
                    Console.WriteLine($"| `{cookie}`{(cookie == teacherInstance ? " (teacher)" : "")} | {held} | {Mib(baselines![cookie])} MiB | {Mib(now)} MiB | {per} |");
                }

                var stray = all.Count(l => !instances.Any(i => i.Cookie == l.Instance));
                if (stray > 0)
                {
                    Console.WriteLine($"| no or unknown br-instance cookie | {stray} | | | |");
                }
            }
            Console.WriteLine();
            Console.WriteLine("| Measured on the circuits | Samples | p50 | p95 | max | Goal p95 |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");

            await ActionsReachTheTeacherAsync(all, teacherRenders, actions);
            await BringEveryoneAsync(teacher, all);
            await PollAsync(teacher, all, teacherRenders);
            if (learnerBaseUrl is not null || instances is not null)
            {
                await ChannelPostsReachLearnersAsync(teacher, all, 5);
            }
            Console.WriteLine();
            Console.WriteLine($"Circuits failed: {counters.Failed}; JS errors: {counters.JsErrors}.{(counters.ErrorMessages.IsEmpty ? "" : " First: " + string.Join("; ", counters.ErrorMessages.Take(3)))}");
        }
        finally
        {
            foreach (var learner in all)
            {
                await learner.Circuit.DisposeAsync();
                learner.Http.Dispose();
            }

            await teacher.DeleteAsync("/api/classroom/class");
        }
    }

    private static HttpClient Client(string baseUrl, CookieContainer cookies) =>
        new(new SocketsHttpHandler { CookieContainer = cookies, UseCookies = true }) { BaseAddress = new Uri(baseUrl), Timeout = Wait };

    private static async Task<Learner> JoinAsync(string baseUrl, string code, int index, CircuitCounters counters)
    {
        var cookies = new CookieContainer();
        var http = Client(baseUrl, cookies);
        (await http.GetAsync("/")).EnsureSuccessStatusCode();
        var nickname = "learner" + index.ToString("000", Inv);
        (await http.PostAsJsonAsync("/api/classroom/join", new { code, nickname })).EnsureSuccessStatusCode();
        var circuit = await BlazorCircuitClient.OpenAsync(baseUrl, "/workbench", counters, Open, cookies);
        return new Learner(index, nickname, cookies, http, circuit);
    }

    // A learner types a line with a mark of their own in the workbench and presses Enter; the teacher's roster shows the
    // learner's last action, so the first teacher render batch that carries the mark is the action reaching the teacher.
    private static async Task ActionsReachTheTeacherAsync(List<Learner> all, ConcurrentQueue<(byte[] Batch, long At)> teacherRenders, int actions)
    {
        var latencies = new ConcurrentBag<(int, double)>();
        var missed = 0;
        var random = new Random(11);
        var tasks = new List<Task>();
        foreach (var learner in all.OrderBy(_ => random.Next()).Take(actions))
        {
            var mark = Encoding.UTF8.GetBytes($"m{learner.Index:000}k{random.Next(1000, 9999)}");
            tasks.Add(Task.Run(async () =>
            {
                var handlers = learner.Circuit.Handlers;
                var input = handlers.FirstOrDefault(h => h.TestId == "command-line" && h.EventName == "input");
                var run = handlers.FirstOrDefault(h => h.TestId == "command-line" && h.EventName == "keydown");
                if (input is null || run is null)
                {
                    Console.Error.WriteLine($"learner {learner.Index}: no workbench command line among {handlers.Count} handlers: {string.Join(", ", handlers.Where(h => h.Element is "input" or "button").Select(h => h.Element + ":" + h.TestId + "/" + h.EventName))}");
                    Interlocked.Increment(ref missed);
                    return;
                }

                var typed = await learner.Circuit.DispatchAsync(input, new JsonObject { ["value"] = "ECHO " + Encoding.UTF8.GetString(mark) }, Wait);
                var sent = Stopwatch.GetTimestamp();
                var clicked = await learner.Circuit.DispatchAsync(run, new JsonObject { ["type"] = "keydown", ["key"] = "Enter", ["code"] = "Enter" }, Wait);
                if (!typed.Succeeded || !clicked.Succeeded)
                {
                    Console.Error.WriteLine($"learner {learner.Index}: typing {typed.Error ?? "ok"}, Enter {clicked.Error ?? "ok"}");
                }
                var seen = await SeenAsync(teacherRenders, mark, sent);
                if (seen is { } at)
                {
                    latencies.Add((learner.Index, Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds));
                }
                else
                {
                    Interlocked.Increment(ref missed);
                }
            }));
            await Task.Delay(50);
        }

        await Task.WhenAll(tasks);
        Rows($"A learner's action (a workbench line) on the teacher's roster{(missed > 0 ? $" ({missed} not seen within {Wait.TotalSeconds:0} s)" : "")}", [.. latencies], 1000);
    }

    // The first teacher render batch after `after` whose bytes carry `mark` (render batches hold their text as UTF-8).
    private static async Task<long?> SeenAsync(ConcurrentQueue<(byte[] Batch, long At)> renders, byte[] mark, long after)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < Wait)
        {
            foreach (var (batch, at) in renders)
            {
                if (at >= after && batch.AsSpan().IndexOf(mark) >= 0)
                {
                    return at;
                }
            }

            await Task.Delay(10);
        }

        return null;
    }

    // The teacher posts on the class channel (Redis pub/sub, one subscription per instance); each learner's closed channel
    // card counts it ("(k new)"): the first render batch of a learner's circuit carrying post k's count is its arrival.
    private static async Task ChannelPostsReachLearnersAsync(HttpClient teacher, List<Learner> all, int posts)
    {
        var latencies = new ConcurrentBag<(int, double)>();
        var missing = 0;
        for (var k = 1; k <= posts; k++)
        {
            var mark = Encoding.UTF8.GetBytes($"({k} new)");
            var arrived = new ConcurrentDictionary<int, long>();
            var sent = Stopwatch.GetTimestamp();
            foreach (var learner in all)
            {
                var index = learner.Index;
                learner.Circuit.RenderReceived = (batch, at) =>
                {
                    if (at >= sent && batch.AsSpan().IndexOf(mark) >= 0)
                    {
                        arrived.TryAdd(index, at);
                    }
                };
            }

            (await teacher.PostAsJsonAsync("/api/classroom/class/channel", new { text = $"bench post {k}" })).EnsureSuccessStatusCode();
            var deadline = Stopwatch.StartNew();
            while (arrived.Count < all.Count && deadline.Elapsed < Wait)
            {
                await Task.Delay(20);
            }

            missing += all.Count - arrived.Count;
            foreach (var (index, at) in arrived)
            {
                latencies.Add((index, Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds));
            }

            await Task.Delay(300);
        }

        foreach (var learner in all)
        {
            learner.Circuit.RenderReceived = null;
        }

        Rows($"A teacher's post on the class channel (pub/sub) reaching each learner's circuit, {posts} posts{(missing > 0 ? $" ({missing} arrivals missed within {Wait.TotalSeconds:0} s)" : "")}", [.. latencies], 1000);
    }

    // "Bring everyone here": the server sends each learner's circuit a navigation; the time it arrives at each circuit.
    private static async Task BringEveryoneAsync(HttpClient teacher, List<Learner> all)
    {
        var arrived = new ConcurrentDictionary<int, long>();
        foreach (var learner in all)
        {
            var index = learner.Index;
            learner.Circuit.JsInvoked = (identifier, args, at) =>
            {
                if (identifier.EndsWith("navigateTo", StringComparison.Ordinal) && args?.Contains("/pubsub", StringComparison.Ordinal) == true)
                {
                    arrived.TryAdd(index, at);
                }
            };
        }

        var sent = Stopwatch.GetTimestamp();
        (await teacher.PostAsJsonAsync("/api/classroom/class/bring", new { path = "/pubsub" })).EnsureSuccessStatusCode();
        var deadline = Stopwatch.StartNew();
        while (arrived.Count < all.Count && deadline.Elapsed < Wait)
        {
            await Task.Delay(20);
        }

        var missing = all.Count - arrived.Count;
        Rows($"\"Bring everyone here\" reaching each learner's browser{(missing > 0 ? $" ({missing} not reached within {Wait.TotalSeconds:0} s)" : "")}", [.. arrived.Select(a => (a.Key, Stopwatch.GetElapsedTime(sent, a.Value).TotalMilliseconds))], 1000);
        foreach (var learner in all)
        {
            learner.Circuit.JsInvoked = null;
        }
    }

    // Every learner answers the teacher's poll at once (the API each learner's card calls); the teacher's page shows
    // "N answers" as they are tallied: the time from each answer's acceptance to the teacher render that counts it.
    private static async Task PollAsync(HttpClient teacher, List<Learner> all, ConcurrentQueue<(byte[] Batch, long At)> teacherRenders)
    {
        var pushed = await (await teacher.PostAsJsonAsync("/api/classroom/class/polls", new { question = "Which command reads a string?", options = PollOptions, multiple = false }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
        var id = (string)pushed!["id"]!;
        await Task.Delay(1000); // the poll card reaches the learners first
        var accepted = new ConcurrentBag<(int Learner, long Sent, long Accepted)>();
        var failures = 0;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(all.Select(async learner =>
        {
            var sent = Stopwatch.GetTimestamp();
            var response = await learner.Http.PostAsJsonAsync($"/api/classroom/polls/{id}/answer", new { choices = new[] { learner.Index % 3 } });
            if (response.IsSuccessStatusCode)
            {
                accepted.Add((learner.Index, sent, Stopwatch.GetTimestamp()));
            }
            else
            {
                Interlocked.Increment(ref failures);
            }
        }));

        var answers = accepted.OrderBy(a => a.Accepted).ToList();
        var total = Encoding.UTF8.GetBytes($"{answers.Count} answers");
        var shown = await SeenAsync(teacherRenders, total, started);
        if (shown is not { } at)
        {
            Row($"A poll of {all.Count} answers, tallied and shown to the teacher (\"{answers.Count} answers\" never shown within {Wait.TotalSeconds:0} s)", [], 1000);
            return;
        }

        // The k-th accepted answer is shown by the first teacher render whose count ("N answers") is at least k; its time is
        // counted from the moment its learner sent it (the server accepts it, and may show it, before the client hears back).
        var counts = teacherRenders.Where(r => r.At >= started)
            .Select(r => (r.At, Count: AnswerCount().Matches(Encoding.UTF8.GetString(r.Batch)).Select(m => long.Parse(m.Groups[1].Value, Inv)).DefaultIfEmpty(-1).Max()))
            .Where(r => r.Count >= 0)
            .OrderBy(r => r.At)
            .ToList();
        var perAnswer = new List<(int, double)>();
        for (var k = 1; k <= answers.Count; k++)
        {
            var when = counts.FirstOrDefault(r => r.At >= answers[k - 1].Sent && r.Count >= k);
            perAnswer.Add((answers[k - 1].Learner, Stopwatch.GetElapsedTime(answers[k - 1].Sent, when.At == 0 ? at : when.At).TotalMilliseconds));
        }

        Rows($"A poll answered by all {answers.Count} at once: each answer to the teacher's count{(failures > 0 ? $" ({failures} answers refused)" : "")}", perAnswer, 1000);
        Console.WriteLine($"| The whole poll: first answer sent → \"{answers.Count} answers\" on the teacher's page | 1 | {Ms(Stopwatch.GetElapsedTime(started, at).TotalMilliseconds)} ms | | | |");
    }

    /// <summary>One row of all samples and, behind the proxy, one per group of learners (same instance as the teacher or not).</summary>
    private static void Rows(string what, List<(int Learner, double Ms)> samples, double goalMs)
    {
        Row(what, [.. samples.Select(s => s.Ms)], goalMs);
        if (_groups is { } groups)
        {
            foreach (var group in samples.GroupBy(s => groups.GetValueOrDefault(s.Learner, "?")).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                Row("  … learners " + group.Key, [.. group.Select(s => s.Ms)], goalMs);
            }
        }
    }

    private static void Row(string what, List<double> samples, double goalMs)
    {
        samples.Sort();
        var p95 = samples.Count == 0 ? double.NaN : Percentile(samples, 95);
        var verdict = double.IsNaN(p95) ? "not measured" : p95 < goalMs ? "met" : "**missed**";
        Console.WriteLine(
            $"| {what} | {samples.Count} | {Ms(samples.Count == 0 ? double.NaN : Percentile(samples, 50))} ms | {Ms(p95)} ms | {Ms(samples.Count == 0 ? double.NaN : samples[^1])} ms | < {goalMs:0} ms: {verdict} |");
    }
}
