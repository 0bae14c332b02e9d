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
/// the teacher cookie lives), so the link works once across every app instance and restart. Redis may lose that mark (a
/// restart without persistence, a flush) while the link is still on a projector or in the log, so each instance also
/// remembers the claim it made or saw (<see cref="LookAsync"/> reads it every <see cref="LookInterval"/>): while it
/// remembers one, the link is refused and the missing mark is written back. Like the learner cookie, the
/// teacher cookie slides: one issued more than <see cref="LearnerTokens.CookieRefreshAfter"/> ago is issued again for the
/// same learner with the full <see cref="CookieMaxAge"/> (<see cref="Slide"/>), so a teacher who keeps using the app stays the teacher.
/// </summary>
public sealed partial class TeacherAccess
{
    /// <summary>The teacher cookie's name.</summary>
    public const string CookieName = "br-teacher";

    /// <summary>The Data Protection purpose of the teacher cookie (worthless as a learner or rate-limit token, and back).</summary>
    public const string CookiePurpose = "BlazorRedis.TeacherCookie.v1";

    /// <summary>How long the teacher cookie lives.</summary>
    public static readonly TimeSpan CookieMaxAge = TimeSpan.FromDays(30);

    /// <summary>Where the teacher link points; <c>?token=</c> follows.</summary>
    public const string ClaimPath = "/teacher/claim";

    /// <summary>How often each instance reads the claim (and, knowing one, writes it back when Redis lost it).</summary>
    public static readonly TimeSpan LookInterval = TimeSpan.FromSeconds(15);

    private readonly IDataProtector _protector;
    private readonly byte[] _token;
    private readonly string _generation;
    private readonly bool _reusable;
    private readonly RedisKey _claimKey;
    private readonly RedisKey _inUseKey;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILogger<TeacherAccess> _logger;

    // When the claim this instance made or saw ends (UTC ticks; 0: none known). Redis may forget it, this process does not.
    private long _claimEndsTicks;

    public TeacherAccess(
        IDataProtectionProvider provider, IOptions<ClassroomOptions> options, RedisKeyspace keyspace, IServiceProvider services, TimeProvider time, ILogger<TeacherAccess> logger)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keyspace);
        _services = services ?? throw new ArgumentNullException(nameof(services));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _protector = provider.CreateProtector(CookiePurpose);
        Token = options.Value.TeacherToken is { Length: > 0 } configured ? configured : Base64UrlToken();
        IsConfigured = options.Value.TeacherToken is { Length: > 0 };
        _reusable = options.Value.ReusableTeacherLink;
        _token = Encoding.UTF8.GetBytes(Token);

        // The generation ties cookies to the token: a configured token keeps them valid across restarts, a random one does not.
        _generation = Convert.ToHexString(SHA256.HashData(_token))[..16];
        _claimKey = keyspace.Key("classroom", "teacher-claimed", _generation);
        _inUseKey = keyspace.Key("classroom", "teacher-token-in-use", _generation);
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
    /// spends it. Constant-time comparison, so timing tells nothing about the token. A claim this instance remembers
    /// refuses the link even when Redis has lost its mark, and writes the mark back.
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
        if (KnownClaimEnd() is { } ends)
        {
            try
            {
                await RestoreClaimAsync(db, ends).ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // Refused all the same: the watcher's next look writes the claim back.
            }

            return false;
        }

        var now = _time.GetUtcNow();
        if (await db.StringSetAsync(_claimKey, now.ToString("O", CultureInfo.InvariantCulture), CookieMaxAge, When.NotExists).ConfigureAwait(false))
        {
            Remember(now + CookieMaxAge);
            return true;
        }

        // Another browser, perhaps through another instance, claimed it: remember that claim too.
        Remember(now + (await db.KeyTimeToLiveAsync(_claimKey).ConfigureAwait(false) ?? CookieMaxAge));
        return false;
    }

    /// <summary>True while this instance remembers a claim of the link that has not expired.</summary>
    public bool KnowsClaim => KnownClaimEnd() is not null;

    /// <summary>
    /// Reads the claim from Redis (every <see cref="LookInterval"/>, at start and when the connection comes back): one
    /// another instance made is remembered from now on, and one this instance remembers but Redis lost is written back
    /// (with a warning). At start (<paramref name="atStart"/>), a configured token of which Redis holds no trace at all
    /// (neither the claim nor the mark that an instance ran with it) may mean Redis lost its data while the link was
    /// already used: that is logged as a warning that tells the operator to set a new token.
    /// </summary>
    public async Task LookAsync(bool atStart = false)
    {
        if (_reusable)
        {
            return;
        }

        var db = _services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        if (IsConfigured)
        {
            // The mark that this token is in use with this Redis: a restart finds it, unless Redis lost its data meanwhile.
            // Two reads, not one EXISTS of both keys: on a cluster they live in different slots.
            if (atStart && KnownClaimEnd() is null
                && !await db.KeyExistsAsync(_inUseKey).ConfigureAwait(false) && !await db.KeyExistsAsync(_claimKey).ConfigureAwait(false))
            {
                LogNoTrace(_logger, _claimKey.ToString());
            }

            await db.StringSetAsync(_inUseKey, _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture), CookieMaxAge).ConfigureAwait(false);
        }

        if (KnownClaimEnd() is { } ends)
        {
            await RestoreClaimAsync(db, ends).ConfigureAwait(false);
        }
        else if (await db.KeyTimeToLiveAsync(_claimKey).ConfigureAwait(false) is { } left && left > TimeSpan.Zero)
        {
            Remember(_time.GetUtcNow() + left);
        }
    }

    private DateTimeOffset? KnownClaimEnd()
    {
        var ticks = Interlocked.Read(ref _claimEndsTicks);
        return ticks > _time.GetUtcNow().UtcTicks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
    }

    private void Remember(DateTimeOffset ends)
    {
        // The latest end wins: two instances' reads of one claim differ by their round trips only.
        var ticks = ends.UtcTicks;
        for (var seen = Interlocked.Read(ref _claimEndsTicks); seen < ticks; seen = Interlocked.Read(ref _claimEndsTicks))
        {
            if (Interlocked.CompareExchange(ref _claimEndsTicks, ticks, seen) == seen)
            {
                return;
            }
        }
    }

    /// <summary>Writes the remembered claim back when Redis no longer has it, with the rest of its life (<c>SET … NX</c>).</summary>
    private async Task RestoreClaimAsync(IDatabase db, DateTimeOffset ends)
    {
        var left = ends - _time.GetUtcNow();
        if (left > TimeSpan.Zero
            && await db.StringSetAsync(_claimKey, (ends - CookieMaxAge).ToString("O", CultureInfo.InvariantCulture), left, When.NotExists).ConfigureAwait(false))
        {
            LogRestored(_logger, _claimKey.ToString());
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The teacher link's claim ({Key}) was missing from Redis (restarted without persistence, or flushed?). "
        + "This instance remembers that the link was opened, so it stays refused, and the claim was written back. "
        + "If another instance that did not know of the claim may have let the link in meanwhile, set a new Classroom:TeacherToken.")]
    private static partial void LogRestored(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis holds no trace of the teacher link of Classroom:TeacherToken ({Key}): either this token is new here, "
        + "or Redis lost its data (restarted without persistence, or flushed). If the link was already opened, anyone who saw it "
        + "(the log, a projector, a chat) can open it again and become the teacher: set a new Classroom:TeacherToken.")]
    private static partial void LogNoTrace(ILogger logger, string key);

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
