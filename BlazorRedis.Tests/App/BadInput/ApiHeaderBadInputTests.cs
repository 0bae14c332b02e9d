using System.Text;
using BlazorRedis.Core.RateLimiting;

namespace BlazorRedis.Tests.App.BadInput;

/// <summary>
/// The bad-input table beyond bodies: cookies, headers, query values and content-type parameters, against every
/// endpoint that reads them (and a few that must simply ignore them). Same rules as <see cref="ApiBadInputTests"/>:
/// a 4xx problem (or, where a malformed value is harmless, anything below 500), no error in the log, no key written.
/// </summary>
public class ApiHeaderBadInputTests(BadInputAppFixture app) : IClassFixture<BadInputAppFixture>
{
    /// <summary>The names of all cases; the data of each is in <see cref="ApiHeaderBadInputCases.All"/>.</summary>
    public static TheoryData<string> Cases => new(ApiHeaderBadInputCases.All.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_headers_cookies_and_content_types_get_a_4xx_log_no_error_and_write_no_key(string name)
    {
        using var client = RawClient(app.Factory.BaseAddress);
        await ApiBadInputTests.AssertRefusedAsync(app, client, name, ApiHeaderBadInputCases.All[name]);
    }

    /// <summary>
    /// A client that sends cookies and headers exactly as the case writes them: no cookie jar, and header values
    /// as UTF-8 bytes (the default refuses anything but ASCII before it reaches the server).
    /// </summary>
    internal static HttpClient RawClient(Uri baseAddress) => new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
        Expect100ContinueTimeout = TimeSpan.FromSeconds(30),
    })
    { BaseAddress = baseAddress };
}

/// <summary>The header table: what each endpoint reads besides its body, with values a client may send.</summary>
public static class ApiHeaderBadInputCases
{
    private const string GoodLearner = "0123456789abcdef0123456789abcdef";
    private static readonly string EightKb = new('a', 8 * 1024);
    private static readonly string FourKb = new('a', 4 * 1024);

    /// <summary>43 base64url characters (the length of a real id) that decode to 32 bytes only if the unused low bits of the last one are ignored.</summary>
    public static readonly string[] NonCanonicalSessionIds =
    [
        new string('A', 42) + "B", new string('A', 42) + "_", new string('_', 43), new string('-', 42) + "Z",
    ];

    private static readonly Lazy<Dictionary<string, ApiBadInputCase>> AllCases = new(Build);

    public static IReadOnlyDictionary<string, ApiBadInputCase> All => AllCases.Value;

    /// <summary>Every JSON endpoint with a body it would accept: the content type is the only fault in these cases.</summary>
    internal static readonly (string Name, HttpMethod Method, string Path, string Body)[] JsonEndpoints =
    [
        ("login", HttpMethod.Post, "/api/session/login", """{"username":"ada"}"""),
        ("logout", HttpMethod.Post, "/api/session/logout", "{}"),
        ("publish", HttpMethod.Post, "/api/pubsub/publish", """{"channel":"news","message":"hi"}"""),
        ("stampede", HttpMethod.Post, "/api/cache/stampede", """{"requests":2,"protection":"lock"}"""),
        ("latency", HttpMethod.Put, "/api/catalog/latency", """{"latencyMs":0}"""),
        ("products POST", HttpMethod.Post, "/api/products", """{"name":"Lamp","price":12.5,"category":"home","stock":3}"""),
        ("products PUT", HttpMethod.Put, "/api/products/1", """{"name":"Lamp","price":12.5,"category":"home","stock":3}"""),
        ("class join", HttpMethod.Post, "/api/classroom/join", """{"code":"ABCDEF","nickname":"Ada"}"""),
        ("class channel post", HttpMethod.Post, "/api/classroom/channel", """{"text":"hi"}"""),
        ("class poll answer", HttpMethod.Post, "/api/classroom/polls/0123abcd/answer", """{"choices":[0]}"""),
        ("class pause", HttpMethod.Post, "/api/classroom/class/pause", """{"paused":true}"""),
        ("class bring", HttpMethod.Post, "/api/classroom/class/bring", """{"path":"/"}"""),
        ("class rename", HttpMethod.Put, "/api/classroom/class/learners/" + GoodLearner + "/nickname", """{"nickname":"Ada"}"""),
        ("class poll push", HttpMethod.Post, "/api/classroom/class/polls", """{"question":"Q","options":["a","b"],"multiple":false}"""),
        ("class poll reveal", HttpMethod.Post, "/api/classroom/class/polls/0123abcd/reveal", """{"correct":[0]}"""),
        ("class teacher post", HttpMethod.Post, "/api/classroom/class/channel", """{"text":"hi"}"""),
        ("class stampede arm", HttpMethod.Post, "/api/classroom/class/stampedes", """{"protection":"lock","windowSeconds":10}"""),
    ];

