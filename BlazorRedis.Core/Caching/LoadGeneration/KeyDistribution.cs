namespace BlazorRedis.Core.Caching.LoadGeneration;

/// <summary>How the load generator picks products.</summary>
public enum KeyDistribution
{
    /// <summary>Every product equally often.</summary>
    Uniform,

    /// <summary>A few products very often, most rarely (Zipf, exponent 1), like real shop traffic.</summary>
    Zipf,
}
