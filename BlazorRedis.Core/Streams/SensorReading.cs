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