    /// <summary>Content types a JSON endpoint must refuse with 415: another charset, a malformed header, or not JSON at all.</summary>
    private static readonly (string Name, string ContentType)[] BadContentTypes =
    [
        ("charset utf-7", "application/json; charset=utf-7"),
        ("charset UTF-7 uppercase", "application/json; charset=UTF-7"),
        ("charset foo", "application/json; charset=foo"),
        ("charset ibm037", "application/json; charset=ibm037"),
        ("charset utf-16", "application/json; charset=utf-16"),
        ("charset utf-32", "application/json; charset=utf-32"),
        ("charset latin1", "application/json; charset=latin1"),
        ("charset empty", "application/json; charset="),
        ("charset without value", "application/json; charset"),
        ("charset twice", "application/json; charset=utf-8; charset=utf-7"),
        ("charset 8 KB", "application/json; charset=" + new string('x', 8 * 1024)),
        ("charset unicode", "application/json; charset=ütf-8"),
        ("vendor json utf-7", "application/vnd.api+json; charset=utf-7"),
        ("text/json utf-7", "text/json; charset=utf-7"),
        ("nameless parameter", "application/json; =utf-8"),
        ("space in type", "application/json garbage"),
        ("two types", "application/json, text/plain"),
        ("any type", "*/*"),
        ("application wildcard", "application/*"),
        ("multipart", "multipart/form-data; boundary=x"),
        ("form utf-7", "application/x-www-form-urlencoded; charset=utf-7"),
    ];

    /// <summary>br-session values that are not an id this app could have issued.</summary>
    private static readonly (string Name, string Cookie)[] BadSessionCookies =
    [
        .. NonCanonicalSessionIds.Select((id, i) => ($"non-canonical base64 {i + 1}", $"br-session={id}")),
        ("8 KB", "br-session=" + EightKb),
        ("unicode", "br-session=séssion-ünïcode"),
        ("emoji", "br-session=" + string.Concat(Enumerable.Repeat("😀", 21)) + "A"),
        ("bad percent escapes", "br-session=%FF%FE%FD"),
        ("percent NUL", "br-session=%00" + new string('A', 40)),
        ("lone percent", "br-session=%"),
        ("quoted id", "br-session=\"" + new string('A', 43) + "\""),
        ("padded id", "br-session=" + new string('A', 43) + "="),
        ("standard base64 alphabet", "br-session=" + new string('+', 42) + "/"),
        ("space inside", "br-session=abc def"),
        ("empty", "br-session="),
        ("no value", "br-session"),
        ("two cookies", "br-session=" + new string('A', 42) + "B; br-session=garbage"),
        ("comma list", "br-session=a,b"),
        ("key syntax", "br-session={sessions}:user:alice"),
    ];

    /// <summary>br-learner and br-theme values no browser of this app holds.</summary>
    private static readonly (string Name, string Value)[] BadBrowserCookies =
    [
        ("garbage", "garbage"), ("8 KB", EightKb), ("unicode", "lérner-ü"), ("33 hex", GoodLearner + "a"),
        ("uppercase hex", GoodLearner.ToUpperInvariant()), ("bad percent escapes", "%FF%FE"), ("empty", ""),
        ("key syntax", "*:{x}"),
    ];

