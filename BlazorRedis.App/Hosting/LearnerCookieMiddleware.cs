using BlazorRedis.App.Classroom;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Lessons;
using Microsoft.Extensions.Options;

namespace BlazorRedis.App.Hosting;

/// <summary>
/// Gives every browser a learner id in a cookie, so each browser has its own demo keys. The cookie outlives a browser
/// restart (<see cref="MaxAgeFor"/>): the learner's course progress and the teacher's cookie are bound to the id. It
/// slides: a cookie issued more than <see cref="LearnerTokens.CookieRefreshAfter"/> ago is issued again for the same
/// learner, so a learner who keeps coming back keeps their id (and the teacher cookie of this learner slides too:
/// <see cref="TeacherAccess.Slide"/>). Machine endpoints (<c>/api</c>, <c>/health</c> …) get no cookies here; a request
/// the teacher cookie authorises there slides both instead (<see cref="TeacherOnlyFilter"/>).
/// The id is random, and the cookie holds it protected by Data Protection (<see cref="LearnerTokens"/>): the id is
/// printed in every trace, so knowing it must not be enough to act as that learner. A cookie that is not a token
/// this app issued (a bare id included) gets a new learner.
/// </summary>
public sealed class LearnerCookieMiddleware(RequestDelegate next, LearnerTokens tokens)
{
    /// <summary>The learner cookie's name.</summary>
    public const string CookieName = "br-learner";

    /// <summary>The theme cookie's name (<c>dark</c> or <c>light</c>), written by the theme toggle.</summary>
    public const string ThemeCookieName = "br-theme";

    private static readonly object ItemKey = new();

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (AppHostingExtensions.IsMachineEndpoint(context.Request.Path))
        {
            return next(context);
        }

        if (!TrySlide(context, tokens))
        {
            var id = LearnerId.New();
            context.Items[ItemKey] = id;
            Issue(context, tokens, id);
        }

        return next(context);
    }

    /// <summary>
    /// Sliding, for a request that holds a learner cookie this app issued: a learner who comes back keeps their id (and
    /// their progress and teacher cookie) past the cookie's first lifetime, as the cookie is issued again when it is more
    /// than <see cref="LearnerTokens.CookieRefreshAfter"/> old (once a day at most); the teacher cookie, bound to this
    /// learner, slides the same way (<see cref="TeacherAccess.Slide"/>). False, and nothing issued, without such a cookie.
    /// </summary>
    public static bool TrySlide(HttpContext context, LearnerTokens tokens)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(tokens);
        if (!tokens.TryReadCookie(context.Request.Cookies[CookieName], out var known, out var stale))
        {
            return false;
        }

        context.Items[ItemKey] = known;
        if (stale)
        {
            Issue(context, tokens, known);
        }

        context.RequestServices.GetService<TeacherAccess>()?.Slide(context, known);
        return true;
    }

    /// <summary>
    /// How long the learner cookie lives: as long as course progress is kept (<c>Lessons:ProgressDays</c>) and never less
    /// than the teacher cookie (<see cref="TeacherAccess.CookieMaxAge"/>), since both are bound to the learner id.
    /// </summary>
    public static TimeSpan MaxAgeFor(int progressDays) => TimeSpan.FromDays(Math.Max(progressDays, TeacherAccess.CookieMaxAge.TotalDays));

    /// <summary>Gives this browser the learner cookie of <paramref name="learner"/>, lasting <see cref="MaxAgeFor"/>.</summary>
    public static void Issue(HttpContext context, LearnerTokens tokens, LearnerId learner)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(tokens);
        var progressDays = context.RequestServices.GetService<IOptions<LessonOptions>>()?.Value.ProgressDays ?? new LessonOptions().ProgressDays;
        var maxAge = MaxAgeFor(progressDays);
        context.Response.Cookies.Append(CookieName, tokens.ForCookie(learner), LastingCookie(context, maxAge));
    }

    /// <summary>
    /// The options of a cookie that outlives the browser session by <paramref name="maxAge"/> (the learner's and the
    /// teacher's): script cannot read it, it goes with same-site navigation, and over HTTPS only when the app is served so.
    /// </summary>
    internal static CookieOptions LastingCookie(HttpContext context, TimeSpan maxAge) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = context.Request.IsHttps,
        IsEssential = true,
        Path = "/",
        MaxAge = maxAge,
        Expires = DateTimeOffset.UtcNow + maxAge,
    };

    /// <summary>The learner of this request: the cookie's, or the one just issued.</summary>
    public static LearnerId? Get(HttpContext? context)
    {
        if (context is null)
        {
            return null;
        }

        if (context.Items.TryGetValue(ItemKey, out var seen) && seen is LearnerId learner)
        {
            return learner;
        }

        return context.RequestServices.GetService<LearnerTokens>() is { } tokens
            && tokens.TryReadCookie(context.Request.Cookies[CookieName], out var id) ? id : null;
    }

    /// <summary>True when the browser asked for the dark theme last time.</summary>
    public static bool PrefersDark(HttpContext? context) => context?.Request.Cookies[ThemeCookieName] == "dark";
}
