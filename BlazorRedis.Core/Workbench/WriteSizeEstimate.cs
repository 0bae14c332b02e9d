using System.Globalization;
using System.Text;

namespace BlazorRedis.Core.Workbench;

/// <summary>
/// The sizes past which Redis keeps a collection in its big encoding (hashtable, skiplist) rather than a compact one
/// (listpack, intset), and the node sizes of lists and streams, as the server's CONFIG GET reports them.
/// </summary>
/// <param name="HashEntries">hash-max-listpack-entries.</param>
/// <param name="HashValue">hash-max-listpack-value.</param>
/// <param name="ZsetEntries">zset-max-listpack-entries.</param>
/// <param name="ZsetValue">zset-max-listpack-value.</param>
/// <param name="SetIntsetEntries">set-max-intset-entries.</param>
/// <param name="SetListpackEntries">set-max-listpack-entries (Redis 7.2 on); null where sets have no listpack encoding.</param>
/// <param name="SetListpackValue">set-max-listpack-value.</param>
/// <param name="ListNodeBytes">The bytes of one list node (list-max-listpack-size, negative sizes).</param>
/// <param name="StreamNodeBytes">stream-node-max-bytes: what a new stream node allocates up front.</param>
internal sealed record EncodingThresholds(
    int HashEntries, int HashValue, int ZsetEntries, int ZsetValue, int SetIntsetEntries, int? SetListpackEntries, int SetListpackValue, int ListNodeBytes, int StreamNodeBytes)
{
    /// <summary>
    /// Redis 7.0's defaults, as a redis-server with no configuration reports them (hash-max-listpack-entries is 512, not
    /// the sorted sets' 128), sets without a listpack (so their estimate is the larger hashtable one).
    /// </summary>
    public static EncodingThresholds Defaults { get; } = new(512, 64, 128, 64, 512, null, 64, 8192, 4096);

    /// <summary>The thresholds from a CONFIG GET reply (name, value, name, value …); a setting missing keeps its default.</summary>
    public static EncodingThresholds From(IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        int Get(string name, int fallback) => config.TryGetValue(name, out var text) && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : fallback;
        var d = Defaults;
        var listSize = Get("list-max-listpack-size", -2);
        return new(
            Get("hash-max-listpack-entries", d.HashEntries),
            Get("hash-max-listpack-value", d.HashValue),
            Get("zset-max-listpack-entries", d.ZsetEntries),
            Get("zset-max-listpack-value", d.ZsetValue),
            Get("set-max-intset-entries", d.SetIntsetEntries),
            config.ContainsKey("set-max-listpack-entries") ? Get("set-max-listpack-entries", 128) : null,
            Get("set-max-listpack-value", d.SetListpackValue),
            listSize is < 0 and >= -5 ? 4096 << (-listSize - 1) : d.ListNodeBytes,
            Math.Max(Get("stream-node-max-bytes", d.StreamNodeBytes), 0));
    }
}

/// <summary>A key a write adds elements to, as it is before the write.</summary>
/// <param name="Encoding">Its OBJECT ENCODING (listpack, intset, hashtable, skiplist, quicklist).</param>
/// <param name="Count">Its elements (SCARD, HLEN or ZCARD; 0 for a list).</param>
/// <param name="Bytes">Its MEMORY USAGE, where read (a compact key or a list); else 0.</param>
internal sealed record ExistingKey(string Encoding, long Count, long Bytes);

/// <summary>What a write that adds elements to a key may add to its MEMORY USAGE, the encoding the key then has, and how many elements it may add.</summary>
internal readonly record struct ElementsEstimate(long Bytes, string Encoding, long Elements);

