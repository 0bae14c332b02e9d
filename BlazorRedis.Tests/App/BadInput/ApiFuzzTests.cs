using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BlazorRedis.Tests.App.BadInput;

/// <summary>
/// Random cookies, headers, query values, content-type parameters and bodies against every endpoint, from a fixed
/// seed so a failure replays exactly. Nothing a client sends may get a 5xx or an error line in the log.
/// </summary>
public class ApiFuzzTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const int Seed = 20261204;
    private const int Requests = 480;
    private const int Concurrency = 4;

    /// <summary>
    /// Every API route the app maps (one valid body each; <see cref="The_fuzz_list_names_every_api_route_the_app_maps"/>
    /// checks it against the app's endpoints), plus a page, health and the hub's negotiate. The client is no teacher
    /// and in no class, so the class routes answer 403 or 404 to it unless the fuzz breaks the request first.
    /// </summary>
    private static readonly (string Method, string Path, string? Body)[] Endpoints =
    [
        ("GET", "/api/products", null), ("GET", "/api/products/1", null), ("POST", "/api/products", """{"name":"Fuzz","price":1,"category":"fuzz","stock":1}"""),
        ("PUT", "/api/products/2", """{"name":"Fuzz","price":1,"category":"fuzz","stock":1}"""), ("DELETE", "/api/products/99999", null),
        ("POST", "/api/cache/stampede", """{"requests":2,"protection":"coalescing"}"""), ("GET", "/api/cache/write-behind", null),
        ("GET", "/api/catalog/latency", null), ("PUT", "/api/catalog/latency", """{"latencyMs":0}"""), ("GET", "/api/bench/raw", null), ("GET", "/api/bench/memory", null),
        ("GET", "/api/limited/" + RateLimitAlgorithms.All[0].Slug(), null), ("GET", "/api/limited/" + RateLimitAlgorithms.All[^1].Slug(), null),
        ("POST", "/api/pubsub/publish", """{"channel":"fuzz","message":"hi"}"""), ("GET", "/api/cache/stats", null), ("POST", "/api/cache/stats/reset", null),
        ("POST", "/api/session/login", """{"username":"fuzz"}"""), ("GET", "/api/session/me", null), ("POST", "/api/session/logout", "{}"),
        ("POST", "/api/classroom/join", """{"code":"FUZZ42","nickname":"fuzz"}"""), ("POST", "/api/classroom/channel", """{"text":"hi"}"""),
        ("GET", "/api/classroom/channel", null), ("POST", "/api/classroom/polls/p1/answer", """{"choices":[0]}"""), ("POST", "/api/classroom/stampedes/s1/read", null),
        ("POST", "/api/classroom/reset-learner-keys", null), ("POST", "/api/classroom/class", null), ("DELETE", "/api/classroom/class", null),
        ("GET", "/api/classroom/class/roster", null), ("DELETE", "/api/classroom/class/learners/l1", null), ("POST", "/api/classroom/class/pause", """{"paused":true}"""),
        ("POST", "/api/classroom/class/bring", """{"path":"/caching"}"""), ("PUT", "/api/classroom/class/learners/l1/nickname", """{"nickname":"Fuzz"}"""),
        ("POST", "/api/classroom/class/polls", """{"question":"Q?","options":["a","b"],"multiple":false}"""), ("GET", "/api/classroom/class/polls", null),
        ("POST", "/api/classroom/class/polls/p1/close", null), ("POST", "/api/classroom/class/polls/p1/reveal", """{"correct":[0]}"""),
        ("GET", "/api/classroom/class/leaderboard", null), ("DELETE", "/api/classroom/class/leaderboard", null), ("POST", "/api/classroom/class/channel", """{"text":"hi"}"""),
        ("PUT", "/api/classroom/class/learners/l1/mute", null), ("DELETE", "/api/classroom/class/learners/l1/mute", null),
        ("POST", "/api/classroom/class/stampedes", """{"protection":"lock","windowSeconds":5}"""), ("GET", "/api/classroom/class/stampedes", null),
        ("GET", "/health", null), ("POST", "/hubs/metrics/negotiate?negotiateVersion=1", null), ("GET", "/", null),
    ];

    private static readonly string[] Charsets = ["utf-8", "utf-7", "UTF-16", "ibm037", "foo", "", "\"utf-8\"", "utf-32", "latin1", "us-ascii", "utf8"];

    [Fact]
    public async Task Random_headers_cookies_queries_and_content_types_never_get_a_5xx_or_an_error_log()
    {
        var random = new Random(Seed);
        var cases = Enumerable.Range(0, Requests).Select(i => NewCase(random, i)).ToList();
        var logMark = app.Factory.Logs.Entries.Count;
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var client = ApiHeaderBadInputTests.RawClient(app.BaseAddress);
        client.Timeout = TimeSpan.FromSeconds(20);
        var clock = Stopwatch.StartNew();

        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = TestContext.Current.CancellationToken }, async (c, ct) =>
        {
            var status = c.Raw ? await SendRawAsync(app.BaseAddress, c, ct) : await SendAsync(client, c, ct);
            if (status >= 500)
            {
                failures.Add($"#{c.Index} {status}: {c}");
            }
        });

        var errors = app.Factory.Logs.Entries.Skip(logMark)
            .Where(e => e.Level >= LogLevel.Error || e.Message.Contains("unhandled exception", StringComparison.OrdinalIgnoreCase))
            .Select(e => e.ToString())
            .ToList();
        Assert.True(failures.IsEmpty, $"seed {Seed}: {failures.Count} answers were 5xx:\n{string.Join('\n', failures.Take(20))}");
        Assert.True(errors.Count == 0, $"seed {Seed}: the app logged\n{string.Join('\n', errors.Take(10))}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"{Requests} requests took {clock.Elapsed}");
    }

    [Fact]
    public void The_fuzz_list_names_every_api_route_the_app_maps()
    {
        var routes = app.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Template: e.RoutePattern.RawText!)))
            .ToList();
        Assert.True(routes.Count > 40, $"only {routes.Count} API routes found");

        var missing = routes.Where(r => !Endpoints.Any(e => e.Method == r.Method && Matches(r.Template, e.Path))).Select(r => $"{r.Method} {r.Template}").ToList();
        Assert.True(missing.Count == 0, "Not fuzzed: " + string.Join(", ", missing));

        static bool Matches(string template, string path) => System.Text.RegularExpressions.Regex.IsMatch(
            path.Split('?')[0].TrimEnd('/'),
            "^" + System.Text.RegularExpressions.Regex.Replace(System.Text.RegularExpressions.Regex.Escape(template.TrimEnd('/')), @"\\\{[^}]*}", "[^/]+") + "$");
    }

    /// <summary>One random request. <see cref="Raw"/> ones go over a socket, byte for byte (CR, LF, NUL and all).</summary>
    private sealed record FuzzCase(int Index, bool Raw, string Method, string Target, IReadOnlyList<(string Name, byte[] Value)> Headers, byte[]? Body)
    {
        public override string ToString() =>
            $"{Method} {Target} {string.Join(" | ", Headers.Select(h => $"{h.Name}: {Printable(h.Value)}"))}{(Body is null ? "" : " body " + Printable(Body))}";

        private static string Printable(byte[] bytes)
        {
            var text = Encoding.Latin1.GetString(bytes.Length > 60 ? bytes[..60] : bytes);
            return string.Concat(text.Select(c => c is >= ' ' and < '\x7f' ? c.ToString() : $"\\x{(int)c:x2}")) + (bytes.Length > 60 ? $"…({bytes.Length} bytes)" : "");
        }
    }

    private static FuzzCase NewCase(Random random, int index)
    {
        var (method, path, validBody) = Endpoints[random.Next(Endpoints.Length)];
        var raw = random.Next(5) == 0;
        var headers = new List<(string, byte[])>();

        // Cookies: any of the three the app knows, plus noise, each with a random value.
        if (random.Next(3) > 0)
        {
            var cookies = new[] { "br-session", "br-learner", "br-theme", "other" }
                .Where(_ => random.Next(2) == 0)
                .Select(name => Encoding.UTF8.GetBytes(name + "=").Concat(Value(random, raw, cookie: true)))
                .ToList();
            if (cookies.Count > 0)
            {
                headers.Add(("Cookie", [.. cookies.Aggregate((a, b) => a.Concat("; "u8.ToArray()).Concat(b))]));
            }
        }

        if (random.Next(3) == 0)
        {
            headers.Add(("X-Learner-Id", Value(random, raw, cookie: false)));
        }

        if (random.Next(4) == 0)
        {
            headers.Add(("Accept", random.Next(2) == 0 ? Value(random, raw, cookie: false) : "application/json; q="u8.ToArray().Concat(Value(random, raw, cookie: false)).ToArray()));
        }

        if (random.Next(6) == 0)
        {
            headers.Add((random.Next(2) == 0 ? "X-Forwarded-For" : "If-None-Match", Value(random, raw, cookie: false)));
        }

        var target = path;
        if (random.Next(2) == 0)
        {
            var name = new[] { "learner", "bypassCache", "negotiateVersion", "x" }[random.Next(4)];
            target += (target.Contains('?', StringComparison.Ordinal) ? "&" : "?") + name + "=" + PercentEncode(Value(random, raw: true, cookie: false), random);
        }

        byte[]? body = null;
        if (method is "POST" or "PUT")
        {
            body = random.Next(3) > 0 && validBody is not null ? Encoding.UTF8.GetBytes(validBody) : RandomBytes(random, random.Next(0, 64));
            headers.Add(("Content-Type", ContentType(random, raw)));
        }

        return new FuzzCase(index, raw, method, target, headers, body);
    }

    /// <summary>A JSON type with a random charset or parameter, or random bytes altogether.</summary>
    private static byte[] ContentType(Random random, bool raw) => random.Next(6) switch
    {
        0 => Value(random, raw, cookie: false),
        1 => Encoding.UTF8.GetBytes("application/json; " + Encoding.Latin1.GetString(Value(random, raw: false, cookie: false)) + "=x"),
        2 => Encoding.UTF8.GetBytes("application/json"),
        _ => Encoding.UTF8.GetBytes("application/json; charset=" + Charsets[random.Next(Charsets.Length)]),
    };

    /// <summary>A value of random length and encoding: ASCII, UTF-8 text, Latin-1 bytes, base64url-looking, or (raw only) any byte.</summary>
    private static byte[] Value(Random random, bool raw, bool cookie)
    {
        var length = random.Next(8) == 0 ? random.Next(1000, 8000) : random.Next(0, 64);
        var kind = random.Next(raw ? 6 : 5);
        const string base64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        byte[] bytes = kind switch
        {
            0 => [.. Enumerable.Range(0, length).Select(_ => (byte)random.Next(0x21, 0x7f))],
            1 => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, Math.Min(length, 200)).Select(_ => char.ConvertFromUtf32(random.Next(0xA0, 0x2FFF))))),
            2 => [.. Enumerable.Range(0, length).Select(_ => (byte)random.Next(0x80, 0x100))],
            3 => Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, cookie && random.Next(2) == 0 ? 43 : length).Select(_ => base64Url[random.Next(base64Url.Length)]))),
            4 => Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, random.Next(2) == 0 ? 32 : length).Select(_ => "0123456789abcdef"[random.Next(16)]))),
            _ => RandomBytes(random, length),
        };

        // Through HttpClient a value may not hold CR or LF (it refuses to send them); the raw path sends them as they are.
        return raw ? bytes : [.. bytes.Where(b => b is not (13 or 10 or 0))];
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string PercentEncode(byte[] bytes, Random random) =>
        string.Concat(bytes.Take(2000).Select(b => b is >= (byte)'a' and <= (byte)'z' && random.Next(2) == 0 ? ((char)b).ToString() : $"%{b:X2}"));

    private static async Task<int> SendAsync(HttpClient client, FuzzCase c, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Target);
        if (c.Body is not null)
        {
            request.Content = new ByteArrayContent(c.Body);
        }

        foreach (var (name, value) in c.Headers)
        {
            var text = Encoding.UTF8.GetString(value);
            var added = name == "Content-Type" && request.Content is not null
                ? request.Content.Headers.TryAddWithoutValidation(name, text)
                : request.Headers.TryAddWithoutValidation(name, text);
            Assert.True(added || name == "Content-Type", $"#{c.Index}: the client refused {name}");
        }

        using var response = await client.SendAsync(request, ct);
        return (int)response.StatusCode;
    }

    /// <summary>Writes the request byte for byte and reads the status line; a connection the server closes without a status counts as 0.</summary>
    private static async Task<int> SendRawAsync(Uri baseAddress, FuzzCase c, CancellationToken ct)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port, ct);
        await using var stream = tcp.GetStream();
        using var head = new MemoryStream();
        head.Write(Encoding.ASCII.GetBytes($"{c.Method} {c.Target} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nConnection: close\r\n"));
        foreach (var (name, value) in c.Headers)
        {
            head.Write(Encoding.ASCII.GetBytes(name + ": "));
            head.Write(value);
            head.Write("\r\n"u8);
        }

        head.Write(Encoding.ASCII.GetBytes($"Content-Length: {c.Body?.Length ?? 0}\r\n\r\n"));
        head.Write(c.Body ?? []);
        try
        {
            await stream.WriteAsync(head.ToArray(), ct);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            var statusLine = await reader.ReadLineAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(20), ct);
            return statusLine is { Length: >= 12 } && int.TryParse(statusLine.AsSpan(9, 3), out var status) ? status : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
