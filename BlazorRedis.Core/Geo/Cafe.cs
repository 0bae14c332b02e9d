namespace BlazorRedis.Core.Geo;

/// <summary>A named point: longitude first, as Redis takes it.</summary>
/// <param name="Name">The member name.</param>
/// <param name="Longitude">Degrees east.</param>
/// <param name="Latitude">Degrees north.</param>
/// <param name="Area">The neighbourhood, for the legend.</param>
public sealed record Cafe(string Name, double Longitude, double Latitude, string Area = "");