/// <summary>
/// How many bytes a write may add to Redis's memory, an upper bound close to what MEMORY USAGE then reports. Each data
/// type is costed in the encoding Redis will give the elements written: compact (listpack, intset) when they fit the
/// thresholds, else the big one, whose every element costs a hashtable entry and bucket (and a skiplist node for a
/// sorted set) besides its own allocation. Allocations are rounded up as the allocator does. A write into a key that is
/// there already is costed from what the key holds (<see cref="ExistingKey"/>): one that takes a compact key past its
/// thresholds converts every element it held, one into a hashtable past its table's size doubles the table, and one into
/// a compact key (or a list's last node) may move it to the allocator's next size class.
/// </summary>
internal static class WriteSizeEstimate
{
    // A hashtable element: its dictEntry (24 bytes, allocated as 32) and up to two 8-byte buckets (the table doubles).
    internal const int HashtableEntry = 56;

    // A sorted set element in a skiplist: its hashtable entry and its skiplist node (24 bytes + 16 per level).
    internal const int SkiplistEntry = 128;

    // What a key adds besides its value: its dictEntry (32 as allocated) and its object header (16).
    private const int KeyEntry = 48;

    // A hashtable (a set or hash past its compact size): the dict and its first buckets.
    internal const int HashtableFixed = 128;

    // A skiplist sorted set: the zset, its dict and the 32-level header node.
    internal const int SkiplistFixed = 1024;

    // A stream: the stream, its radix tree and its first node's master entry, besides the node itself.
    private const int StreamFixed = 768;

    // A hashtable element's dictEntry as MEMORY USAGE counts it (sizeof, 24 bytes), its buckets counted apart.
    private const int DictEntry = 24;

    private static readonly HashSet<string> ZaddOptions = new(StringComparer.OrdinalIgnoreCase) { "NX", "XX", "GT", "LT", "CH", "INCR" };

    /// <summary>The bytes <paramref name="command"/> may add, for a command that writes a key's value from its arguments.</summary>
    public static long Of(WorkbenchCommand command, EncodingThresholds limits) => Estimate(command, limits, null).Bytes;

    /// <summary>Whether a write adds elements to a collection, so its estimate depends on what the key holds already (<see cref="ExistingKey"/>).</summary>
    public static bool AddsElements(string command) => command is "sadd" or "hset" or "hmset" or "hsetnx" or "zadd" or "geoadd" or "rpush" or "lpush" or "rpushx" or "lpushx"
        or "hincrby" or "hincrbyfloat" or "zincrby" or "linsert" or "lset";

    /// <summary>The command that counts the elements of the key <paramref name="command"/> adds to (SCARD, HLEN, ZCARD); null for a list.</summary>
    public static string? CardCommand(string command) => command switch
    {
        "sadd" => "SCARD",
        "hset" or "hmset" or "hsetnx" or "hincrby" or "hincrbyfloat" => "HLEN",
        "zadd" or "geoadd" or "zincrby" => "ZCARD",
        _ => null,
    };

    // The longest text HINCRBY leaves in a field: a 64-bit integer with its sign.
    private const int IntegerText = 20;

    // A score that is not a whole number, which a listpack keeps as its longest text (ZINCRBY's sum is not known before).
    private static readonly byte[] AnyScore = "0.5"u8.ToArray();

    // The write that adds the same to a key as a command that changes one element in place (HINCRBY, ZINCRBY, LINSERT,
    // LSET), with its arguments after the key: each may add the element it names, and so costs what HSET, ZADD or RPUSH
    // of that element would, into the key as it is (a field HINCRBY adds to a 512-field listpack converts it, as HSET's
    // would). The value of an increment is its result, not its argument: HINCRBY's at most 20 characters, HINCRBYFLOAT's
    // as long as the increment written out in full (1e100 is 101 digits) and ZINCRBY's score at its longest.
    private static (string Name, List<byte[]> Arguments) AsAddition(string name, List<byte[]> rest) => name switch
    {
        "hincrby" when rest.Count == 2 => ("hset", [rest[0], new byte[IntegerText]]),
        "hincrbyfloat" when rest.Count == 2 => ("hset", [rest[0], new byte[FloatText(rest[1])]]),
        "zincrby" when rest.Count == 2 => ("zadd", [AnyScore, rest[1]]),
        "linsert" when rest.Count == 3 => ("rpush", [rest[2]]),
        "lset" when rest.Count == 2 => ("rpush", [rest[1]]),
        _ => (name, rest),
    };

