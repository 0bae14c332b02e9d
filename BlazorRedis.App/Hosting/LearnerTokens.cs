using System.Globalization;
using System.Security.Cryptography;
using BlazorRedis.Core.Keys;
using Microsoft.AspNetCore.DataProtection;

namespace BlazorRedis.App.Hosting;

/// <summary>
/// Turns a learner id into the tokens a client holds, with ASP.NET Core Data Protection (authenticated encryption
/// under the app's key ring). The id itself is shown everywhere (every trace prints the learner's keys), so it
/// must not be what proves who a client is: only a token this app issued does, and a token of one purpose is
/// worthless for the other.
/// </summary>
public sealed class LearnerTokens
{
    /// <summary>The purpose of the <c>br-learner</c> cookie: the learner's keys (reset, demos, sessions).</summary>
    public const string CookiePurpose = "BlazorRedis.LearnerCookie.v1";

    /// <summary>The purpose of the rate-limit API token: the learner's rate-limit counters, nothing else.</summary>
    public const string RateLimitPurpose = "BlazorRedis.RateLimitToken.v1";

    /// <summary>Longer values are refused before any decryption is tried (a real token is about 110 characters).</summary>
    public const int MaxTokenLength = 400;

    /// <summary>
    /// A learner cookie issued longer ago than this is issued again (the same learner, the full lifetime), so a learner
    /// who keeps coming back never reaches the cookie's end; once a day at most, so a page load is not a new cookie each time.
    /// </summary>
    public static readonly TimeSpan CookieRefreshAfter = TimeSpan.FromDays(1);

    private readonly IDataProtector _cookie;
    private readonly IDataProtector _rateLimit;
    private readonly TimeProvider _time;

    public LearnerTokens(IDataProtectionProvider provider, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _cookie = provider.CreateProtector(CookiePurpose);
        _rateLimit = provider.CreateProtector(RateLimitPurpose);
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>The cookie value that names <paramref name="learner"/>, issued now.</summary>
    public string ForCookie(LearnerId learner) => ForCookie(learner, _time.GetUtcNow());

    /// <summary>
    /// The cookie value that names <paramref name="learner"/>, issued at <paramref name="issuedAt"/>: <c>id|unix seconds</c>,
    /// protected, so the time is this app's and serves only to tell when to issue the cookie again.
    /// </summary>
    internal string ForCookie(LearnerId learner, DateTimeOffset issuedAt) =>
        _cookie.Protect(string.Create(CultureInfo.InvariantCulture, $"{learner.Value}|{issuedAt.ToUnixTimeSeconds()}"));

    /// <summary>Reads a cookie value; false for anything this app did not issue (a bare learner id included).</summary>
    public bool TryReadCookie(string? token, out LearnerId learner) => TryReadCookie(token, out learner, out _);

    /// <summary>
    /// Reads a cookie value; false for anything this app did not issue (a bare learner id included). <paramref name="stale"/>
    /// is true when the cookie was issued more than <see cref="CookieRefreshAfter"/> ago, or before cookies carried their
    /// issue time (the id alone, protected): then it should be issued again.
    /// </summary>
    public bool TryReadCookie(string? token, out LearnerId learner, out bool stale)
    {
        stale = false;
        if (!TryUnprotect(_cookie, token, out var payload))
        {
            learner = default;
            return false;
        }

        var parts = payload.Split('|');
        if (parts.Length == 1)
        {
            stale = true;
            return LearnerId.TryParse(parts[0], out learner);
        }

        if (parts.Length != 2 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            learner = default;
            return false;
        }

        stale = _time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds) >= CookieRefreshAfter;
        return LearnerId.TryParse(parts[0], out learner);
    }

    /// <summary>The <c>X-Learner-Id</c> value that spends <paramref name="learner"/>'s rate-limit budget.</summary>
    public string ForRateLimit(LearnerId learner) => _rateLimit.Protect(learner.Value);

    /// <summary>Reads an <c>X-Learner-Id</c> value; false for anything but a rate-limit token this app issued.</summary>
    public bool TryReadRateLimit(string? token, out LearnerId learner) => TryRead(_rateLimit, token, out learner);

    private static bool TryRead(IDataProtector protector, string? token, out LearnerId learner)
    {
        learner = default;
        return TryUnprotect(protector, token, out var payload) && LearnerId.TryParse(payload, out learner);
    }

    private static bool TryUnprotect(IDataProtector protector, string? token, out string payload)
    {
        payload = "";
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return false;
        }

        try
        {
            payload = protector.Unprotect(token);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            // Not base64url, not ours, tampered with, or made under a key this app no longer has.
            return false;
        }
    }
}
