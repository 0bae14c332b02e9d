using System.Net.Http.Headers;
using System.Text;
using BlazorRedis.Core.RateLimiting;
using BlazorRedis.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace BlazorRedis.Tests.App.BadInput;

/// <summary>
/// Table-driven bad input against every API endpoint. Each case must get a 4xx (problem+json where the app answers),
/// leave no Error/Critical or unhandled-exception line in the app's log, and write no key under the app's prefix.
/// </summary>
public class ApiBadInputTests(BadInputAppFixture app) : IClassFixture<BadInputAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The names of all cases; the data of each is in <see cref="ApiBadInputCases.All"/>.</summary>
    public static TheoryData<string> Cases => new(ApiBadInputCases.All.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_a_4xx_logs_no_error_and_writes_no_key(string name)
    {
        // As the teacher, so a class-wide control's bad input reaches its validation (a learner gets 403 before it).
        using var client = await app.Factory.CreateTeacherClientAsync(Ct);
        await AssertRefusedAsync(app, client, name, ApiBadInputCases.All[name]);
    }

    /// <summary>
    /// Sends one case and checks the answer: a 4xx (or, for a tolerated value, anything below 500),
    /// problem+json when the app answers, no Error line in the log and no new key.
    /// </summary>
    internal static async Task AssertRefusedAsync(BadInputAppFixture app, HttpClient client, string name, ApiBadInputCase @case)
    {
        var logMark = app.Factory.Logs.Entries.Count;
        using var request = @case.Build();

        using var response = await client.SendAsync(request, Ct);

        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(Ct);
        if (@case.Tolerated)
        {
            Assert.True(status < 500, $"{name}: expected no 5xx, got {status}: {Shorten(body)}");
        }
        else
        {
            Assert.True(status is >= 400 and < 500, $"{name}: expected a 4xx, got {status}: {Shorten(body)}");
            if (@case.Expected is { } expected)
            {
                Assert.True(status == expected, $"{name}: expected {expected}, got {status}: {Shorten(body)}");
            }

            if (@case.ProblemJson)
            {
                Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{name}: not problem+json ({response.Content.Headers.ContentType}): {Shorten(body)}");
            }
        }

        var errors = app.Factory.Logs.Entries.Skip(logMark)
            .Where(e => e.Level >= LogLevel.Error || e.Message.Contains("unhandled exception", StringComparison.OrdinalIgnoreCase))
            .ToList();
        Assert.True(errors.Count == 0, $"{name}: the app logged\n{string.Join('\n', errors)}");
        var written = (await app.KeysAsync()).Except(app.KeysBefore).ToList();
        Assert.True(written.Count == 0, $"{name}: keys written: {string.Join(", ", written)}");
    }

    [Theory]
    [InlineData("GET", "/api/session/login", "OPTIONS, POST")]
    [InlineData("GET", "/api/pubsub/publish", "OPTIONS, POST")]
    [InlineData("DELETE", "/api/cache/stats", "GET, HEAD, OPTIONS")]
    [InlineData("PATCH", "/api/products/1", "DELETE, GET, HEAD, OPTIONS, PUT")]
    public async Task A_wrong_method_on_an_api_path_gets_405_with_the_allowed_methods(string method, string path, string allow)
    {
        using var client = app.Factory.CreateHttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(System.Net.HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow.Order(StringComparer.Ordinal)));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    internal static string Shorten(string text) => text.Length > 400 ? text[..400] + "…" : text;
}

/// <summary>One bad request and what the app must answer.</summary>
/// <param name="Build">Makes the request (a new one per send).</param>
/// <param name="Expected">The exact status when it is clear; null means "some 4xx".</param>
/// <param name="ProblemJson">True when the app itself answers, so the body must be problem+json.</param>
/// <param name="Tolerated">True when the app may take the value as harmless (a malformed session cookie is "no session",
/// a page ignores a cookie it does not read): then any answer below 500 will do, but the log must still hold no error
/// and no key may appear.</param>
public sealed record ApiBadInputCase(Func<HttpRequestMessage> Build, int? Expected, bool ProblemJson, bool Tolerated = false);

