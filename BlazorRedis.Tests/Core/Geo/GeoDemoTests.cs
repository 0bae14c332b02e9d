using BlazorRedis.Core;
using BlazorRedis.Core.Geo;
using BlazorRedis.Core.Keys;
using BlazorRedis.Tests.Infrastructure;
using StackExchange.Redis;

namespace BlazorRedis.Tests.Core.Geo;

public class GeoDemoTests(RedisServerFixture redis)
{
    private readonly RedisKeyspace _keys = redis.NewKeyspace();
    private readonly LearnerId _learner = LearnerId.New();

    private GeoDemoService Finder => new(redis.Multiplexer, _keys, redis.Tracer, new KeyspaceJanitor(redis.Multiplexer, redis.Tracer));

    [Fact]
    public async Task Geosearch_from_a_cafe_returns_exactly_the_cafes_within_the_radius_nearest_first()
    {
        await Finder.AddAsync(_learner, BengaluruCafes.All);
        var koshys = BengaluruCafes.All[0];
        var expected = Expected(koshys.Longitude, koshys.Latitude, 2);

        var result = await Finder.SearchAroundCafeAsync(_learner, BengaluruCafes.Koshys, 2);

        Assert.Equal(expected, result.Value.Hits.Select(h => h.Name));
        Assert.Equal(BengaluruCafes.Koshys, result.Value.Hits[0].Name);
        Assert.Equal(0, result.Value.Hits[0].DistanceKm, 3);
        Assert.True(result.Value.Hits.Count is > 1 and < 10);
        Assert.Equal(result.Value.Hits.Select(h => h.DistanceKm).Order(), result.Value.Hits.Select(h => h.DistanceKm));
        Assert.Equal(["GEOPOS", "GEOSEARCH"], result.Trace.WireNames);
        Assert.StartsWith("GEORADIUSBYMEMBER ", result.Value.LegacyCommand, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Geosearch_from_a_point_sorts_by_distance_with_distances_close_to_haversine()
    {
        await Finder.AddAsync(_learner, BengaluruCafes.All);
        var you = BengaluruCafes.CubbonPark;

        var result = await Finder.SearchAroundPointAsync(_learner, you.Longitude, you.Latitude, 3);

        Assert.Equal(Expected(you.Longitude, you.Latitude, 3), result.Value.Hits.Select(h => h.Name));
        foreach (var hit in result.Value.Hits)
        {
            var cafe = BengaluruCafes.All.Single(c => c.Name == hit.Name);
            Assert.Equal(Haversine(you.Longitude, you.Latitude, cafe.Longitude, cafe.Latitude), hit.DistanceKm, 0.02);
        }
    }

    [Fact]
    public async Task Geodist_geopos_and_the_snapshot_read_back_what_geoadd_stored()
    {
        var added = await Finder.AddAsync(_learner, BengaluruCafes.All);
        var toit = BengaluruCafes.All.Single(c => c.Name == "Toit");
        var koshys = BengaluruCafes.All[0];

        var km = await Finder.DistanceAsync(_learner, koshys.Name, toit.Name);
        var pos = await Finder.PositionAsync(_learner, toit.Name);
        var map = await Finder.SnapshotAsync(_learner);
        var missing = await Finder.DistanceAsync(_learner, koshys.Name, "Nowhere");

        Assert.Equal(10, added.Value);
        Assert.Equal(Haversine(koshys.Longitude, koshys.Latitude, toit.Longitude, toit.Latitude), km.Value!.Value, 0.02);
        Assert.Equal(toit.Longitude, pos.Value!.Longitude, 4);
        Assert.Equal(toit.Latitude, pos.Value.Latitude, 4);
        Assert.Equal(BengaluruCafes.All.Select(c => c.Name).Order(StringComparer.Ordinal), map.Value.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Null(missing.Value);
        Assert.Equal(["ZRANGE", "GEOPOS"], map.Trace.WireNames);
        Assert.NotNull(await redis.Multiplexer.GetDatabase().KeyTimeToLiveAsync(_keys.ForLearner(_learner).Key("geo", "cafes")));
    }

    [Theory]
    [InlineData(180.0001, 12.97)]
    [InlineData(-181, 12.97)]
    [InlineData(77.59, 85.06)]
    [InlineData(77.59, -85.06)]
    [InlineData(double.NaN, 12.97)]
    [InlineData(77.59, double.PositiveInfinity)]
    public async Task Invalid_coordinates_are_refused_and_write_nothing(double longitude, double latitude)
    {
        var ex = await Assert.ThrowsAsync<LearnerInputException>(() => Finder.AddAsync(_learner, [new Cafe("Bad", longitude, latitude)]));

        Assert.Matches("Longitude|Latitude", ex.Message);
        Assert.False(await redis.Multiplexer.GetDatabase().KeyExistsAsync(_keys.ForLearner(_learner).Key("geo", "cafes")));
    }

    [Fact]
    public async Task The_latitude_limit_itself_is_accepted()
    {
        var added = await Finder.AddAsync(_learner, [new Cafe("Edge", 180, GeoDemoService.MaxLatitude)]);

        Assert.Equal(1, added.Value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(1000.5)]
    public async Task A_bad_radius_is_refused_before_any_command(double radius)
    {
        await Assert.ThrowsAsync<LearnerInputException>(() => Finder.SearchAroundPointAsync(_learner, 77.59, 12.97, radius));
        await Assert.ThrowsAsync<LearnerInputException>(() => Finder.SearchAroundCafeAsync(_learner, BengaluruCafes.Koshys, radius));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("line\nbreak")]
    public async Task A_bad_name_is_refused_and_writes_nothing(string name)
    {
        await Assert.ThrowsAsync<LearnerInputException>(() => Finder.AddAsync(_learner, [new Cafe(name, 77.59, 12.97)]));

        Assert.False(await redis.Multiplexer.GetDatabase().KeyExistsAsync(_keys.ForLearner(_learner).Key("geo", "cafes")));
    }

    [Fact]
    public async Task Searching_around_an_unknown_cafe_says_so()
    {
        await Finder.AddAsync(_learner, BengaluruCafes.All);

        var ex = await Assert.ThrowsAsync<LearnerInputException>(() => Finder.SearchAroundCafeAsync(_learner, "Nowhere", 2));

        Assert.Contains("no café called \"Nowhere\"", ex.Message, StringComparison.Ordinal);
    }

    private static List<string> Expected(double lon, double lat, double radiusKm)
    {
        var all = BengaluruCafes.All.Select(c => (c.Name, Km: Haversine(lon, lat, c.Longitude, c.Latitude))).ToList();

        // Keep the test honest: no café sits so close to the edge that geohash rounding could flip it.
        Assert.DoesNotContain(all, c => Math.Abs(c.Km - radiusKm) < 0.05);
        return all.Where(c => c.Km <= radiusKm).OrderBy(c => c.Km).Select(c => c.Name).ToList();
    }

    /// <summary>Great-circle distance with Redis's earth radius (6372797.560856 m).</summary>
    private static double Haversine(double lon1, double lat1, double lon2, double lat2)
    {
        const double R = 6372.797560856;
        static double Rad(double d) => d * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLon = Rad(lon2 - lon1);
        var a = Math.Pow(Math.Sin(dLat / 2), 2) + (Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(dLon / 2), 2));
        return 2 * R * Math.Asin(Math.Sqrt(a));
    }

    [Fact]
    public async Task The_map_holds_at_most_MaxCafes_and_a_GEOADD_past_it_is_refused_so_every_added_cafe_shows()
    {
        var cafes = Enumerable.Range(0, GeoDemoService.MaxCafes).Select(i => new Cafe($"Cafe {i}", 77.5 + (i * 0.0001), 12.9)).ToList();
        await Finder.AddAsync(_learner, cafes);

        var refused = await Assert.ThrowsAsync<LearnerInputException>(() => Finder.AddAsync(_learner, [new Cafe("One too many", 77.6, 12.95)]));

        Assert.Contains($"at most {GeoDemoService.MaxCafes}", refused.Message, StringComparison.Ordinal);
        var key = _keys.ForLearner(_learner).Key(GeoDemoModule.Slug, "cafes");
        Assert.Equal(GeoDemoService.MaxCafes, await redis.Multiplexer.GetDatabase().SortedSetLengthAsync(key));
        Assert.Equal(GeoDemoService.MaxCafes, (await Finder.SnapshotAsync(_learner)).Value.Count);
    }

    [Fact]
    public async Task On_a_full_map_moving_a_cafe_already_there_is_allowed_and_only_a_new_cafe_is_refused()
    {
        var cafes = Enumerable.Range(0, GeoDemoService.MaxCafes).Select(i => new Cafe($"Cafe {i}", 77.5 + (i * 0.0001), 12.9)).ToList();
        await Finder.AddAsync(_learner, cafes);

        var moved = await Finder.AddAsync(_learner, [new Cafe("Cafe 7", 77.61, 12.97)]);
        var refused = await Assert.ThrowsAsync<LearnerInputException>(() => Finder.AddAsync(_learner, [new Cafe("Cafe 8", 77.62, 12.98), new Cafe("Brand new", 77.6, 12.95)]));

        Assert.Equal(0, moved.Value);
        Assert.Equal(["ZCARD", "ZMSCORE", "EXEC", "EXPIRE"], moved.Trace.WireNames);
        var at = (await Finder.PositionAsync(_learner, "Cafe 7")).Value;
        Assert.NotNull(at);
        Assert.Equal(77.61, at.Longitude, 4);
        Assert.Equal(12.97, at.Latitude, 4);
        Assert.Contains($"at most {GeoDemoService.MaxCafes}", refused.Message, StringComparison.Ordinal);
        Assert.Equal(12.9, (await Finder.PositionAsync(_learner, "Cafe 8")).Value!.Latitude, 4);
        var key = _keys.ForLearner(_learner).Key(GeoDemoModule.Slug, "cafes");
        Assert.Equal(GeoDemoService.MaxCafes, await redis.Multiplexer.GetDatabase().SortedSetLengthAsync(key));
    }

    [Fact]
    public async Task With_one_place_left_a_GEOADD_of_a_moved_cafe_and_one_new_cafe_named_twice_fits()
    {
        var cafes = Enumerable.Range(0, GeoDemoService.MaxCafes - 1).Select(i => new Cafe($"Cafe {i}", 77.5 + (i * 0.0001), 12.9)).ToList();
        await Finder.AddAsync(_learner, cafes);

        var added = await Finder.AddAsync(_learner, [new Cafe("Cafe 3", 77.61, 12.97), new Cafe("Last one", 77.6, 12.95), new Cafe("Last one", 77.62, 12.96)]);

        Assert.Equal(1, added.Value);
        var key = _keys.ForLearner(_learner).Key(GeoDemoModule.Slug, "cafes");
        Assert.Equal(GeoDemoService.MaxCafes, await redis.Multiplexer.GetDatabase().SortedSetLengthAsync(key));
    }
}