    // How long HINCRBYFLOAT's result may be written: Redis prints a float in full, with up to 17 decimals and no
    // exponent, so the result has the increment's integer digits (one more for a carry), a sign, a point and 17 decimals.
    private static int FloatText(byte[] increment)
    {
        if (!double.TryParse(increment, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            return increment.Length; // Redis refuses it
        }

        var digits = Math.Abs(value) < 1 ? 1 : (int)Math.Floor(Math.Log10(Math.Abs(value))) + 1;
        return Math.Max(increment.Length, 1 + digits + 1 + 1 + 17);
    }

    /// <summary>
    /// The bytes <paramref name="command"/> may add, into <paramref name="existing"/> (null: a key that is not there), and
    /// for a write that adds elements, the encoding the key then has and how many elements it may add.
    /// </summary>
    public static ElementsEstimate Estimate(WorkbenchCommand command, EncodingThresholds limits, ExistingKey? existing)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(limits);
        var args = command.Arguments;
        if (args.Count < 2)
        {
            return new(args.Skip(1).Sum(a => Alloc(a.Length + 4) + 32L), "", 0);
        }

        var key = Alloc(args[1].Length + 4) + KeyEntry;
        var (name, rest) = AsAddition(command.Spec.Name, [.. args.Skip(2)]);
        var (bytes, encoding, elements) = name switch
        {
            "sadd" => Set(rest, limits, existing),
            "hset" or "hmset" or "hsetnx" => Hash(rest, limits, existing),
            "zadd" => SortedSet([.. rest.SkipWhile(a => ZaddOptions.Contains(Encoding.ASCII.GetString(a)))], 2, limits, existing),
            "geoadd" => SortedSet([.. rest.SkipWhile(a => ZaddOptions.Contains(Encoding.ASCII.GetString(a)))], 3, limits, existing),
            "rpush" or "lpush" or "rpushx" or "lpushx" => new(
                List(rest, limits) + (existing is { } list ? Step(Math.Min(list.Bytes + rest.Sum(e => Listpack(e.Length)), limits.ListNodeBytes)) : 0), "quicklist", rest.Count),
            "xadd" => new(StreamFixed + limits.StreamNodeBytes + Alloc(64 + rest.Sum(a => Listpack(a.Length))), "", 0),
            _ => new ElementsEstimate(rest.Sum(a => Alloc(a.Length + 4) + 32L), "", 0),
        };

        // A sixteenth more for what the model leaves out (a table mid-rehash, MEMORY USAGE's sampling).
        return new((key + bytes) * 17 / 16, encoding, elements);
    }

