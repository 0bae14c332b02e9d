using System.Text.Json;

namespace BlazorRedis.Core.Classroom;

/// <summary>One message on a class's channel, as published and as kept in the class's capped history list.</summary>
/// <param name="Id">A random id (a late joiner who reads the history and hears the same message live shows it once).</param>
/// <param name="Code">The class.</param>
/// <param name="Learner">The learner who posted it; null for the teacher.</param>
/// <param name="Nickname">The author's nickname ("Teacher" for the teacher).</param>
/// <param name="Text">The message, checked by <see cref="ClassChannel.CleanMessage"/>; pages show it as text, never as HTML.</param>
/// <param name="At">When, in Unix milliseconds.</param>
public sealed record ClassChannelMessage(string Id, string Code, string? Learner, string Nickname, string Text, long At)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>True for the teacher's messages (shown highlighted).</summary>
    public bool FromTeacher => Learner is null;

    /// <summary>The message text.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a message; null for anything else (a stray publish on the channel, a damaged history entry).</summary>
    public static ClassChannelMessage? TryParse(string? json)
    {
        if (string.IsNullOrEmpty(json) || json.Length > 16_384)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ClassChannelMessage>(json, Json) is { Id: not null, Code: not null, Nickname: not null, Text: not null } m ? m : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
