using System.Globalization;
using System.Text;
using BlazorRedis.Core.Connection;
using BlazorRedis.Core.Keys;
using BlazorRedis.Core.Tracing;
using StackExchange.Redis;

namespace BlazorRedis.Core.Workbench;

/// <summary>
/// The key browser beside the console: the learner's workbench keys (SCAN over their prefix, a page at a time) with
/// type, encoding, TTL and memory, and one key read the way its type deserves to be drawn. It only ever names keys under
/// the learner's prefix, reads at most <see cref="WorkbenchOptions.MaxReplyElements"/> elements of a key, and counts
/// each listing or read as one command of the learner's per-second budget. Edits go through the console instead.
/// </summary>
public sealed class WorkbenchKeyBrowser
{
    /// <summary>Keys one page lists.</summary>
    public const int PageSize = 20;

    /// <summary>Keys one SCAN step asks for.</summary>
    public const int ScanCount = 1000;

    /// <summary>SCAN steps one page may take before it returns what it found (a prefix with few keys among many).</summary>
    public const int MaxScanSteps = 50;

    /// <summary>The first bytes of a string the browser reads (text and bit grid).</summary>
    public const int StringHeadBytes = 512;

    /// <summary>Pending entries listed per consumer group.</summary>
    public const int PendingPerGroup = 10;

    private static readonly byte[] HyperLogLogMagic = "HYLL"u8.ToArray();

    private readonly IConnectionMultiplexer _mux;
    private readonly RedisTracer _tracer;
    private readonly RedisCommandBudget _budget;
    private readonly WorkbenchExecutor _executor;

    public WorkbenchKeyBrowser(IConnectionMultiplexer mux, RedisTracer tracer, RedisCommandBudget budget, WorkbenchExecutor executor)
    {
        _mux = mux ?? throw new ArgumentNullException(nameof(mux));
        _tracer = tracer ?? throw new ArgumentNullException(nameof(tracer));
        _budget = budget ?? throw new ArgumentNullException(nameof(budget));
        _executor = executor ?? throw new ArgumentNullException(nameof(executor));
    }

    private int MaxElements => _executor.Options.MaxReplyElements;

    /// <summary>
    /// One page of the learner's keys from <paramref name="cursor"/> ("0" for the first page), at most
    /// <see cref="PageSize"/> of them, each with its type, encoding, TTL and memory, sorted by name. Throws
    /// <see cref="LearnerInputException"/> for a cursor that is not one this method gave or when the learner is over
    /// their commands per second.
    /// </summary>
    /// <remarks>
    /// The cursor is Redis's SCAN cursor, or, when one SCAN step found more keys than a page holds, that step's cursor
    /// and how many of its keys (in byte order) were listed already (<c>"1234+20"</c>): "More" scans the step again and
    /// goes on after them.
    /// </remarks>
    public async Task<WorkbenchKeyPage> ListAsync(WorkbenchSession session, string cursor = "0", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(cursor);
        var plus = cursor.IndexOf('+', StringComparison.Ordinal);
        var skip = 0;
        if (!ulong.TryParse(plus < 0 ? cursor : cursor[..plus], NumberStyles.None, CultureInfo.InvariantCulture, out _)
            || (plus >= 0 && !int.TryParse(cursor.AsSpan(plus + 1), NumberStyles.None, CultureInfo.InvariantCulture, out skip)))
        {
            throw new LearnerInputException("That is not a SCAN cursor: start again from the first page.");
        }

        cursor = plus < 0 ? cursor : cursor[..plus];
        await _executor.CheckRateAsync(session, cancellationToken, "wb-browse-").ConfigureAwait(false);
        var rec = _tracer.Start("Key browser: list my keys");
        var match = Encoding.UTF8.GetBytes(RedisKeyspace.PrefixPattern(session.Prefix));
        var server = KeyScanner.ServerOwning(_mux, session.PrefixBytes);
        var found = new List<byte[]>();
        var steps = 0;
        do
        {
            var current = cursor;
            var reply = await rec.RunAsync(
                string.Create(CultureInfo.InvariantCulture, $"SCAN {current} MATCH {RedisCommandText.Argument((RedisValue)match)} COUNT {ScanCount}"),
                string.Create(CultureInfo.InvariantCulture, $"await server.ExecuteAsync(\"SCAN\", {current}, \"MATCH\", {RedisCommandText.CSharpString(Encoding.UTF8.GetString(match))}, \"COUNT\", {ScanCount}); // [next cursor, keys]"),
                () => _budget.RunAsync(() => server.ExecuteAsync("SCAN", current, "MATCH", match, "COUNT", ScanCount)),
                r => string.Create(CultureInfo.InvariantCulture, $"{((RedisResult[])r!)[1].Length} keys, next cursor {((RedisResult[])r!)[0]}")).ConfigureAwait(false);
            var parts = (RedisResult[])reply!;
            cursor = (string)parts[0]!;
            var keys = ((RedisResult[])parts[1]!)
                .Select(k => (byte[])k!)
                .Where(k => k.AsSpan().StartsWith(session.PrefixBytes))
                .DistinctBy(Convert.ToBase64String)
                .Order(ByteOrder)
                .Skip(skip)
                .ToList();
            var room = PageSize - found.Count;
            if (keys.Count > room)
            {
                // More than the page holds: the rest of this step comes on "More".
                found.AddRange(keys.Take(room));
                cursor = string.Create(CultureInfo.InvariantCulture, $"{current}+{skip + room}");
                break;
            }

            found.AddRange(keys);
            skip = 0;
        }
        while (cursor != "0" && found.Count < PageSize && ++steps < MaxScanSteps);

        var rows = await Task.WhenAll(found.DistinctBy(Convert.ToBase64String).Select(k => DescribeAsync(session, k, rec))).ConfigureAwait(false);
        return new WorkbenchKeyPage([.. rows.Where(r => r.Type != "none").OrderBy(r => r.Name, StringComparer.Ordinal)], cursor, rec.Finish());
    }