    // A set: an intset while every member is an integer and they are few, a listpack (Redis 7.2 on) while they are
    // few and short, else a hashtable.
    private static ElementsEstimate Set(List<byte[]> members, EncodingThresholds limits, ExistingKey? existing)
    {
        var total = (existing?.Count ?? 0) + members.Count;
        var integers = members.All(m => IsInteger(m, out _));
        var compact = existing is null or { Encoding: "intset" or "listpack" };
        if (compact && total <= limits.SetIntsetEntries && integers && existing?.Encoding != "listpack")
        {
            var largest = members.Max(m => IsInteger(m, out var v) ? Math.Max(v, -(v + 1)) : 0);
            var width = largest > int.MaxValue ? 8 : largest > short.MaxValue ? 4 : 2;

            // Into an intset: each new member at most 8 bytes; a wider one than the intset's widens every member.
            return existing is { } intset
                ? new(Grown(intset.Bytes, (8L * members.Count) + (width > 2 ? (long)width * intset.Count : 0)), "intset", members.Count)
                : new(32 + Alloc(8 + ((long)width * members.Count)), "intset", members.Count);
        }

        if (compact && limits.SetListpackEntries is { } entries && total <= entries && members.All(m => m.Length <= limits.SetListpackValue))
        {
            var appended = members.Sum(m => Listpack(m.Length));
            return new(existing is { } listpack ? Grown(listpack.Bytes, appended) : 32 + Alloc(7 + appended), "listpack", members.Count);
        }

        var strings = members.Sum(m => Sds(m.Length));
        return existing switch
        {
            null => new(HashtableFixed + members.Sum(m => HashtableEntry + Sds(m.Length)), "hashtable", members.Count),

            // An intset's members become strings of up to 11 characters (2- and 4-byte integers) or 20 (8-byte ones).
            { Encoding: "intset" } intset => new(Converted(HashtableFixed, DictEntry, intset.Count, members.Count, Sds(intset.Bytes >= 8 * intset.Count ? 20 : 11)) + strings, "hashtable", members.Count),
            { Encoding: "listpack" } listpack => new(Converted(HashtableFixed, DictEntry, listpack.Count, members.Count, Slack(limits.SetListpackValue)) + strings, "hashtable", members.Count),
            _ => new(Doubled(existing.Count, members.Count) + (members.Count * (long)HashtableEntry) + strings, "hashtable", members.Count),
        };
    }

    private static ElementsEstimate Hash(List<byte[]> fieldsAndValues, EncodingThresholds limits, ExistingKey? existing)
    {
        var pairs = fieldsAndValues.Count / 2;
        var compact = existing is null or { Encoding: "listpack" or "ziplist" };
        if (compact && (existing?.Count ?? 0) + pairs <= limits.HashEntries && fieldsAndValues.All(a => a.Length <= limits.HashValue))
        {
            var appended = fieldsAndValues.Sum(a => Listpack(a.Length));
            return new(existing is { } listpack ? Grown(listpack.Bytes, appended) : 32 + Alloc(7 + appended), "listpack", pairs);
        }

        // Each field and value is its own string; the pair shares one hashtable entry.
        var strings = fieldsAndValues.Sum(a => Sds(a.Length));
        return existing switch
        {
            null => new(HashtableFixed + (pairs * (long)HashtableEntry) + strings, "hashtable", pairs),
            _ when compact => new(Converted(HashtableFixed, DictEntry, existing.Count, pairs, 2 * Slack(limits.HashValue)) + strings, "hashtable", pairs),
            _ => new(Doubled(existing.Count, pairs) + (pairs * (long)HashtableEntry) + strings, "hashtable", pairs),
        };
    }

    // ZADD's score member pairs (stride 2) or GEOADD's longitude latitude member triples (stride 3, the score a 52-bit
    // integer). A score is kept as text in a listpack: an integral one as its digits, another as up to 24 characters.
    private static ElementsEstimate SortedSet(List<byte[]> elements, int stride, EncodingThresholds limits, ExistingKey? existing)
    {
        var members = elements.Where((_, i) => i % stride == stride - 1).ToList();
        var compact = existing is null or { Encoding: "listpack" or "ziplist" };
        if (compact && (existing?.Count ?? 0) + members.Count <= limits.ZsetEntries && members.All(m => m.Length <= limits.ZsetValue))
        {
            var scores = stride == 2 ? elements.Where((_, i) => i % 2 == 0).Sum(s => Listpack(ScoreLength(s))) : members.Count * Listpack(16);
            var appended = scores + members.Sum(m => Listpack(m.Length));
            return new(existing is { } listpack ? Grown(listpack.Bytes, appended) : 32 + Alloc(7 + appended), "listpack", members.Count);
        }

        var nodes = members.Sum(m => SkiplistEntry + Sds(m.Length));
        return existing switch
        {
            null => new(SkiplistFixed + nodes, "skiplist", members.Count),
            _ when compact => new(Converted(SkiplistFixed, SkiplistEntry, existing.Count, members.Count, Slack(limits.ZsetValue)) - (members.Count * (long)SkiplistEntry) + nodes, "skiplist", members.Count),
            _ => new(Doubled(existing.Count, members.Count) + nodes, "skiplist", members.Count),
        };
    }

