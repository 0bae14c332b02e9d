namespace BlazorRedis.Core.Geo;

/// <summary>What a radius search asked and found.</summary>
/// <param name="CenterLongitude">The search centre.</param>
/// <param name="CenterLatitude">The search centre.</param>
/// <param name="RadiusKm">The radius.</param>
/// <param name="FromMember">The café the search started at, or null for a point.</param>
/// <param name="Hits">Cafés within the radius, nearest first.</param>
/// <param name="LegacyCommand">The same query with the command deprecated since Redis 6.2.</param>
public sealed record GeoSearchResult(double CenterLongitude, double CenterLatitude, double RadiusKm, string? FromMember, IReadOnlyList<GeoHit> Hits, string LegacyCommand);
