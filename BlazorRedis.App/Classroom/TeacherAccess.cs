using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BlazorRedis.App.Hosting;
using BlazorRedis.Core.Keys;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace BlazorRedis.App.Classroom;

/// <summary>
/// Who is the teacher. The teacher link carries a token (configured, or random at each start and logged); opening it
/// once gives that browser a <c>br-teacher</c> cookie protected by Data Protection. The cookie names the token's
/// generation and the browser's learner id, so a cookie from an earlier random token, or copied beside another
/// browser's learner cookie, proves nothing; anything this app did not issue is refused. Unless the link is reusable,
/// the first claim is remembered in Redis (<c>{prefix}classroom:teacher-claimed:{hash of the token}</c>, for as long as
/// the teacher cookie lives), so the link works once across every app instance and restart. Like the learner cookie, the
/// teacher cookie slides: one issued more than <see cref="LearnerTokens.CookieRefreshAfter"/> ago is issued again for the
/// same learner with the full <see cref="CookieMaxAge"/> (<see cref="Slide"/>), so a teacher who keeps using the app stays the teacher.
/// </summary>
public sealed class TeacherAccess
{
    /// <summary>The teacher cookie's name.</summary>
    public const string CookieName = "br-teacher";

    /// <summary>The Data Protection purpose of the teacher cookie (worthless as a learner or rate-limit token, and back).</summary>
    public const string CookiePurpose = "BlazorRedis.TeacherCookie.v1";

    /// <summary>How long the teacher cookie lives.</summary>
    public static readonly TimeSpan CookieMaxAge = TimeSpan.FromDays(30);

    /// <summary>Where the teacher link points; <c>?token=</c> follows.</summary>
    public const string ClaimPath = "/teacher/claim";

    private readonly IDataProtector _protector;
    private readonly byte[] _token;
    private readonly string _generation;
    private readonly bool _reusable;
    private readonly RedisKey _claimKey;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;

    public TeacherAccess(IDataProtectionProvider provider, IOptions<ClassroomOptions> options, RedisKeyspace keyspace, IServiceProvider services, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keyspace);
        _services = services ?? throw new ArgumentNullException(nameof(services));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _protector = provider.CreateProtector(CookiePurpose);
        Token = options.Value.TeacherToken is { Length: > 0 } configured ? configured : Base64UrlToken();
        IsConfigured = options.Value.TeacherToken is { Length: > 0 };
        _reusable = options.Value.ReusableTeacherLink;
        _token = Encoding.UTF8.GetBytes(Token);

        // The generation ties cookies to the token: a configured token keeps them valid across restarts, a random one does not.
        _generation = Convert.ToHexString(SHA256.HashData(_token))[..16];
        _claimKey = keyspace.Key("classroom", "teacher-claimed", _generation);
    }

    /// <summary>The token of the teacher link (never shown in the UI; logged once at start when it is random).</summary>
    public string Token { get; }

    /// <summary>True when the token came from <c>Classroom:TeacherToken</c>.</summary>
    public bool IsConfigured { get; }

    /// <summary>The teacher link's path and query.</summary>
    public string LinkPath => $"{ClaimPath}?token={Token}";

    /// <summary>
    /// Spends the teacher link: true once for the right token (every time when the link is reusable), across every app
    /// instance on this Redis and across restarts (<c>SET … NX</c> with the teacher cookie's life). A wrong token never
    /// spends it. Constant-time comparison, so timing tells nothing about the token.
    /// </summary>
    public async Task<bool> TryClaimAsync(string? token)
    {
        if (token is null || token.Length > 200
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), _token))
        {
            return false;
        }

        if (_reusable)
        {
            return true;
        }

        var db = _services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        return await db.StringSetAsync(_claimKey, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), CookieMaxAge, When.NotExists).ConfigureAwait(false);
    }

    /// <summary>The cookie value that makes <paramref name="learner"/>'s browser the teacher, issued now.</summary>
    public string ForCookie(LearnerId learner) => ForCookie(learner, _time.GetUtcNow());

    /// <summary>
    /// The cookie value that makes <paramref name="learner"/>'s browser the teacher, issued at <paramref name="issuedAt"/>:
    /// <c>generation|id|unix seconds</c>, protected; the time serves only to tell when to issue the cookie again.
    /// </summary>
    internal string ForCookie(LearnerId learner, DateTimeOffset issuedAt) =>
        _protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{_generation}|{learner.Value}|{issuedAt.ToUnixTimeSeconds()}"));

    /// <summary>True when <paramref name="cookie"/> is a teacher cookie of this token's generation for <paramref name="learner"/>.</summary>
    public bool IsTeacherCookie(string? cookie, LearnerId? learner) => IsTeacherCookie(cookie, learner, out _);

    /// <summary>
    /// True when <paramref name="cookie"/> is a teacher cookie of this token's generation for <paramref name="learner"/>;
    /// <paramref name="stale"/> is true when it was issued more than <see cref="LearnerTokens.CookieRefreshAfter"/> ago, or
    /// before teacher cookies carried their issue time: then it should be issued again.
    /// </summary>
    public bool IsTeacherCookie(string? cookie, LearnerId? learner, out bool stale)
    {
        stale = false;
        if (learner is not { Value: not null } me || string.IsNullOrEmpty(cookie) || cookie.Length > LearnerTokens.MaxTokenLength)
        {
            return false;
        }

        try
        {
            var parts = _protector.Unprotect(cookie).Split('|');
            if (parts.Length < 2 || parts.Length > 3 || parts[0] != _generation || parts[1] != me.Value)
            {
                return false;
            }

            if (parts.Length == 2)
            {
                stale = true;
                return true;
            }

            if (!long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            {
                return false;
            }

            stale = _time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds) >= LearnerTokens.CookieRefreshAfter;
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            // Forged, tampered with, or made under a key this app no longer has.
            return false;
        }
    }

    /// <summary>Gives this browser the teacher cookie of <paramref name="learner"/>, lasting <see cref="CookieMaxAge"/>.</summary>
    public void Issue(HttpContext context, LearnerId learner)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Append(CookieName, ForCookie(learner), LearnerCookieMiddleware.LastingCookie(context, CookieMaxAge));
    }

    /// <summary>
    /// Sliding: the teacher cookie of <paramref name="learner"/>, issued more than <see cref="LearnerTokens.CookieRefreshAfter"/>
    /// ago, is issued again for the same learner with the full lifetime (once a day at most). Anything else is left alone.
    /// </summary>
    public void Slide(HttpContext context, LearnerId learner)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (IsTeacherCookie(context.Request.Cookies[CookieName], learner, out var stale) && stale)
        {
            Issue(context, learner);
        }
    }

    /// <summary>True when the request comes from the teacher's browser.</summary>
    public bool IsTeacher(HttpContext? context) =>
        context is not null && IsTeacherCookie(context.Request.Cookies[CookieName], LearnerCookieMiddleware.Get(context));

    /// <summary>Is the request the teacher's? False when the app has no classroom (an isolated test host).</summary>
    public static bool IsTeacherRequest(HttpContext? context) =>
        context?.RequestServices.GetService<TeacherAccess>() is { } access && access.IsTeacher(context);

    private static string Base64UrlToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
}