/// <summary>The table: every endpoint times every kind of bad input that applies to it.</summary>
public static class ApiBadInputCases
{
    private const string Json = "application/json";
    private static readonly string OneMb = new('x', 1_000_000);
    private static readonly string OverCap = new('x', 1024 * 1024 + 16);
    private static readonly string HugeArray = "[" + string.Join(',', Enumerable.Repeat("0", 200_000)) + "]";
    private const string ValidProduct = """{"name":"Lamp","price":12.5,"category":"home","stock":3}""";
    private const string GoodLearner = "0123456789abcdef0123456789abcdef";

    private static readonly Lazy<Dictionary<string, ApiBadInputCase>> AllCases = new(Build);

    public static IReadOnlyDictionary<string, ApiBadInputCase> All => AllCases.Value;

    private static Dictionary<string, ApiBadInputCase> Build()
    {
        var cases = new Dictionary<string, ApiBadInputCase>(StringComparer.Ordinal);
        void Add(string name, HttpMethod method, string path, int? expected, bool problem = true, string? body = null, string? contentType = Json, (string, string)? header = null) =>
            cases.Add(name, new ApiBadInputCase(
                () =>
                {
                    var request = new HttpRequestMessage(method, path);
                    if (body is not null)
                    {
                        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                        if (contentType is not null)
                        {
                            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
                        }

                        request.Content = content;

                        // Without 100-continue the server may answer 413 and close while the client is still
                        // writing the body, and the client then sees a broken pipe instead of the 413.
                        request.Headers.ExpectContinue = body.Length > 64 * 1024;
                    }

                    if (header is var (h, v))
                    {
                        request.Headers.TryAddWithoutValidation(h, v);
                    }

                    return request;
                },
                expected,
                problem));

        AddProducts(Add);
        AddCatalogLatency(Add);
        AddStampede(Add);
        AddNoInputEndpoints(Add);
        AddSession(Add);
        AddPubSub(Add);
        AddLimited(Add);
        AddClassroom(Add);
        return cases;
    }

    private delegate void Adder(string name, HttpMethod method, string path, int? expected, bool problem = true, string? body = null, string? contentType = Json, (string, string)? header = null);

    /// <summary>Ids that are not positive whole numbers, as they appear in a URL.</summary>
    private static readonly (string Name, string Raw)[] BadIds =
    [
        ("letters", "abc"), ("zero", "0"), ("negative", "-1"), ("fraction", "1.5"), ("overflow", "99999999999"),
        ("int-max-plus-one", "2147483648"), ("space", "%20"), ("crlf", "1%0D%0A"), ("nul", "1%00"), ("exponent", "1e3"),
        ("hex", "0x10"), ("plus", "%2B5"), ("nan", "NaN"), ("infinity", "Infinity"), ("unicode-digit", "%EF%BC%91"),
    ];

