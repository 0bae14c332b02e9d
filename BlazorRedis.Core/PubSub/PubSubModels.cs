namespace BlazorRedis.Core.PubSub;

/// <summary>What one PUBLISH did.</summary>
/// <param name="Channel">The channel as the learner named it, e.g. <c>orders.created</c>.</param>
/// <param name="FullChannel">The channel on the server, under the app prefix.</param>
/// <param name="Receivers">PUBLISH's reply: how many subscriptions (connections × matching channels and patterns) received it.</param>
/// <param name="JournalId">The id of the copy appended to the journal stream.</param>
public sealed record PublishResult(string Channel, string FullChannel, long Receivers, string JournalId);

/// <summary>One message as a subscriber received it.</summary>
/// <param name="Channel">The channel it was published on, without the app prefix.</param>
/// <param name="FullChannel">The channel on the server.</param>
/// <param name="Message">The payload.</param>
/// <param name="ReceivedAt">When this app received it.</param>
/// <param name="Pattern">The pattern that matched, for a pattern subscription.</param>
public sealed record PubSubMessage(string Channel, string FullChannel, string Message, DateTimeOffset ReceivedAt, string? Pattern);

/// <summary>One message as the journal stream remembers it.</summary>
/// <param name="Id">The stream entry id (milliseconds-sequence).</param>
/// <param name="Channel">The channel it was published on, without the app prefix.</param>
/// <param name="Message">The payload.</param>
/// <param name="PublishedAt">The time in the entry id.</param>
public sealed record JournalEntry(string Id, string Channel, string Message, DateTimeOffset PublishedAt);

/// <summary>A consumer group's view of the journal.</summary>
/// <param name="Group">The group's name.</param>
/// <param name="Pending">Entries delivered to the group but not acknowledged yet (XPENDING).</param>
/// <param name="JournalLength">Entries the journal holds (XLEN).</param>
public sealed record GroupStatus(string Group, long Pending, long JournalLength);

/// <summary>A live subscription. Disposing it unsubscribes this handler only (others on the same channel keep theirs).</summary>
public interface IPubSubSubscription : IAsyncDisposable
{
    /// <summary>The channel or pattern as the learner named it.</summary>
    string Name { get; }

    /// <summary>The channel or pattern on the server.</summary>
    string FullName { get; }

    /// <summary>True for a pattern (PSUBSCRIBE) subscription.</summary>
    bool IsPattern { get; }

    /// <summary>False once unsubscribed.</summary>
    bool IsActive { get; }
}
