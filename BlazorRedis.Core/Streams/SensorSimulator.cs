namespace BlazorRedis.Core.Streams;

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