    private static void AddProducts(Adder add)
    {
        foreach (var (name, raw) in BadIds)
        {
            // Kestrel itself refuses a NUL in the path, before the app (so no problem+json).
            var app = !raw.Contains("%00", StringComparison.Ordinal);
            add($"products GET id {name}", HttpMethod.Get, $"/api/products/{raw}", 400, app);
            add($"products PUT id {name}", HttpMethod.Put, $"/api/products/{raw}", 400, app, body: ValidProduct);
            add($"products DELETE id {name}", HttpMethod.Delete, $"/api/products/{raw}", 400, app);
        }

        add("products GET unknown id", HttpMethod.Get, "/api/products/987654", 404);
        add("products PUT unknown id", HttpMethod.Put, "/api/products/987654", 404, body: ValidProduct);
        add("products DELETE unknown id", HttpMethod.Delete, "/api/products/987654", 404);
        add("products GET 20 KB id (URL over the limit)", HttpMethod.Get, "/api/products/" + new string('1', 20_000), null, problem: false);
        add("products GET bypassCache not a bool", HttpMethod.Get, "/api/products/1?bypassCache=maybe", 400);
        add("products list bypassCache not a bool", HttpMethod.Get, "/api/products?bypassCache=2", 400);
        add("products list DELETE", HttpMethod.Delete, "/api/products", 405);
        add("products list PATCH", HttpMethod.Patch, "/api/products/1", 405);
        add("products nested path", HttpMethod.Get, "/api/products/1/extra", 404);

        foreach (var (verb, path) in new[] { (HttpMethod.Post, "/api/products"), (HttpMethod.Put, "/api/products/1") })
        {
            var v = verb.Method;
            Bodies(add, $"products {v}", verb, path);
            add($"products {v} empty name", verb, path, 400, body: """{"name":"","price":1,"category":"a","stock":1}""");
            add($"products {v} whitespace name", verb, path, 400, body: """{"name":"   ","price":1,"category":"a","stock":1}""");
            add($"products {v} 1 MB name", verb, path, 400, body: $$"""{"name":"{{OneMb}}","price":1,"category":"a","stock":1}""");
            add($"products {v} 201-char name", verb, path, 400, body: $$"""{"name":"{{new string('n', 201)}}","price":1,"category":"a","stock":1}""");
            add($"products {v} NUL in name", verb, path, 400, body: """{"name":"a\u0000b","price":1,"category":"a","stock":1}""");
            add($"products {v} CRLF in name", verb, path, 400, body: """{"name":"a\r\nSET x 1","price":1,"category":"a","stock":1}""");
            add($"products {v} missing name", verb, path, 400, body: """{"price":1,"category":"a","stock":1}""");
            add($"products {v} name is a number", verb, path, 400, body: """{"name":5,"price":1,"category":"a","stock":1}""");
            add($"products {v} name is a huge array", verb, path, 400, body: $$"""{"name":{{HugeArray}},"price":1,"category":"a","stock":1}""");
            add($"products {v} negative price", verb, path, 400, body: """{"name":"a","price":-1,"category":"a","stock":1}""");
            add($"products {v} zero price", verb, path, 400, body: """{"name":"a","price":0,"category":"a","stock":1}""");
            add($"products {v} huge price", verb, path, 400, body: """{"name":"a","price":1e30,"category":"a","stock":1}""");
            add($"products {v} price beyond decimal", verb, path, 400, body: """{"name":"a","price":1e400,"category":"a","stock":1}""");
            add($"products {v} price NaN string", verb, path, 400, body: """{"name":"a","price":"NaN","category":"a","stock":1}""");
            add($"products {v} price Infinity string", verb, path, 400, body: """{"name":"a","price":"Infinity","category":"a","stock":1}""");
            add($"products {v} price bare NaN token", verb, path, 400, body: """{"name":"a","price":NaN,"category":"a","stock":1}""");
            add($"products {v} price is an object", verb, path, 400, body: """{"name":"a","price":{},"category":"a","stock":1}""");
            add($"products {v} negative stock", verb, path, 400, body: """{"name":"a","price":1,"category":"a","stock":-1}""");
            add($"products {v} huge stock", verb, path, 400, body: """{"name":"a","price":1,"category":"a","stock":1000001}""");
            add($"products {v} stock beyond int", verb, path, 400, body: """{"name":"a","price":1,"category":"a","stock":99999999999}""");
            add($"products {v} fractional stock", verb, path, 400, body: """{"name":"a","price":1,"category":"a","stock":2.5}""");
            add($"products {v} stock as string", verb, path, 400, body: """{"name":"a","price":1,"category":"a","stock":"5"}""");
            add($"products {v} empty category", verb, path, 400, body: """{"name":"a","price":1,"category":"","stock":1}""");
            add($"products {v} category with space", verb, path, 400, body: """{"name":"a","price":1,"category":"a b","stock":1}""");
            add($"products {v} category with star", verb, path, 400, body: """{"name":"a","price":1,"category":"*","stock":1}""");
            add($"products {v} CRLF in category", verb, path, 400, body: """{"name":"a","price":1,"category":"a\r\nDEL x","stock":1}""");
            add($"products {v} 1 MB category", verb, path, 400, body: $$"""{"name":"a","price":1,"category":"{{OneMb}}","stock":1}""");
        }
    }

