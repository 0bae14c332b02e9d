using System.Globalization;
using BlazorRedis.Core.DataStructures;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.Geo;

/// <summary>The Redis implementation of <see cref="IGeoDemo"/>: one geo set per learner, <c>…:geo:cafes</c>.</summary>
public sealed class GeoDemoService(IConnectionMultiplexer mux, RedisKeyspace keyspace, RedisTracer tracer, KeyspaceJanitor janitor) : IGeoDemo
{
    /// <summary>Redis refuses latitudes beyond this: the poles cannot be geohashed in Web Mercator.</summary>
    public const double MaxLatitude = 85.05112878;

    /// <summary>The largest radius accepted (the demo is about one city).</summary>
    public const double MaxRadiusKm = 1000;

    /// <summary>The longest café name accepted.</summary>
    public const int MaxNameLength = 100;

    /// <summary>The most cafés one learner's map holds (and the most the map reads back): a GEOADD past it is refused.</summary>
    public const int MaxCafes = 200;

    private const string Area = GeoDemoModule.Slug;

    /// <inheritdoc/>
    public string Slug => Area;

    /// <inheritdoc/>
    public Task<Traced<long>> ResetAsync(LearnerId learner, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return janitor.ResetAsync(keyspace.ForLearner(learner), Area);
    }

