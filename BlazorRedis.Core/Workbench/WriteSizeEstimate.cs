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
    /// <summary>Redis's defaults, sets without a listpack (so their estimate is the larger hashtable one).</summary>
    public static EncodingThresholds Defaults { get; } = new(128, 64, 128, 64, 512, null, 64, 8192, 4096);

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

/// <summary>
/// How many bytes a write may add to Redis's memory, an upper bound close to what MEMORY USAGE then reports. Each data
/// type is costed in the encoding Redis will give the elements written: compact (listpack, intset) when they fit the
/// thresholds, else the big one, whose every element costs a hashtable entry and bucket (and a skiplist node for a
/// sorted set) besides its own allocation. Allocations are rounded up as the allocator does.
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

    private static readonly HashSet<string> ZaddOptions = new(StringComparer.OrdinalIgnoreCase) { "NX", "XX", "GT", "LT", "CH", "INCR" };

    /// <summary>The bytes <paramref name="command"/> may add, for a command that writes a key's value from its arguments.</summary>
    public static long Of(WorkbenchCommand command, EncodingThresholds limits)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(limits);
        var args = command.Arguments;
        if (args.Count < 2)
        {
            return args.Skip(1).Sum(a => Alloc(a.Length + 4) + 32L);
        }

        var key = Alloc(args[1].Length + 4) + KeyEntry;
        var rest = args.Skip(2).ToList();
        var bytes = command.Spec.Name switch
        {
            "sadd" => Set(rest, limits),
            "hset" or "hmset" or "hsetnx" => Hash(rest, limits),
            "zadd" => SortedSet([.. rest.SkipWhile(a => ZaddOptions.Contains(Encoding.ASCII.GetString(a)))], 2, limits),
            "geoadd" => SortedSet([.. rest.SkipWhile(a => ZaddOptions.Contains(Encoding.ASCII.GetString(a)))], 3, limits),
            "rpush" or "lpush" or "rpushx" or "lpushx" => List(rest, limits),
            "xadd" => StreamFixed + limits.StreamNodeBytes + Alloc(64 + rest.Sum(a => Listpack(a.Length))),
            _ => rest.Sum(a => Alloc(a.Length + 4) + 32L),
        };

        // A sixteenth more for what the model leaves out (a table mid-rehash, MEMORY USAGE's sampling).
        return (key + bytes) * 17 / 16;
    }

    // A set: an intset while every member is an integer and they are few, a listpack (Redis 7.2 on) while they are
    // few and short, else a hashtable.
    private static long Set(List<byte[]> members, EncodingThresholds limits)
    {
        if (members.Count <= limits.SetIntsetEntries && members.All(m => IsInteger(m, out _)))
        {
            var largest = members.Max(m => IsInteger(m, out var v) ? Math.Max(v, -(v + 1)) : 0);
            var width = largest > int.MaxValue ? 8 : largest > short.MaxValue ? 4 : 2;
            return 32 + Alloc(8 + ((long)width * members.Count));
        }

        if (limits.SetListpackEntries is { } entries && members.Count <= entries && members.All(m => m.Length <= limits.SetListpackValue))
        {
            return 32 + Alloc(7 + members.Sum(m => Listpack(m.Length)));
        }

        return HashtableFixed + members.Sum(m => HashtableEntry + Sds(m.Length));
    }

    private static long Hash(List<byte[]> fieldsAndValues, EncodingThresholds limits)
    {
        if (fieldsAndValues.Count / 2 <= limits.HashEntries && fieldsAndValues.All(a => a.Length <= limits.HashValue))
        {
            return 32 + Alloc(7 + fieldsAndValues.Sum(a => Listpack(a.Length)));
        }

        // Each field and value is its own string; the pair shares one hashtable entry.
        return HashtableFixed + (fieldsAndValues.Count / 2 * (long)HashtableEntry) + fieldsAndValues.Sum(a => Sds(a.Length));
    }

    // ZADD's score member pairs (stride 2) or GEOADD's longitude latitude member triples (stride 3, the score a 52-bit
    // integer). A score is kept as text in a listpack: an integral one as its digits, another as up to 24 characters.
    private static long SortedSet(List<byte[]> elements, int stride, EncodingThresholds limits)
    {
        var members = elements.Where((_, i) => i % stride == stride - 1).ToList();
        if (members.Count <= limits.ZsetEntries && members.All(m => m.Length <= limits.ZsetValue))
        {
            var scores = stride == 2 ? elements.Where((_, i) => i % 2 == 0).Sum(s => Listpack(ScoreLength(s))) : members.Count * Listpack(16);
            return 32 + Alloc(7 + scores + members.Sum(m => Listpack(m.Length)));
        }

        return SkiplistFixed + members.Sum(m => SkiplistEntry + Sds(m.Length));
    }

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