    /// <summary>Body-level faults every JSON endpoint must refuse: shape, syntax, size and content type.</summary>
    /// <param name="empty">
    /// The answer to a body that binds to nothing (none, empty, JSON null): 400 where the body is read first, or the
    /// endpoint's own refusal (404 in no class, 403 for no teacher) where who is asking is checked before the body.
    /// </param>
    private static void Bodies(Adder add, string prefix, HttpMethod verb, string path, string valid = ValidProduct, int empty = 400)
    {
        add($"{prefix} no body", verb, path, empty, body: null);
        add($"{prefix} empty body", verb, path, empty, body: "");
        add($"{prefix} whitespace body", verb, path, 400, body: "   \r\n ");
        add($"{prefix} truncated JSON", verb, path, 400, body: valid[..(valid.Length / 2)]);
        add($"{prefix} lone brace", verb, path, 400, body: "{");
        add($"{prefix} JSON null", verb, path, empty, body: "null");
        add($"{prefix} JSON array", verb, path, 400, body: "[]");
        add($"{prefix} JSON string", verb, path, 400, body: "\"hello\"");
        add($"{prefix} JSON number", verb, path, 400, body: "42");
        add($"{prefix} huge array body", verb, path, 400, body: HugeArray);
        add($"{prefix} trailing garbage", verb, path, 400, body: valid + "}}");
        add($"{prefix} text/plain", verb, path, 415, body: valid, contentType: "text/plain");
        add($"{prefix} form-urlencoded", verb, path, 415, body: "name=Lamp&price=1", contentType: "application/x-www-form-urlencoded");
        add($"{prefix} no content type", verb, path, 415, body: valid, contentType: null);
        add($"{prefix} body over 1 MiB", verb, path, 413, body: $$"""{"name":"{{OverCap}}"}""");
    }

    private static void AddCatalogLatency(Adder add)
    {
        const string path = "/api/catalog/latency";
        Bodies(add, "latency PUT", HttpMethod.Put, path, """{"latencyMs":5}""");
        add("latency PUT negative", HttpMethod.Put, path, 400, body: """{"latencyMs":-1}""");
        add("latency PUT huge", HttpMethod.Put, path, 400, body: """{"latencyMs":30001}""");
        add("latency PUT beyond int", HttpMethod.Put, path, 400, body: """{"latencyMs":2147483648}""");
        add("latency PUT int min", HttpMethod.Put, path, 400, body: """{"latencyMs":-2147483648}""");
        add("latency PUT fraction", HttpMethod.Put, path, 400, body: """{"latencyMs":1.5}""");
        add("latency PUT NaN string", HttpMethod.Put, path, 400, body: """{"latencyMs":"NaN"}""");
        add("latency PUT Infinity string", HttpMethod.Put, path, 400, body: """{"latencyMs":"Infinity"}""");
        add("latency PUT 1e309", HttpMethod.Put, path, 400, body: """{"latencyMs":1e309}""");
        add("latency PUT null value", HttpMethod.Put, path, 400, body: """{"latencyMs":null}""");
        add("latency PUT missing field", HttpMethod.Put, path, 400, body: "{}");
        add("latency PUT boolean", HttpMethod.Put, path, 400, body: """{"latencyMs":true}""");
        add("latency PUT 1 MB string", HttpMethod.Put, path, 400, body: $$"""{"latencyMs":"{{OneMb}}"}""");
        add("latency POST", HttpMethod.Post, path, 405, body: """{"latencyMs":5}""");
        add("latency DELETE", HttpMethod.Delete, path, 405);
    }

