using System.ComponentModel.DataAnnotations;

namespace BlazorRedis.Core.Classroom;

/// <summary>How a class behaves in Redis. Bound from <c>Classroom</c> (beside the teacher settings) and validated at start.</summary>
public sealed class ClassOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Classroom";

    /// <summary>
    /// How long a class's keys live after its last use: opening, a join, a heartbeat or a teacher's action (an abandoned
    /// class leaves nothing). Default 12.
    /// </summary>
    [Range(1, 168, ErrorMessage = "Classroom:ClassLifetimeHours must be between 1 and 168 (a week).")]
    public int ClassLifetimeHours { get; set; } = 12;

    /// <summary>A learner counts as online this long after their last heartbeat (the presence key's TTL). Default 30.</summary>
    [Range(5, 600, ErrorMessage = "Classroom:PresenceSeconds must be between 5 and 600.")]
    public int PresenceSeconds { get; set; } = 30;

    /// <summary>How often a learner's browser refreshes its presence: one Redis write each time. Default 10.</summary>
    [Range(1, 300, ErrorMessage = "Classroom:HeartbeatSeconds must be between 1 and 300.")]
    public int HeartbeatSeconds { get; set; } = 10;

    /// <summary>The most learners one class takes. Default 300.</summary>
    [Range(1, 10_000, ErrorMessage = "Classroom:MaxLearners must be between 1 and 10000.")]
    public int MaxLearners { get; set; } = 300;

    /// <summary>
    /// Join attempts one client address may make per <see cref="JoinAttemptWindowSeconds"/>. A class behind one NAT
    /// address joins from one address, so the default (60) is well above a class joining at once; with 31^6 codes a
    /// guesser at this pace needs decades. Default 60.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "Classroom:JoinAttemptLimit must be between 1 and 100000.")]
    public int JoinAttemptLimit { get; set; } = 60;

    /// <summary>The join limit's window in seconds. Default 60.</summary>
    [Range(1, 86_400, ErrorMessage = "Classroom:JoinAttemptWindowSeconds must be between 1 and 86400.")]
    public int JoinAttemptWindowSeconds { get; set; } = 60;

    /// <summary>Posts one learner may make on the class channel per <see cref="ChatPostWindowSeconds"/>. Default 5.</summary>
    [Range(1, 1000, ErrorMessage = "Classroom:ChatPostLimit must be between 1 and 1000.")]
    public int ChatPostLimit { get; set; } = 5;

    /// <summary>The class channel's post limit window in seconds. Default 10.</summary>
    [Range(1, 3600, ErrorMessage = "Classroom:ChatPostWindowSeconds must be between 1 and 3600.")]
    public int ChatPostWindowSeconds { get; set; } = 10;

    /// <summary>The lifetime as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan ClassLifetime => TimeSpan.FromHours(ClassLifetimeHours);

    /// <summary>The presence TTL as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan Presence => TimeSpan.FromSeconds(PresenceSeconds);

    /// <summary>The heartbeat period as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan Heartbeat => TimeSpan.FromSeconds(HeartbeatSeconds);

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HeartbeatSeconds >= PresenceSeconds)
        {
            yield return new ValidationResult(
                "Classroom:HeartbeatSeconds must be shorter than Classroom:PresenceSeconds, or every learner flickers offline between heartbeats.",
                [nameof(HeartbeatSeconds), nameof(PresenceSeconds)]);
        }
    }
}
