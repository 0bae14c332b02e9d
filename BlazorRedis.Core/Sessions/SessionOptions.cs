using System.ComponentModel.DataAnnotations;

namespace BlazorRedis.Core.Sessions;

/// <summary>How long a session lives. Bound from <c>Sessions</c> and validated at start.</summary>
public sealed class SessionOptions : IValidatableObject
{
    /// <summary>A session that sees no request for this long ends (sliding). Default 30 minutes.</summary>
    [Range(1, 7 * 24 * 60, ErrorMessage = "Sessions:IdleTimeoutMinutes must be between 1 and 10080.")]
    public int IdleTimeoutMinutes { get; set; } = 30;

    /// <summary>A session ends this long after login, however busy it is. Default 8 hours.</summary>
    [Range(1, 30 * 24, ErrorMessage = "Sessions:AbsoluteTimeoutHours must be between 1 and 720.")]
    public int AbsoluteTimeoutHours { get; set; } = 8;

    /// <summary>Overrides <see cref="IdleTimeoutMinutes"/> with seconds (for demos and tests that prove expiry quickly).</summary>
    [Range(1, 7 * 24 * 3600, ErrorMessage = "Sessions:IdleTimeoutSeconds must be between 1 and 604800.")]
    public int? IdleTimeoutSeconds { get; set; }

    /// <summary>Overrides <see cref="AbsoluteTimeoutHours"/> with seconds.</summary>
    [Range(1, 30 * 24 * 3600, ErrorMessage = "Sessions:AbsoluteTimeoutSeconds must be between 1 and 2592000.")]
    public int? AbsoluteTimeoutSeconds { get; set; }

    /// <summary>The idle timeout in effect.</summary>
    public TimeSpan IdleTimeout => IdleTimeoutSeconds is { } s ? TimeSpan.FromSeconds(s) : TimeSpan.FromMinutes(IdleTimeoutMinutes);

    /// <summary>The absolute lifetime in effect.</summary>
    public TimeSpan AbsoluteTimeout => AbsoluteTimeoutSeconds is { } s ? TimeSpan.FromSeconds(s) : TimeSpan.FromHours(AbsoluteTimeoutHours);

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IdleTimeout > AbsoluteTimeout)
        {
            yield return new ValidationResult(
                "Sessions:IdleTimeoutMinutes (or IdleTimeoutSeconds) must not be longer than Sessions:AbsoluteTimeoutHours (or AbsoluteTimeoutSeconds).",
                [nameof(IdleTimeoutMinutes)]);
        }
    }
}