    private static void AddStampede(Adder add)
    {
        const string path = "/api/cache/stampede";
        Bodies(add, "stampede POST", HttpMethod.Post, path, """{"requests":10,"protection":"lock"}""");
        add("stampede zero requests", HttpMethod.Post, path, 400, body: """{"requests":0,"protection":"lock"}""");
        add("stampede negative requests", HttpMethod.Post, path, 400, body: """{"requests":-5,"protection":"lock"}""");
        add("stampede too many requests", HttpMethod.Post, path, 400, body: """{"requests":5001,"protection":"lock"}""");
        add("stampede requests beyond int", HttpMethod.Post, path, 400, body: """{"requests":4294967296,"protection":"lock"}""");
        add("stampede requests as text", HttpMethod.Post, path, 400, body: """{"requests":"ten","protection":"lock"}""");
        add("stampede requests NaN string", HttpMethod.Post, path, 400, body: """{"requests":"NaN","protection":"lock"}""");
        add("stampede missing requests", HttpMethod.Post, path, 400, body: """{"protection":"lock"}""");
        add("stampede unknown protection", HttpMethod.Post, path, 400, body: """{"requests":10,"protection":"bogus"}""");
        add("stampede empty protection", HttpMethod.Post, path, 400, body: """{"requests":10,"protection":""}""");
        add("stampede whitespace protection", HttpMethod.Post, path, 400, body: """{"requests":10,"protection":"   "}""");
        add("stampede numeric protection", HttpMethod.Post, path, 400, body: """{"requests":10,"protection":"1"}""");
        add("stampede negative numeric protection", HttpMethod.Post, path, 400, body: """{"requests":10,"protection":"-1"}""");
        add("stampede combined protections", HttpMethod.Post, path, 400, body: """{"requests":10,"protection":"lock,coalescing"}""");
        add("stampede protection as number", HttpMethod.Post, path, 400, body: """{"requests":10,"protection":2}""");
        add("stampede NUL protection", HttpMethod.Post, path, 400, body: """{"requests":10,"protection":"lock\u0000"}""");
        add("stampede 1 MB protection", HttpMethod.Post, path, 400, body: $$"""{"requests":10,"protection":"{{OneMb}}"}""");
        add("stampede missing protection", HttpMethod.Post, path, 400, body: """{"requests":10}""");
        add("stampede GET", HttpMethod.Get, path, 405);
    }

    private static void AddNoInputEndpoints(Adder add)
    {
        foreach (var (path, allowed) in new[]
        {
            ("/api/cache/stats", "GET"), ("/api/cache/stats/reset", "POST"), ("/api/cache/write-behind", "GET"),
            ("/api/bench/raw", "GET"), ("/api/bench/memory", "GET"), ("/api/session/me", "GET"), ("/api/session/logout", "POST"), ("/api/session/login", "POST"),
            ("/api/pubsub/publish", "POST"),
        })
        {
            foreach (var verb in new[] { HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete })
            {
                if (verb.Method != allowed)
                {
                    add($"{path} {verb.Method}", verb, path, 405, body: verb == HttpMethod.Get || verb == HttpMethod.Delete ? null : "{}");
                }
            }
        }

        add("cache stats unknown sub-path", HttpMethod.Get, "/api/cache/stats/everything", 404);
        add("bench unknown sub-path", HttpMethod.Get, "/api/bench/raw/../../keys", 404);
        add("unknown api", HttpMethod.Get, "/api/flushall", 404);
    }