    /// <inheritdoc/>
    public async Task<Traced<long>> AddAsync(LearnerId learner, IReadOnlyCollection<Cafe> cafes)
    {
        ArgumentNullException.ThrowIfNull(cafes);
        if (cafes.Count is 0 or > MaxCafes)
        {
            throw new LearnerInputException($"Add between 1 and {MaxCafes} cafés.", nameof(cafes));
        }

        foreach (var cafe in cafes)
        {
            ValidateName(cafe.Name);
            ValidatePoint(cafe.Longitude, cafe.Latitude);
        }

        var keys = keyspace.ForLearner(learner);
        var key = Key(keys);
        var db = mux.GetDatabase();
        var rec = tracer.Start(cafes.Count == 1 ? $"Add {cafes.First().Name}" : $"Add {cafes.Count} cafés");
        var entries = cafes.Select(c => new GeoEntry(c.Longitude, c.Latitude, c.Name)).ToArray();

        // Checked before writing, so the map never holds more cafés than SnapshotAsync reads back. A café already on the
        // map is moved, not added, so on a nearly full map only the names not on it yet need room. The check and the
        // GEOADD are one atomic step: two adds at once cannot both take the map's last room.
        var names = cafes.Select(c => c.Name).Distinct(StringComparer.Ordinal).ToArray();
        var added = await DemoSteps.WriteWithinCapAsync(rec, db, key, CappedKind.SortedSet, MaxCafes,
            () => DemoSteps.EnsureRoomAsync(rec, RedisCommandText.Format("ZCARD", key), "await db.SortedSetLengthAsync(key); // a geo set is a sorted set", () => db.SortedSetLengthAsync(key),
                entries.Length, MaxCafes,
                count => string.Create(CultureInfo.InvariantCulture, $"The demo map holds at most {MaxCafes} cafés and has {count}; reset it, add fewer, or move a café already on it."), nameof(cafes),
                () => CountNewAsync(rec, db, key, names)),
            tx => tx.GeoAddAsync(key, entries),
            RedisCommandText.Format("GEOADD", [key, .. cafes.SelectMany(c => new object[] { c.Longitude, c.Latitude, c.Name })]),
            string.Create(CultureInfo.InvariantCulture, $"tx.GeoAddAsync(key, new GeoEntry[] {{ {string.Join(", ", cafes.Take(3).Select(c => string.Create(CultureInfo.InvariantCulture, $"new({c.Longitude}, {c.Latitude}, {RedisCommandText.CSharpString(c.Name)})")))}{(cafes.Count > 3 ? $" /* … {cafes.Count - 3} more */" : "")} }})"),
            RedisCommandText.IntegerReply).ConfigureAwait(false);
        await rec.RunAsync(
            RedisCommandText.Format("EXPIRE", key, (long)keys.KeyTtl.TotalSeconds),
            string.Create(CultureInfo.InvariantCulture, $"await db.KeyExpireAsync(key, TimeSpan.FromSeconds({(long)keys.KeyTtl.TotalSeconds})); // abandoned demo data expires"),
            () => db.KeyExpireAsync(key, keys.KeyTtl),
            RedisCommandText.Flag).ConfigureAwait(false);
        return new(added, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<double?>> DistanceAsync(LearnerId learner, string from, string to)
    {
        ValidateName(from, nameof(from));
        ValidateName(to, nameof(to));
        var key = Key(keyspace.ForLearner(learner));
        var db = mux.GetDatabase();
        var rec = tracer.Start($"Distance {from} → {to}");
        var km = await rec.RunAsync(
            RedisCommandText.Format("GEODIST", key, from, to, "km"),
            $"await db.GeoDistanceAsync(key, {RedisCommandText.CSharpString(from)}, {RedisCommandText.CSharpString(to)}, GeoUnit.Kilometers);",
            () => db.GeoDistanceAsync(key, from, to, GeoUnit.Kilometers),
            d => d is null ? "(nil)" : Quote(d.Value)).ConfigureAwait(false);
        return new(km, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<GeoSearchResult>> SearchAroundCafeAsync(LearnerId learner, string member, double radiusKm)
    {
        ValidateName(member, nameof(member));
        ValidateRadius(radiusKm);
        var key = Key(keyspace.ForLearner(learner));
        var db = mux.GetDatabase();
        var rec = tracer.Start($"Cafés within {Km(radiusKm)} km of {member}");
        var center = await PositionCoreAsync(rec, db, key, member).ConfigureAwait(false)
            ?? throw new LearnerInputException($"There is no café called \"{member}\" on your map yet. Add it, or run the scenario.", nameof(member));
        var shape = new GeoSearchCircle(radiusKm, GeoUnit.Kilometers);
        var results = await rec.RunAsync(
            RedisCommandText.Format("GEOSEARCH", key, "FROMMEMBER", member, "BYRADIUS", radiusKm, "km", "ASC", "WITHDIST"),
            $"await db.GeoSearchAsync(key, {RedisCommandText.CSharpString(member)}, new GeoSearchCircle({Km(radiusKm)}, GeoUnit.Kilometers), order: Order.Ascending, options: GeoRadiusOptions.WithDistance);",
            () => db.GeoSearchAsync(key, member, shape, order: Order.Ascending, options: GeoRadiusOptions.WithDistance),
            Describe).ConfigureAwait(false);
        var legacy = RedisCommandText.Format("GEORADIUSBYMEMBER", key, member, radiusKm, "km", "WITHDIST", "ASC");
        return new(new GeoSearchResult(center.Longitude, center.Latitude, radiusKm, member, Hits(results), legacy), rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<GeoSearchResult>> SearchAroundPointAsync(LearnerId learner, double longitude, double latitude, double radiusKm)
    {
        ValidatePoint(longitude, latitude);
        ValidateRadius(radiusKm);
        var key = Key(keyspace.ForLearner(learner));
        var db = mux.GetDatabase();
        var rec = tracer.Start($"Cafés within {Km(radiusKm)} km of a point");
        var shape = new GeoSearchCircle(radiusKm, GeoUnit.Kilometers);
        var results = await rec.RunAsync(
            RedisCommandText.Format("GEOSEARCH", key, "FROMLONLAT", longitude, latitude, "BYRADIUS", radiusKm, "km", "ASC", "WITHDIST"),
            $"await db.GeoSearchAsync(key, {Deg(longitude)}, {Deg(latitude)}, new GeoSearchCircle({Km(radiusKm)}, GeoUnit.Kilometers), order: Order.Ascending, options: GeoRadiusOptions.WithDistance);",
            () => db.GeoSearchAsync(key, longitude, latitude, shape, order: Order.Ascending, options: GeoRadiusOptions.WithDistance),
            Describe).ConfigureAwait(false);
        var legacy = RedisCommandText.Format("GEORADIUS", key, longitude, latitude, radiusKm, "km", "WITHDIST", "ASC");
        return new(new GeoSearchResult(longitude, latitude, radiusKm, null, Hits(results), legacy), rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<Cafe?>> PositionAsync(LearnerId learner, string member)
    {
        ValidateName(member, nameof(member));
        var key = Key(keyspace.ForLearner(learner));
        var rec = tracer.Start($"Where is {member}?");
        var cafe = await PositionCoreAsync(rec, mux.GetDatabase(), key, member).ConfigureAwait(false);
        return new(cafe, rec.Finish());
    }

    /// <inheritdoc/>
    public async Task<Traced<IReadOnlyList<Cafe>>> SnapshotAsync(LearnerId learner)
    {
        var key = Key(keyspace.ForLearner(learner));
        var db = mux.GetDatabase();
        var rec = tracer.Start("Read the map");
        var members = await rec.RunAsync(
            RedisCommandText.Format("ZRANGE", key, 0, MaxCafes - 1),
            $"await db.SortedSetRangeByRankAsync(key, 0, {MaxCafes - 1}); // a geo set is a sorted set",
            () => db.SortedSetRangeByRankAsync(key, 0, MaxCafes - 1),
            m => RedisCommandText.List(m.Select(v => v.ToString()))).ConfigureAwait(false);
        if (members.Length == 0)
        {
            return new([], rec.Finish());
        }

        var positions = await rec.RunAsync(
            RedisCommandText.Format("GEOPOS", [key, .. members.Select(m => (object?)m.ToString())]),
            $"await db.GeoPositionAsync(key, {RedisCommandText.CSharpArray("RedisValue", members.Select(m => (string?)m), 200)});",
            () => db.GeoPositionAsync(key, members),
            p => $"{p.Count(x => x is not null)} positions").ConfigureAwait(false);
        var cafes = new List<Cafe>(members.Length);
        for (var i = 0; i < members.Length; i++)
        {
            if (positions[i] is { } p)
            {
                cafes.Add(new Cafe(members[i].ToString(), p.Longitude, p.Latitude));
            }
        }

        return new(cafes, rec.Finish());
    }

    /// <summary>Throws unless the point is one Redis can store: longitude ±180, latitude ±85.05112878, no NaN or infinity.</summary>
    public static void ValidatePoint(double longitude, double latitude)
    {
        if (!double.IsFinite(longitude))
        {
            throw new LearnerInputException("Longitude must be a number between -180 and 180 degrees (not NaN or infinity).", nameof(longitude));
        }

        if (!double.IsFinite(latitude))
        {
            throw new LearnerInputException($"Latitude must be a number between -{MaxLatitude} and {MaxLatitude} degrees (not NaN or infinity).", nameof(latitude));
        }

        if (longitude is < -180 or > 180)
        {
            throw new LearnerInputException($"Longitude must be between -180 and 180 degrees; {Deg(longitude)} is not.", nameof(longitude));
        }

        if (latitude is < -MaxLatitude or > MaxLatitude)
        {
            throw new LearnerInputException($"Latitude must be between -{MaxLatitude} and {MaxLatitude} degrees (Redis cannot index the poles); {Deg(latitude)} is not.", nameof(latitude));
        }
    }

    /// <summary>Throws unless the radius is a positive number of km up to <see cref="MaxRadiusKm"/>.</summary>
    public static void ValidateRadius(double radiusKm)
    {
        if (!double.IsFinite(radiusKm) || radiusKm <= 0 || radiusKm > MaxRadiusKm)
        {
            throw new LearnerInputException($"The radius must be a number of kilometres above 0 and at most {MaxRadiusKm:0}.", nameof(radiusKm));
        }
    }

    /// <summary>Throws unless <paramref name="name"/> is a usable café name.</summary>
    public static void ValidateName(string? name, string parameter = "name")
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new LearnerInputException("Give the café a name.", parameter);
        }

        if (name.Length > MaxNameLength)
        {
            throw new LearnerInputException($"A café name must be at most {MaxNameLength} characters.", parameter);
        }

        if (name.Any(char.IsControl))
        {
            throw new LearnerInputException("A café name must not contain control characters such as line breaks.", parameter);
        }
    }

    /// <summary>How many of <paramref name="names"/> are not on the map yet: ZMSCORE answers nil for each of them.</summary>
    private static async Task<RoomCheck> CountNewAsync(TraceRecorder rec, IDatabase db, RedisKey key, string[] names)
    {
        var members = names.Select(n => (RedisValue)n).ToArray();
        var scores = await rec.RunAsync(
            RedisCommandText.Format("ZMSCORE", [key, .. names]),
            $"await db.SortedSetScoresAsync(key, {RedisCommandText.CSharpArray("RedisValue", names)}); // nil: not on the map yet, so GEOADD adds it",
            () => db.SortedSetScoresAsync(key, members),
            s => RedisCommandText.List(s.Select(x => x is { } v ? RedisCommandText.Argument(v) : "(nil)"))).ConfigureAwait(false);
        return new RoomCheck(scores.Count(s => s is null), [.. members.Where((_, i) => scores[i] is not null)]);
    }

    private static async Task<Cafe?> PositionCoreAsync(TraceRecorder rec, IDatabase db, RedisKey key, string member)
    {
        var position = await rec.RunAsync(
            RedisCommandText.Format("GEOPOS", key, member),
            $"await db.GeoPositionAsync(key, {RedisCommandText.CSharpString(member)});",
            () => db.GeoPositionAsync(key, member),
            p => p is { } x ? $"{Deg(x.Longitude)}, {Deg(x.Latitude)}" : "(nil)").ConfigureAwait(false);
        return position is { } pos ? new Cafe(member, pos.Longitude, pos.Latitude) : null;
    }

    private static List<GeoHit> Hits(GeoRadiusResult[] results) =>
        results.Select(r => new GeoHit(r.Member.ToString(), r.Distance ?? 0)).ToList();

    private static string Describe(GeoRadiusResult[] results) =>
        results.Length == 0 ? "(empty array)" : string.Join(", ", results.Select(r => $"\"{r.Member}\" {Quote(r.Distance ?? 0)}"));

    private static RedisKey Key(LearnerKeyspace keys) => keys.Key(Area, "cafes");

    private static string Quote(double km) => "\"" + km.ToString("0.0000", CultureInfo.InvariantCulture) + "\"";

    private static string Km(double km) => km.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Deg(double degrees) => degrees.ToString("0.######", CultureInfo.InvariantCulture);
}
