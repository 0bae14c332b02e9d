namespace BlazorRedis.Core.Bitmaps;

/// <summary>Logins on two days and on both.</summary>
/// <param name="First">BITCOUNT of the first day.</param>
/// <param name="Second">BITCOUNT of the second day.</param>
/// <param name="Both">BITCOUNT of the AND: users active on both days.</param>
/// <param name="DestinationKey">Where BITOP stored the AND.</param>
public sealed record Retention(long First, long Second, long Both, string DestinationKey)
{
    /// <summary>Share of the first day's users who came back on the second day, in percent (0 when nobody came the first day).</summary>
    public double Percent => First == 0 ? 0 : 100.0 * Both / First;
}