    private static void AddSession(Adder add)
    {
        const string login = "/api/session/login";
        Bodies(add, "login", HttpMethod.Post, login, """{"username":"ada"}""");
        add("login empty username", HttpMethod.Post, login, 400, body: """{"username":""}""");
        add("login whitespace username", HttpMethod.Post, login, 400, body: """{"username":" \t "}""");
        add("login null username", HttpMethod.Post, login, 400, body: """{"username":null}""");
        add("login missing username", HttpMethod.Post, login, 400, body: "{}");
        add("login 65-char username", HttpMethod.Post, login, 400, body: $$"""{"username":"{{new string('u', 65)}}"}""");
        add("login 1 MB username", HttpMethod.Post, login, 400, body: $$"""{"username":"{{OneMb}}"}""");
        add("login CRLF username", HttpMethod.Post, login, 400, body: """{"username":"ada\r\nDEL *"}""");
        add("login NUL username", HttpMethod.Post, login, 400, body: """{"username":"ada\u0000"}""");
        add("login escape-char username", HttpMethod.Post, login, 400, body: """{"username":"\u001b[31mada"}""");
        add("login username as number", HttpMethod.Post, login, 400, body: """{"username":42}""");
        add("login username as array", HttpMethod.Post, login, 400, body: """{"username":["ada"]}""");
        add("login username huge array", HttpMethod.Post, login, 400, body: $$"""{"username":{{HugeArray}}}""");

        const string me = "/api/session/me";
        foreach (var (name, cookie) in new[]
        {
            ("empty", ""), ("garbage", "garbage"), ("star", "*"), ("glob", "abc*"), ("short hex", "abcd"),
            ("long", new string('a', 4000)), ("key syntax", "..%3A..%3Asessions%3Aall"), ("quoted", "\"abc\""),
        })
        {
            add($"me with {name} session cookie", HttpMethod.Get, me, 401, header: ("Cookie", $"br-session={cookie}"));
        }

        add("me without cookie", HttpMethod.Get, me, 401);
    }

    private static void AddPubSub(Adder add)
    {
        const string path = "/api/pubsub/publish";
        Bodies(add, "publish", HttpMethod.Post, path, """{"channel":"news","message":"hi"}""");
        add("publish empty channel", HttpMethod.Post, path, 400, body: """{"channel":"","message":"hi"}""");
        add("publish whitespace channel", HttpMethod.Post, path, 400, body: """{"channel":"  ","message":"hi"}""");
        add("publish CRLF channel", HttpMethod.Post, path, 400, body: """{"channel":"news\r\nPUBLISH x","message":"hi"}""");
        add("publish LF channel", HttpMethod.Post, path, 400, body: """{"channel":"news\n","message":"hi"}""");
        add("publish NUL channel", HttpMethod.Post, path, 400, body: """{"channel":"ne\u0000ws","message":"hi"}""");
        add("publish tab channel", HttpMethod.Post, path, 400, body: """{"channel":"ne\tws","message":"hi"}""");
        add("publish pattern channel", HttpMethod.Post, path, 400, body: """{"channel":"news.*","message":"hi"}""");
        add("publish bracket channel", HttpMethod.Post, path, 400, body: """{"channel":"news[1]","message":"hi"}""");
        add("publish 201-char channel", HttpMethod.Post, path, 400, body: $$"""{"channel":"{{new string('c', 201)}}","message":"hi"}""");
        add("publish 1 MB channel", HttpMethod.Post, path, 400, body: $$"""{"channel":"{{OneMb}}","message":"hi"}""");
        add("publish missing channel", HttpMethod.Post, path, 400, body: """{"message":"hi"}""");
        add("publish channel as number", HttpMethod.Post, path, 400, body: """{"channel":7,"message":"hi"}""");
        add("publish channel huge array", HttpMethod.Post, path, 400, body: $$"""{"channel":{{HugeArray}},"message":"hi"}""");
        add("publish missing message", HttpMethod.Post, path, 400, body: """{"channel":"news"}""");
        add("publish null message", HttpMethod.Post, path, 400, body: """{"channel":"news","message":null}""");
        add("publish message over 64 KB", HttpMethod.Post, path, 400, body: $$"""{"channel":"news","message":"{{new string('m', 64 * 1024 + 1)}}"}""");
        add("publish 1 MB message", HttpMethod.Post, path, 400, body: $$"""{"channel":"news","message":"{{OneMb}}"}""");
        add("publish message as object", HttpMethod.Post, path, 400, body: """{"channel":"news","message":{"a":1}}""");
    }

