using System.ComponentModel.DataAnnotations;

namespace BlazorRedis.Core.RateLimiting;

/// <summary>The limits every algorithm enforces. Bound from <c>RateLimiting</c> and validated at start.</summary>
public sealed class RateLimitingOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "RateLimiting";

    /// <summary>How many requests one client may make per window (the token bucket's capacity). Default 10.</summary>
    [Range(1, 100_000, ErrorMessage = "RateLimiting:PermitLimit must be between 1 and 100000.")]
    public int PermitLimit { get; set; } = 10;

    /// <summary>The window length in seconds (the token bucket refills <see cref="PermitLimit"/> tokens per window). Default 10.</summary>
    [Range(1, 86_400, ErrorMessage = "RateLimiting:WindowSeconds must be between 1 and 86400 (one day).")]
    public int WindowSeconds { get; set; } = 10;

    /// <summary>
    /// What to do when Redis cannot be reached: true lets every request through (availability first),
    /// false rejects every request (protection first). Default true.
    /// </summary>
    public bool FailOpen { get; set; } = true;

    /// <summary>
    /// Login attempts one address may make for one username per <see cref="LoginWindowSeconds"/> (sliding log, so no
    /// boundary burst). Slows guessing at one account without locking out the others behind the same address. Default 10.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "RateLimiting:LoginPermitLimit must be between 1 and 100000.")]
    public int LoginPermitLimit { get; set; } = 10;

    /// <summary>
    /// Login attempts one address may make in all, whatever the usernames, per <see cref="LoginWindowSeconds"/>: a
    /// classroom behind one NAT address is one address, so this ceiling is well above a class logging in at once,
    /// and still stops one client from flooding sessions. Default 100.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "RateLimiting:LoginAddressPermitLimit must be between 1 and 100000.")]
    public int LoginAddressPermitLimit { get; set; } = 100;

    /// <summary>
    /// Publishes one client address may make per <see cref="PublishWindowSeconds"/> through the API: each publish is
    /// fanned out to every subscriber and kept in the journal, so one client must not flood the class. Default 30.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "RateLimiting:PublishPermitLimit must be between 1 and 100000.")]
    public int PublishPermitLimit { get; set; } = 30;

    /// <summary>The publish limit's window in seconds. Default 10.</summary>
    [Range(1, 86_400, ErrorMessage = "RateLimiting:PublishWindowSeconds must be between 1 and 86400 (one day).")]
    public int PublishWindowSeconds { get; set; } = 10;

    /// <summary>The publish rule per address.</summary>
    public RateLimitRule PublishRule => new(PublishPermitLimit, TimeSpan.FromSeconds(PublishWindowSeconds));

    /// <summary>
    /// Product writes (<c>POST</c>, <c>PUT</c> and <c>DELETE</c> on <c>/api/products</c>, together) one client address may
    /// make per <see cref="ProductWriteWindowSeconds"/>: every write drops cached keys every reader then reloads from the
    /// slow database, and the catalog is the whole class's, so one client must not churn it for everyone. Reads are not
    /// limited. Default 60.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "RateLimiting:ProductWritePermitLimit must be between 1 and 100000.")]
    public int ProductWritePermitLimit { get; set; } = 60;

    /// <summary>The product-write limit's window in seconds. Default 10.</summary>
    [Range(1, 86_400, ErrorMessage = "RateLimiting:ProductWriteWindowSeconds must be between 1 and 86400 (one day).")]
    public int ProductWriteWindowSeconds { get; set; } = 10;

    /// <summary>The product-write rule per address.</summary>
    public RateLimitRule ProductWriteRule => new(ProductWritePermitLimit, TimeSpan.FromSeconds(ProductWriteWindowSeconds));

    /// <summary>The login limits' window in seconds. Default 60.</summary>
    [Range(1, 86_400, ErrorMessage = "RateLimiting:LoginWindowSeconds must be between 1 and 86400 (one day).")]
    public int LoginWindowSeconds { get; set; } = 60;

    /// <summary>The login rule per address and username.</summary>
    public RateLimitRule LoginRule => new(LoginPermitLimit, TimeSpan.FromSeconds(LoginWindowSeconds));

    /// <summary>The login rule per address.</summary>
    public RateLimitRule LoginAddressRule => new(LoginAddressPermitLimit, TimeSpan.FromSeconds(LoginWindowSeconds));

    /// <summary>The window as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan Window => TimeSpan.FromSeconds(WindowSeconds);
}
