using System.Globalization;
using System.Text.RegularExpressions;
using BlazorRedis.Core;

namespace BlazorRedis.Core.Streams;

/// <summary>One reading of the simulated sensor.</summary>
/// <param name="Temperature">Degrees Celsius.</param>
/// <param name="Humidity">Relative humidity in percent.</param>
public sealed record SensorReading(double Temperature, double Humidity)
{
    /// <summary>Throws unless the reading is physically plausible for a room sensor.</summary>
    public void Validate()
    {
        if (!double.IsFinite(Temperature) || Temperature is < -50 or > 60)
        {
            throw new LearnerInputException("Temperature must be a number between -50 and 60 °C.", nameof(Temperature));
        }

        if (!double.IsFinite(Humidity) || Humidity is < 0 or > 100)
        {
            throw new LearnerInputException("Humidity must be a number between 0 and 100 %.", nameof(Humidity));
        }
    }
}

/// <summary>
/// A deterministic random walk: the same seed gives the same readings. The values are made up, but once
/// XADDed they are what really sits in Redis (and what the chart and table read back).
/// </summary>
public sealed class SensorSimulator(int seed = 7)
{
    private readonly Random _random = new(seed);
    private double _temperature = 24.0;
    private double _humidity = 55.0;

    /// <summary>The next reading: temperature moves up to ±0.4 °C, humidity up to ±1.5 %.</summary>
    public SensorReading Next()
    {
        _temperature = Math.Clamp(_temperature + ((_random.NextDouble() * 0.8) - 0.4), 15, 35);
        _humidity = Math.Clamp(_humidity + ((_random.NextDouble() * 3) - 1.5), 20, 90);
        return new SensorReading(Math.Round(_temperature, 1), Math.Round(_humidity, 1));
    }
}

/// <summary>An entry as read back from the stream.</summary>
/// <param name="Id">The entry id, <c>{milliseconds}-{sequence}</c>.</param>
/// <param name="Temperature">The <c>temperature</c> field (null when missing or not a number).</param>
/// <param name="Humidity">The <c>humidity</c> field (null when missing or not a number).</param>
public sealed record SensorEntry(string Id, double? Temperature, double? Humidity)
{
    /// <summary>The time in the id (Redis's clock when XADD ran with <c>*</c>).</summary>
    public DateTimeOffset Time => StreamIds.TimeOf(Id);
}

/// <summary>A message delivered to a consumer and not yet acknowledged.</summary>
/// <param name="Id">The entry id.</param>
/// <param name="Consumer">Who holds it.</param>
/// <param name="IdleMilliseconds">Time since it was last delivered.</param>
/// <param name="Deliveries">How many times it was delivered.</param>
public sealed record PendingEntry(string Id, string Consumer, long IdleMilliseconds, int Deliveries);

/// <summary>What XAUTOCLAIM moved to the claiming consumer.</summary>
/// <param name="Claimed">Entries now owned by the claimer.</param>
/// <param name="DeletedIds">Pending ids whose entries were trimmed away meanwhile.</param>
/// <param name="NextStartId">Where a further XAUTOCLAIM would continue (0-0 when the scan is complete).</param>
public sealed record AutoClaimResult(IReadOnlyList<SensorEntry> Claimed, IReadOnlyList<string> DeletedIds, string NextStartId);

/// <summary>Parsing and checking of stream ids.</summary>
public static partial class StreamIds
{
    /// <summary>Checks an XRANGE bound: <c>-</c>, <c>+</c>, <c>ms</c> or <c>ms-seq</c>.</summary>
    public static string ValidateBound(string? id, string parameter)
    {
        var text = id?.Trim();
        if (string.IsNullOrEmpty(text) || !(text is "-" or "+" || TryParse(text, allowPartial: true, out _, out _)))
        {
            throw new LearnerInputException($"\"{Shorten(id)}\" is not a stream id. Use - (the start), + (the end), a time in milliseconds like 1700000000000, or a full id like 1700000000000-0.", parameter);
        }

        return text;
    }

    /// <summary>Checks a complete entry id (<c>ms-seq</c>), as XACK needs.</summary>
    public static string ValidateEntryId(string? id, string parameter)
    {
        var text = id?.Trim();
        if (string.IsNullOrEmpty(text) || !TryParse(text, allowPartial: false, out _, out _))
        {
            throw new LearnerInputException($"\"{Shorten(id)}\" is not a stream entry id. An id looks like 1700000000000-0: milliseconds, a dash, a sequence number.", parameter);
        }

        return text;
    }

    /// <summary>Splits an id into its parts.</summary>
    public static bool TryParse(string text, bool allowPartial, out ulong milliseconds, out ulong sequence)
    {
        milliseconds = 0;
        sequence = 0;
        var match = IdPattern().Match(text ?? "");
        if (!match.Success || (!allowPartial && !match.Groups[2].Success))
        {
            return false;
        }

        return ulong.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out milliseconds)
            && (!match.Groups[2].Success || ulong.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out sequence));
    }

    /// <summary>The id for a point in time (all entries of that millisecond).</summary>
    public static string FromTime(DateTimeOffset time) => time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>The time part of an id.</summary>
    public static DateTimeOffset TimeOf(string id) =>
        TryParse(id, allowPartial: true, out var ms, out _) && ms <= 253402300799999
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)ms)
            : DateTimeOffset.MinValue;

    private static string Shorten(string? text) => text is null ? "" : text.Length > 40 ? text[..40] + "…" : text;

    [GeneratedRegex(@"^(\d{1,20})(?:-(\d{1,20}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