    private static Dictionary<string, ApiBadInputCase> Build()
    {
        var cases = new Dictionary<string, ApiBadInputCase>(StringComparer.Ordinal);
        void Add(string name, HttpMethod method, string path, int? expected, bool problem = true, string? body = null, string? contentType = null, bool tolerated = false, params (string Name, string Value)[] headers) =>
            cases.Add(name, new ApiBadInputCase(
                () =>
                {
                    var request = new HttpRequestMessage(method, path);
                    if (body is not null)
                    {
                        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                        if (contentType is not null)
                        {
                            // Unvalidated: the point is to send content types the client library would refuse to parse.
                            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                        }
                    }

                    foreach (var (h, v) in headers)
                    {
                        request.Headers.TryAddWithoutValidation(h, v);
                    }

                    return request;
                },
                expected,
                problem,
                tolerated));

        // Content types: 415 with a problem body from every JSON endpoint, however odd the parameters.
        foreach (var (endpoint, method, path, body) in JsonEndpoints)
        {
            foreach (var (name, contentType) in BadContentTypes)
            {
                Add($"{endpoint} content type {name}", method, path, 415, body: body, contentType: contentType);
            }
        }

        // A content type on an endpoint that takes no body is not read: never a 5xx.
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/api/cache/stats"), (HttpMethod.Get, "/api/products/1"), (HttpMethod.Get, "/api/session/me"), (HttpMethod.Get, "/health") })
        {
            Add($"{method} {path} content type charset utf-7", method, path, null, body: "", contentType: "application/json; charset=utf-7", tolerated: true);
        }

        // Session cookies: "no session" (401 on /me), never a 500, and the key space untouched.
        foreach (var (name, cookie) in BadSessionCookies)
        {
            Add($"me with session cookie {name}", HttpMethod.Get, "/api/session/me", 401, headers: ("Cookie", cookie));
            Add($"logout with session cookie {name}", HttpMethod.Post, "/api/session/logout", null, body: "{}", contentType: "application/json", tolerated: true, headers: ("Cookie", cookie));
        }

        foreach (var (name, cookie) in BadSessionCookies.Where(c => c.Name.StartsWith("non-canonical", StringComparison.Ordinal) || c.Name is "8 KB" or "two cookies"))
        {
            Add($"login with bad username and session cookie {name}", HttpMethod.Post, "/api/session/login", 400, body: """{"username":""}""", contentType: "application/json", headers: ("Cookie", cookie));
        }

        // Learner and theme cookies: a page issues a fresh learner cookie (or ignores the theme); the API ignores both.
        foreach (var (name, value) in BadBrowserCookies)
        {
            Add($"home page with learner cookie {name}", HttpMethod.Get, "/", null, tolerated: true, headers: ("Cookie", $"br-learner={value}"));
            Add($"rate-limiting page with learner cookie {name}", HttpMethod.Get, "/rate-limiting", null, tolerated: true, headers: ("Cookie", $"br-learner={value}"));
            Add($"home page with theme cookie {name}", HttpMethod.Get, "/", null, tolerated: true, headers: ("Cookie", $"br-theme={value}"));
            Add($"cache stats with learner and theme cookies {name}", HttpMethod.Get, "/api/cache/stats", null, tolerated: true, headers: ("Cookie", $"br-learner={value}; br-theme={value}"));
        }

        // The class API: a learner cookie this app did not issue is in no class (404); a teacher cookie it did not issue
        // is no teacher (403). Neither is a 5xx, and nothing is posted or counted.
        foreach (var (name, value) in BadBrowserCookies)
        {
            Add($"class channel history with learner cookie {name}", HttpMethod.Get, "/api/classroom/channel", 404, headers: ("Cookie", $"br-learner={value}"));
            Add($"class channel post with learner cookie {name}", HttpMethod.Post, "/api/classroom/channel", 404, body: """{"text":"hi"}""", contentType: "application/json", headers: ("Cookie", $"br-learner={value}"));
            Add($"class poll answer with learner cookie {name}", HttpMethod.Post, "/api/classroom/polls/0123abcd/answer", 404, body: """{"choices":[0]}""", contentType: "application/json", headers: ("Cookie", $"br-learner={value}"));
            Add($"class roster with teacher cookie {name}", HttpMethod.Get, "/api/classroom/class/roster", 403, headers: ("Cookie", $"br-teacher={value}"));
            Add($"class teacher post with teacher cookie {name}", HttpMethod.Post, "/api/classroom/class/channel", 403, body: """{"text":"hi"}""", contentType: "application/json", headers: ("Cookie", $"br-teacher={value}; br-learner={value}"));
        }

        // X-Learner-Id and ?learner= on the rate-limited endpoint: 400, and no request is counted.
        var limited = "/api/limited/" + RateLimitAlgorithms.All[0].Slug();
        foreach (var (name, value) in new[]
        {
            ("8 KB", EightKb), ("comma list", GoodLearner + "," + GoodLearner), ("empty", ""), ("0x prefix", "0x" + GoodLearner[..30]),
            ("signed", "-" + GoodLearner[..31]), ("percent-encoded", string.Concat(GoodLearner.Select(c => $"%{(int)c:X2}"))),
            ("quoted", "\"" + GoodLearner + "\""), ("NUL inside", GoodLearner[..16] + "\0" + GoodLearner[17..]),
        })
        {
            // Kestrel itself refuses a NUL in a header value.
            var app = !value.Contains('\0', StringComparison.Ordinal);
            Add($"limited learner header {name}", HttpMethod.Get, limited, 400, problem: app, headers: ("X-Learner-Id", value));
        }

        Add("limited learner header unicode", HttpMethod.Get, limited, 400, headers: ("X-Learner-Id", "ü" + GoodLearner[1..]));
        foreach (var (name, query) in new[]
        {
            ("4 KB", "learner=" + FourKb), ("bad percent escapes", "learner=%FF%FE"), ("unicode", "learner=" + Uri.EscapeDataString("ü" + GoodLearner[1..])),
            ("twice, both bad", "learner=xyz&learner=" + GoodLearner[..31]), ("NUL", "learner=" + GoodLearner[..31] + "%00"), ("plus for space", "learner=+" + GoodLearner[1..]),
        })
        {
            Add($"limited learner query {name}", HttpMethod.Get, $"{limited}?{query}", 400);
        }

        // Kestrel's own limit on the request line (8 KB) answers before the app does.
        Add("limited learner query over the request line limit", HttpMethod.Get, $"{limited}?learner={EightKb}", 414, problem: false);

        // bypassCache: only true or false.
        foreach (var (name, value) in new[] { ("4 KB", FourKb), ("number", "1"), ("unicode", Uri.EscapeDataString("trüe")), ("bad percent escapes", "%FF"), ("NUL", "true%00"), ("twice", "true&bypassCache=false") })
        {
            Add($"products GET bypassCache {name}", HttpMethod.Get, $"/api/products/1?bypassCache={value}", 400);
            Add($"products list bypassCache {name}", HttpMethod.Get, $"/api/products?bypassCache={value}", 400);
        }

        // Accept: whatever a client asks for, a refusal stays a refusal with its status.
        foreach (var (name, accept) in new[] { ("xml", "application/xml"), ("html", "text/html"), ("bad q", "*/*; q=abc"), ("semicolons", ";;;"), ("8 KB", "application/" + EightKb), ("nothing acceptable", "image/png;q=0") })
        {
            Add($"products bad id with Accept {name}", HttpMethod.Get, "/api/products/abc", 400, problem: false, headers: ("Accept", accept));
            Add($"me without session with Accept {name}", HttpMethod.Get, "/api/session/me", 401, problem: false, headers: ("Accept", accept));
            Add($"publish text/plain with Accept {name}", HttpMethod.Post, "/api/pubsub/publish", 415, problem: false, body: "hi", contentType: "text/plain", headers: ("Accept", accept));
        }

        // Headers no endpoint reads (forwarded headers are off unless configured): ignored, never a 5xx.
        foreach (var (name, header, value) in new[]
        {
            ("X-Forwarded-For garbage", "X-Forwarded-For", "not-an-ip, ::zz, 999.1.1.1"), ("X-Forwarded-Proto garbage", "X-Forwarded-Proto", "gopher"),
            ("Origin cross-site", "Origin", "http://evil.example"), ("If-None-Match garbage", "If-None-Match", "\"" + EightKb),
        })
        {
            Add($"health with {name}", HttpMethod.Get, "/health", null, tolerated: true, headers: (header, value));
            Add($"cache stats with {name}", HttpMethod.Get, "/api/cache/stats", null, tolerated: true, headers: (header, value));
        }

        return cases;
    }
}