    private static void AddClassroom(Adder add)
    {
        // A join with no code is refused before it counts as an attempt (no rate-limit key). The fixture's client is in no
        // class and has no class open: a body that binds to nothing gets that answer (404) from the others.
        Bodies(add, "class join", HttpMethod.Post, "/api/classroom/join", """{"code":"ABCDEF","nickname":"Ada"}""");
        add("class join code of 7 letters", HttpMethod.Post, "/api/classroom/join", 400, body: """{"code":"ABCDEFG","nickname":"Ada"}""");
        add("class join code with a star", HttpMethod.Post, "/api/classroom/join", 400, body: """{"code":"ABC*EF","nickname":"Ada"}""");
        add("class join code as number", HttpMethod.Post, "/api/classroom/join", 400, body: """{"code":123456,"nickname":"Ada"}""");
        add("class join nickname with CRLF", HttpMethod.Post, "/api/classroom/join", 400, body: """{"code":"ABCDEF","nickname":"Ada\r\nSET x 1"}""");
        add("class join 1 MB nickname", HttpMethod.Post, "/api/classroom/join", 400, body: $$"""{"code":"ABCDEF","nickname":"{{OneMb}}"}""");
        Bodies(add, "class channel post", HttpMethod.Post, "/api/classroom/channel", """{"text":"hi"}""", empty: 404);
        Bodies(add, "class poll answer", HttpMethod.Post, "/api/classroom/polls/0123abcd/answer", """{"choices":[0]}""", empty: 404);
        // A pause without "paused" is refused before the class is looked up: 400 even with no class open.
        Bodies(add, "class pause", HttpMethod.Post, "/api/classroom/class/pause", """{"paused":true}""");
        Bodies(add, "class teacher post", HttpMethod.Post, "/api/classroom/class/channel", """{"text":"hi"}""", empty: 404);
    }

    private static void AddLimited(Adder add)
    {
        foreach (var (name, raw) in new[]
        {
            ("unknown", "bogus"), ("numeric", "1"), ("negative", "-1"), ("NaN", "NaN"), ("crlf", "fixed-window%0D%0A"),
            ("nul", "fixed-window%00"), ("space", "%20"), ("star", "*"), ("traversal", "..%2F..%2Fkeys"), ("long", new string('a', 2000)),
            ("enum name", "SlidingLog"), ("trailing space", "token-bucket%20"),
        })
        {
            var kestrel = raw.Contains("%00", StringComparison.Ordinal);
            add($"limited unknown algorithm {name}", HttpMethod.Get, $"/api/limited/{raw}", kestrel ? 400 : 404, !kestrel);
        }

        var algorithm = RateLimitAlgorithms.All[0].Slug();
        foreach (var (name, learner) in new[]
        {
            ("word", "xyz"), ("31 hex", GoodLearner[..31]), ("33 hex", GoodLearner + "a"), ("uppercase hex", GoodLearner.ToUpperInvariant()),
            ("star", "*"), ("key syntax", "a:b:c"), ("whitespace", "   "), ("non-hex", new string('g', 32)),
            ("bare learner id (printed in every trace, proves nothing)", GoodLearner), ("token-shaped garbage", "CfDJ8" + new string('A', 100)),
            ("token over the length cap", new string('A', 5000)),
        })
        {
            add($"limited learner header {name}", HttpMethod.Get, $"/api/limited/{algorithm}", 400, header: ("X-Learner-Id", learner));
            add($"limited learner query {name}", HttpMethod.Get, $"/api/limited/{algorithm}?learner={Uri.EscapeDataString(learner)}", 400);
        }

        add("limited learner query CRLF", HttpMethod.Get, $"/api/limited/{algorithm}?learner=a%0D%0Ab", 400);
        add("limited learner query empty", HttpMethod.Get, $"/api/limited/{algorithm}?learner=", 400);
        add("limited POST", HttpMethod.Post, $"/api/limited/{algorithm}", 405, body: "{}");
    }
}
