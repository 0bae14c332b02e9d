using System.Text.Json;
using System.Text.Json.Serialization;

namespace BlazorRedis.Core.Classroom;

/// <summary>What happened in a class.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClassEventKind>))]
public enum ClassEventKind
{
    /// <summary>A learner joined (or joined again).</summary>
    Joined,

    /// <summary>A learner left the class by themselves.</summary>
    Left,

    /// <summary>A learner's nickname changed (they joined again with another, or the teacher renamed them).</summary>
    Renamed,

    /// <summary>The teacher removed a learner.</summary>
    Removed,

    /// <summary>A learner's browser came online (the first heartbeat after none).</summary>
    Online,

    /// <summary>A learner's browser closed its page.</summary>
    Offline,

    /// <summary>A learner went to another page (<see cref="ClassEvent.Text"/> is its path).</summary>
    Page,

    /// <summary>A learner ran something (<see cref="ClassEvent.Text"/> names it).</summary>
    Action,

    /// <summary>The teacher paused the class.</summary>
    Paused,

    /// <summary>The teacher resumed the class.</summary>
    Resumed,

    /// <summary>The teacher asked everyone to come to a page (<see cref="ClassEvent.Text"/> is its path).</summary>
    BringHere,

    /// <summary>The teacher closed the class.</summary>
    Closed,

    /// <summary>The teacher pushed a poll (<see cref="ClassEvent.Text"/> is its id).</summary>
    PollOpened,

    /// <summary>A learner answered the poll (<see cref="ClassEvent.Text"/> is its id).</summary>
    PollAnswered,

    /// <summary>The teacher closed the poll: no more answers (<see cref="ClassEvent.Text"/> is its id).</summary>
    PollClosed,

    /// <summary>The teacher revealed the right answer (<see cref="ClassEvent.Text"/> is the poll's id).</summary>
    PollRevealed,

    /// <summary>The teacher emptied the class's leaderboard.</summary>
    LeaderboardReset,

    /// <summary>The teacher muted a learner on the class channel.</summary>
    Muted,

    /// <summary>The teacher let a muted learner post again.</summary>
    Unmuted,

    /// <summary>The teacher armed a class stampede round (<see cref="ClassEvent.Text"/> is its id).</summary>
    StampedeArmed,

    /// <summary>A learner pressed Read in the round (<see cref="ClassEvent.Text"/> is its id).</summary>
    StampedeRead,

    /// <summary>A learner's read loaded the database (<see cref="ClassEvent.Text"/> is the round's id).</summary>
    StampedeLoaded,

    /// <summary>A learner's read finished (<see cref="ClassEvent.Text"/> is the round's id).</summary>
    StampedeDone,
}

/// <summary>One event of a class, as published on the class's one channel.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Code">The class.</param>
/// <param name="Learner">The learner it is about (null for class-wide events).</param>
/// <param name="Nickname">The learner's nickname, when it is known.</param>
/// <param name="Text">The page, the action, or nothing.</param>
/// <param name="At">When, in Unix milliseconds.</param>
public sealed record ClassEvent(ClassEventKind Kind, string Code, string? Learner, string? Nickname, string? Text, long At)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The message text.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a message; null for anything that is not a class event (a stray publish on the channel).</summary>
    public static ClassEvent? TryParse(string? json)
    {
        if (string.IsNullOrEmpty(json) || json.Length > 8192)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ClassEvent>(json, Json) is { Code: not null } e ? e : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
