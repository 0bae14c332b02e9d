using System.ComponentModel.DataAnnotations;

namespace BlazorRedis.Core.Keys;

/// <summary>Where in someone's Redis the app may write. Bound from <c>Keyspace</c>.</summary>
public sealed class KeyspaceOptions
{
    /// <summary>Every key the app writes starts with this. Default <c>br:</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    [StringLength(64, MinimumLength = 1)]
    [RegularExpression(@"^[A-Za-z0-9:_\-\.]+$", ErrorMessage = "Keyspace:Prefix may hold only letters, digits and : _ - . (for example br:).")]
    public string Prefix { get; set; } = "br:";

    /// <summary>How long a learner's demo keys live after their last write, so an abandoned browser leaves nothing behind for ever.</summary>
    [Range(60, 7 * 24 * 3600)]
    public int LearnerKeyTtlSeconds { get; set; } = 24 * 3600;
}
