using System.Globalization;

namespace BlazorRedis.Core.Text;

/// <summary>The app's English in one place, so a count never reads "1 keys".</summary>
public static class Wording
{
    /// <summary>"1 key", "2 keys", "1,000 readers": a count with its noun in the right number (<paramref name="many"/> defaults to <paramref name="one"/> + "s").</summary>
    public static string Count(long count, string one, string? many = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {(count == 1 ? one : many ?? one + "s")}");
}