    private static readonly Comparer<byte[]> ByteOrder = Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b));

    /// <summary>
    /// Reads <paramref name="name"/> (in the learner's names) for drawing: its row, and the first elements of what it
    /// holds. A key that is gone answers <see cref="MissingKeyContent"/>.
    /// </summary>
    public async Task<WorkbenchKeyView> ReadAsync(WorkbenchSession session, byte[] name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            throw new LearnerInputException("Choose a key to show.");
        }

        await _executor.CheckRateAsync(session, cancellationToken, "wb-browse-").ConfigureAwait(false);
        var rec = _tracer.Start("Key browser: show " + Shorten(Encoding.UTF8.GetString(name)));
        var full = (byte[])[.. session.PrefixBytes, .. name];
        var row = await DescribeAsync(session, full, rec).ConfigureAwait(false);
        RedisKey key = full;
        var db = _mux.GetDatabase();
        WorkbenchKeyContent content = row.Type switch
        {
            "string" => await ReadStringAsync(db, key, rec).ConfigureAwait(false),
            "list" => await ReadListAsync(db, key, rec).ConfigureAwait(false),
            "hash" => await ReadHashAsync(db, key, rec).ConfigureAwait(false),
            "set" => await ReadSetAsync(db, key, rec).ConfigureAwait(false),
            "zset" => await ReadSortedSetAsync(db, key, rec).ConfigureAwait(false),
            "stream" => await ReadStreamAsync(db, key, rec).ConfigureAwait(false),
            _ => new MissingKeyContent(),
        };
        return new WorkbenchKeyView(row, content, rec.Finish());
    }

    // TYPE, OBJECT ENCODING, PTTL and MEMORY USAGE of one key, pipelined.
    private async Task<WorkbenchKeyRow> DescribeAsync(WorkbenchSession session, byte[] full, TraceRecorder rec)
    {
        RedisKey key = full;
        var db = _mux.GetDatabase();
        var type = rec.RunAsync(
            RedisCommandText.Format("TYPE", key),
            "await db.KeyTypeAsync(key);",
            () => _budget.RunAsync(() => db.KeyTypeAsync(key)),
            t => TypeName(t));
        var encoding = rec.RunAsync(
            RedisCommandText.Format("OBJECT ENCODING", key),
            "await db.KeyEncodingAsync(key);",
            () => _budget.RunAsync(() => db.KeyEncodingAsync(key)),
            e => e is null ? "(nil)" : "\"" + e + "\"");
        var ttl = rec.RunAsync(
            RedisCommandText.Format("PTTL", key),
            "await db.KeyTimeToLiveAsync(key); // null when the key has no TTL",
            () => _budget.RunAsync(() => db.KeyTimeToLiveAsync(key)),
            t => t is { } v ? RedisCommandText.IntegerReply((long)v.TotalMilliseconds) : "(integer) -1");
        var memory = rec.RunAsync(
            RedisCommandText.Format("MEMORY USAGE", key),
            "await db.ExecuteAsync(\"MEMORY\", \"USAGE\", key);",
            () => _budget.RunAsync(() => db.ExecuteAsync("MEMORY", "USAGE", key)),
            m => m.IsNull ? "(nil)" : RedisCommandText.IntegerReply((long)m));
        await Task.WhenAll(type, encoding, ttl, memory).ConfigureAwait(false);
        var raw = full[session.PrefixBytes.Length..];
        var bytes = await memory.ConfigureAwait(false);
        return new WorkbenchKeyRow(
            raw,
            Encoding.UTF8.GetString(raw),
            TypeName(await type.ConfigureAwait(false)),
            await encoding.ConfigureAwait(false),
            await ttl.ConfigureAwait(false) is { } t ? (long)t.TotalMilliseconds : null,
            bytes.IsNull ? null : (long)bytes);
    }

    private static string TypeName(RedisType type) => type switch
    {
        RedisType.String => "string",
        RedisType.List => "list",
        RedisType.Set => "set",
        RedisType.SortedSet => "zset",
        RedisType.Hash => "hash",
        RedisType.Stream => "stream",
        RedisType.None => "none",
        _ => type.ToString().ToLowerInvariant(),
    };

    private async Task<WorkbenchKeyContent> ReadStringAsync(IDatabase db, RedisKey key, TraceRecorder rec)
    {
        var head = await rec.RunAsync(
            RedisCommandText.Format("GETRANGE", key, 0, StringHeadBytes - 1),
            string.Create(CultureInfo.InvariantCulture, $"await db.StringGetRangeAsync(key, 0, {StringHeadBytes - 1});"),
            () => _budget.RunAsync(() => db.StringGetRangeAsync(key, 0, StringHeadBytes - 1)),
            v => RedisCommandText.Reply(v)).ConfigureAwait(false);
        var bytes = (byte[]?)head ?? [];
        if (LooksLikeHyperLogLog(bytes))
        {
            try
            {
                var estimate = await rec.RunAsync(
                    RedisCommandText.Format("PFCOUNT", key),
                    "await db.HyperLogLogLengthAsync(key);",
                    () => _budget.RunAsync(() => db.HyperLogLogLengthAsync(key)),
                    RedisCommandText.IntegerReply).ConfigureAwait(false);
                var hllLength = await StrlenAsync(db, key, rec).ConfigureAwait(false);
                return new HyperLogLogKeyContent(estimate, bytes[4] == 0 ? "dense" : "sparse", hllLength);
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal) || ex.Message.Contains("INVALIDOBJ", StringComparison.Ordinal))
            {
                // Only its header looked like one: Redis says it is no HyperLogLog, so it is drawn as the string it is.
            }
        }

        var length = await StrlenAsync(db, key, rec).ConfigureAwait(false);
        var setBits = await rec.RunAsync(
            RedisCommandText.Format("BITCOUNT", key),
            "await db.StringBitCountAsync(key);",
            () => _budget.RunAsync(() => db.StringBitCountAsync(key)),
            RedisCommandText.IntegerReply).ConfigureAwait(false);
        return new StringKeyContent(bytes, length, setBits);
    }

    // Redis's HyperLogLog header: "HYLL", the encoding (0 dense, 1 sparse), three unused zero bytes, then the cached count.
    private static bool LooksLikeHyperLogLog(byte[] head) =>
        head.Length >= 16 && head.AsSpan().StartsWith(HyperLogLogMagic) && head[4] <= 1 && head[5] == 0 && head[6] == 0 && head[7] == 0;

    private Task<long> StrlenAsync(IDatabase db, RedisKey key, TraceRecorder rec) => rec.RunAsync(
        RedisCommandText.Format("STRLEN", key),
        "await db.StringLengthAsync(key);",
        () => _budget.RunAsync(() => db.StringLengthAsync(key)),
        RedisCommandText.IntegerReply);

    private async Task<WorkbenchKeyContent> ReadListAsync(IDatabase db, RedisKey key, TraceRecorder rec)
    {
        var max = MaxElements;
        var items = rec.RunAsync(
            RedisCommandText.Format("LRANGE", key, 0, max - 1),
            string.Create(CultureInfo.InvariantCulture, $"await db.ListRangeAsync(key, 0, {max - 1});"),
            () => _budget.RunAsync(() => db.ListRangeAsync(key, 0, max - 1)),
            v => RedisCommandText.List(v.Select(x => x.ToString())));
        var length = rec.RunAsync(
            RedisCommandText.Format("LLEN", key),
            "await db.ListLengthAsync(key);",
            () => _budget.RunAsync(() => db.ListLengthAsync(key)),
            RedisCommandText.IntegerReply);
        return new ListKeyContent([.. (await items.ConfigureAwait(false)).Select(v => v.ToString())], await length.ConfigureAwait(false));
    }

    private async Task<WorkbenchKeyContent> ReadHashAsync(IDatabase db, RedisKey key, TraceRecorder rec)
    {
        var max = MaxElements;
        var length = await rec.RunAsync(
            RedisCommandText.Format("HLEN", key),
            "await db.HashLengthAsync(key);",
            () => _budget.RunAsync(() => db.HashLengthAsync(key)),
            RedisCommandText.IntegerReply).ConfigureAwait(false);
        var fields = new List<KeyValuePair<string, string>>();
        var cursor = "0";
        do
        {
            var current = cursor;
            var reply = await rec.RunAsync(
                RedisCommandText.Format("HSCAN", key, current, "COUNT", max),
                string.Create(CultureInfo.InvariantCulture, $"await db.ExecuteAsync(\"HSCAN\", key, {current}, \"COUNT\", {max}); // [next cursor, field, value, …]"),
                () => _budget.RunAsync(() => db.ExecuteAsync("HSCAN", key, current, "COUNT", max)),
                r => string.Create(CultureInfo.InvariantCulture, $"{((RedisResult[])r!)[1].Length / 2} fields, next cursor {((RedisResult[])r!)[0]}")).ConfigureAwait(false);
            var parts = (RedisResult[])reply!;
            cursor = (string)parts[0]!;
            var pairs = (RedisResult[])parts[1]!;
            for (var i = 0; i + 1 < pairs.Length && fields.Count < max; i += 2)
            {
                fields.Add(new((string)pairs[i]!, (string)pairs[i + 1]!));
            }
        }
        while (cursor != "0" && fields.Count < max);
        return new HashKeyContent(fields, length);
    }

    private async Task<WorkbenchKeyContent> ReadSetAsync(IDatabase db, RedisKey key, TraceRecorder rec)
    {
        var max = MaxElements;
        var cardinality = await rec.RunAsync(
            RedisCommandText.Format("SCARD", key),
            "await db.SetLengthAsync(key);",
            () => _budget.RunAsync(() => db.SetLengthAsync(key)),
            RedisCommandText.IntegerReply).ConfigureAwait(false);
        var members = new HashSet<string>(StringComparer.Ordinal);
        var cursor = "0";
        do
        {
            var current = cursor;
            var reply = await rec.RunAsync(
                RedisCommandText.Format("SSCAN", key, current, "COUNT", max),
                string.Create(CultureInfo.InvariantCulture, $"await db.ExecuteAsync(\"SSCAN\", key, {current}, \"COUNT\", {max}); // [next cursor, members]"),
                () => _budget.RunAsync(() => db.ExecuteAsync("SSCAN", key, current, "COUNT", max)),
                r => string.Create(CultureInfo.InvariantCulture, $"{((RedisResult[])r!)[1].Length} members, next cursor {((RedisResult[])r!)[0]}")).ConfigureAwait(false);
            var parts = (RedisResult[])reply!;
            cursor = (string)parts[0]!;
            foreach (var m in (RedisResult[])parts[1]!)
            {
                if (members.Count < max)
                {
                    members.Add((string)m!);
                }
            }
        }
        while (cursor != "0" && members.Count < max);
        return new SetKeyContent([.. members.Order(StringComparer.Ordinal)], cardinality);
    }

    private async Task<WorkbenchKeyContent> ReadSortedSetAsync(IDatabase db, RedisKey key, TraceRecorder rec)
    {
        var max = MaxElements;
        var entries = rec.RunAsync(
            RedisCommandText.Format("ZRANGE", key, 0, max - 1, "REV", "WITHSCORES"),
            string.Create(CultureInfo.InvariantCulture, $"await db.SortedSetRangeByRankWithScoresAsync(key, 0, {max - 1}, Order.Descending);"),
            () => _budget.RunAsync(() => db.SortedSetRangeByRankWithScoresAsync(key, 0, max - 1, Order.Descending)),
            v => RedisCommandText.List(v.Select(e => $"{e.Element} {e.Score.ToString("R", CultureInfo.InvariantCulture)}")));
        var cardinality = rec.RunAsync(
            RedisCommandText.Format("ZCARD", key),
            "await db.SortedSetLengthAsync(key);",
            () => _budget.RunAsync(() => db.SortedSetLengthAsync(key)),
            RedisCommandText.IntegerReply);
        var rows = (await entries.ConfigureAwait(false)).Select(e => new ScoredMember(e.Element.ToString(), e.Score)).ToList();

        // Any score a GEOADD could write (a 52-bit integer) decodes to a place: read where, so the map can be drawn.
        IReadOnlyList<GeoMember>? positions = null;
        if (rows.Count > 0 && rows.All(r => r.Score >= 0 && r.Score < 4_503_599_627_370_496d && r.Score == Math.Floor(r.Score)))
        {
            var members = rows.Select(r => (RedisValue)r.Member).ToArray();
            var where = await rec.RunAsync(
                RedisCommandText.Format("GEOPOS", [key, .. members.Cast<object?>()]),
                "await db.GeoPositionAsync(key, " + RedisCommandText.CSharpArray("RedisValue", rows.Select(r => r.Member)) + ");",
                () => _budget.RunAsync(() => db.GeoPositionAsync(key, members)),
                p => string.Create(CultureInfo.InvariantCulture, $"{p.Count(x => x is not null)} positions")).ConfigureAwait(false);
            positions = [.. rows.Zip(where).Where(z => z.Second is not null).Select(z => new GeoMember(z.First.Member, z.Second!.Value.Longitude, z.Second!.Value.Latitude))];
        }

        return new SortedSetKeyContent(rows, await cardinality.ConfigureAwait(false), positions);
    }

    private async Task<WorkbenchKeyContent> ReadStreamAsync(IDatabase db, RedisKey key, TraceRecorder rec)
    {
        var max = MaxElements;
        var entries = rec.RunAsync(
            RedisCommandText.Format("XREVRANGE", key, "+", "-", "COUNT", max),
            string.Create(CultureInfo.InvariantCulture, $"await db.StreamRangeAsync(key, \"-\", \"+\", {max}, Order.Descending);"),
            () => _budget.RunAsync(() => db.StreamRangeAsync(key, "-", "+", max, Order.Descending)),
            v => string.Create(CultureInfo.InvariantCulture, $"{v.Length} entries"));
        var length = rec.RunAsync(
            RedisCommandText.Format("XLEN", key),
            "await db.StreamLengthAsync(key);",
            () => _budget.RunAsync(() => db.StreamLengthAsync(key)),
            RedisCommandText.IntegerReply);
        var groups = rec.RunAsync(
            RedisCommandText.Format("XINFO GROUPS", key),
            "await db.StreamGroupInfoAsync(key);",
            () => _budget.RunAsync(() => db.StreamGroupInfoAsync(key)),
            g => RedisCommandText.List(g.Select(x => x.Name)));
        var rows = (await entries.ConfigureAwait(false)).Reverse()
            .Select(e => new StreamRow(e.Id.ToString(), [.. e.Values.Select(v => new KeyValuePair<string, string>(v.Name.ToString(), v.Value.ToString()))]))
            .ToList();
        var groupRows = new List<StreamGroupRow>();
        foreach (var g in (await groups.ConfigureAwait(false)).Take(max))
        {
            var pending = g.PendingMessageCount == 0 ? [] : await rec.RunAsync(
                RedisCommandText.Format("XPENDING", key, g.Name, "-", "+", PendingPerGroup),
                "await db.StreamPendingMessagesAsync(key, " + RedisCommandText.CSharpString(g.Name) + string.Create(CultureInfo.InvariantCulture, $", {PendingPerGroup}, RedisValue.Null);"),
                () => _budget.RunAsync(() => db.StreamPendingMessagesAsync(key, g.Name, PendingPerGroup, RedisValue.Null)),
                p => string.Create(CultureInfo.InvariantCulture, $"{p.Length} pending")).ConfigureAwait(false);
            groupRows.Add(new StreamGroupRow(
                g.Name,
                g.ConsumerCount,
                g.PendingMessageCount,
                g.LastDeliveredId ?? "0-0",
                g.Lag,
                [.. pending.Select(p => new StreamPendingRow(p.MessageId.ToString(), p.ConsumerName.ToString(), p.IdleTimeInMilliseconds, p.DeliveryCount))]));
        }

        return new StreamKeyContent(rows, await length.ConfigureAwait(false), groupRows);
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..59] + "…";
}
