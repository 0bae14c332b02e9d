using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Geo;

/// <summary>A café finder on a Redis geo set (a sorted set whose scores are geohashes). Every call returns its commands.</summary>
public interface IGeoDemo : IDataStructureDemo
{
    /// <summary>GEOADD: adds or moves cafés; returns how many were new.</summary>
    Task<Traced<long>> AddAsync(LearnerId learner, IReadOnlyCollection<Cafe> cafes);

    /// <summary>GEODIST in km between two cafés (null when one is missing).</summary>
    Task<Traced<double?>> DistanceAsync(LearnerId learner, string from, string to);

    /// <summary>GEOSEARCH … FROMMEMBER … BYRADIUS … km ASC WITHDIST: cafés around a café, nearest first.</summary>
    Task<Traced<GeoSearchResult>> SearchAroundCafeAsync(LearnerId learner, string member, double radiusKm);

    /// <summary>GEOSEARCH … FROMLONLAT … BYRADIUS … km ASC WITHDIST: cafés around a point, nearest first.</summary>
    Task<Traced<GeoSearchResult>> SearchAroundPointAsync(LearnerId learner, double longitude, double latitude, double radiusKm);

    /// <summary>GEOPOS: where Redis has a café (null when missing). The position comes back slightly moved: geohashes are 52-bit.</summary>
    Task<Traced<Cafe?>> PositionAsync(LearnerId learner, string member);

    /// <summary>Every café with its stored position (ZRANGE then GEOPOS), for the map.</summary>
    Task<Traced<IReadOnlyList<Cafe>>> SnapshotAsync(LearnerId learner);
}
