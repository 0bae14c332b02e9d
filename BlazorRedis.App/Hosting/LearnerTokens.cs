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

    private readonly IDataProtector _cookie;
    private readonly IDataProtector _rateLimit;

    public LearnerTokens(IDataProtectionProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _cookie = provider.CreateProtector(CookiePurpose);
        _rateLimit = provider.CreateProtector(RateLimitPurpose);
    }

    /// <summary>The cookie value that names <paramref name="learner"/>.</summary>
    public string ForCookie(LearnerId learner) => _cookie.Protect(learner.Value);

    /// <summary>Reads a cookie value; false for anything this app did not issue (a bare learner id included).</summary>
    public bool TryReadCookie(string? token, out LearnerId learner) => TryRead(_cookie, token, out learner);

    /// <summary>The <c>X-Learner-Id</c> value that spends <paramref name="learner"/>'s rate-limit budget.</summary>
    public string ForRateLimit(LearnerId learner) => _rateLimit.Protect(learner.Value);

    /// <summary>Reads an <c>X-Learner-Id</c> value; false for anything but a rate-limit token this app issued.</summary>
    public bool TryReadRateLimit(string? token, out LearnerId learner) => TryRead(_rateLimit, token, out learner);

    private static bool TryRead(IDataProtector protector, string? token, out LearnerId learner)
    {
        learner = default;
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return false;
        }

        try
        {
            return LearnerId.TryParse(protector.Unprotect(token), out learner);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            // Not base64url, not ours, tampered with, or made under a key this app no longer has.
            return false;
        }
    }
}
