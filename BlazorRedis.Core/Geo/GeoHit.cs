namespace BlazorRedis.Core.Geo;

/// <summary>One café found by a radius search.</summary>
public sealed record GeoHit(string Name, double DistanceKm);
