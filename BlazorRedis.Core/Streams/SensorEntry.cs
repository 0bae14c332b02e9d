namespace BlazorRedis.Core.Streams;

/// <summary>An entry as read back from the stream.</summary>
/// <param name="Id">The entry id, <c>{milliseconds}-{sequence}</c>.</param>
/// <param name="Temperature">The <c>temperature</c> field (null when missing or not a number).</param>
/// <param name="Humidity">The <c>humidity</c> field (null when missing or not a number).</param>
public sealed record SensorEntry(string Id, double? Temperature, double? Humidity)
{
    /// <summary>The time in the id (Redis's clock when XADD ran with <c>*</c>).</summary>
    public DateTimeOffset Time => StreamIds.TimeOf(Id);
}