    // A compact key of count elements rebuilt in its big encoding with added more (Redis converts it whole): the
    // structure, an entry for each element, the bucket tables (two while the table doubles, 8 bytes a bucket), and each
    // element it held as a string of its own, perElement bytes more than its place in the compact encoding, which is freed.
    private static long Converted(long fixedBytes, long entry, long count, long added, long perElement) =>
        fixedBytes + ((count + added) * entry) + (count * perElement) + (12 * NextPowerOfTwo(count + added));

    // A hashtable of count elements that added more may take past its table's size (a power of two, at least count):
    // the table doubles, and the new one lives beside the old while it rehashes.
    private static long Doubled(long count, long added) =>
        NextPowerOfTwo(count) < count + added ? 8 * NextPowerOfTwo(count + added) : 0;

    // What a compact allocation of bytes grows by when appended bytes are written into it: those bytes, and a step to
    // the allocator's next size class.
    private static long Grown(long bytes, long appended) => appended + Step(bytes + appended);

    // How far apart the allocator's size classes are around bytes: 16 up to 128, then a quarter of the power of two below.
    private static long Step(long bytes) => bytes <= 128 ? 16 : (1L << (63 - (int)long.LeadingZeroCount(bytes - 1))) / 4;

    private static long NextPowerOfTwo(long value) => value <= 1 ? 1 : 1L << (64 - (int)long.LeadingZeroCount(value - 1));

    // How many bytes more an element of up to limit bytes takes as a string of its own than in a listpack: a string of
    // L bytes takes at least L + 2 there, an integer of 13 to 20 digits only 10 (as a string, 32).
    private static long Slack(int limit) =>
        Math.Max(Sds(20) - 10, Enumerable.Range(0, Math.Clamp(limit, 0, 1 << 16) + 1).Max(l => Sds(l) - (l + 2L)));

    private static int ScoreLength(byte[] score) =>
        double.TryParse(score, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value == Math.Floor(value) && Math.Abs(value) < 1e15
            ? ((long)value).ToString(CultureInfo.InvariantCulture).Length
            : 24;

    // A quicklist: listpack nodes of ListNodeBytes each (an element larger than a node gets a node of its own).
    private static long List(List<byte[]> elements, EncodingThresholds limits)
    {
        var total = elements.Sum(e => Listpack(e.Length));
        var nodes = (total / limits.ListNodeBytes) + 1 + elements.Count(e => e.Length > limits.ListNodeBytes);
        return 64 + Alloc(total + (7 * nodes)) + (nodes * 48); // each node a listpack (7 bytes of header and end) and its quicklist node
    }

    /// <summary>An allocation of <paramref name="bytes"/> as jemalloc rounds it: to 16 bytes up to 128, then to a quarter of the power of two below.</summary>
    internal static long Alloc(long bytes)
    {
        if (bytes <= 128)
        {
            return (bytes + 15) & ~15L;
        }

        var step = (1L << (63 - (int)long.LeadingZeroCount(bytes - 1))) / 4;
        return (bytes + step - 1) / step * step;
    }

    // A Redis string (sds): its header and terminator, allocated.
    internal static long Sds(long length) => Alloc(length + (length < 256 ? 4 : length < 65536 ? 6 : 10));

    // One listpack entry: the bytes, their encoding header and the back length.
    private static long Listpack(long length) => length + (length < 64 ? 2 : length < 4096 ? 4 : 8);

    // An integer as Redis reads one for an intset: no sign but a minus, no leading zero.
    private static bool IsInteger(byte[] text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)
        && text.AsSpan().SequenceEqual(Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture)));
}
