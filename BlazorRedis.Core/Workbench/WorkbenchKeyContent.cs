using BlazorRedis.Core.Tracing;

namespace BlazorRedis.Core.Workbench;

/// <summary>One of the learner's workbench keys as the key browser lists it.</summary>
/// <param name="Raw">The key's bytes in the learner's names (without the prefix).</param>
/// <param name="Name">The key's name as text.</param>
/// <param name="Type">What TYPE answered (string, list, hash, set, zset, stream, or none when it is gone).</param>
/// <param name="Encoding">What OBJECT ENCODING answered (listpack, quicklist, hashtable, int, embstr, raw…).</param>
/// <param name="TtlMilliseconds">PTTL: null when the key has no TTL.</param>
/// <param name="Bytes">MEMORY USAGE, in bytes.</param>
public sealed record WorkbenchKeyRow(byte[] Raw, string Name, string Type, string? Encoding, long? TtlMilliseconds, long? Bytes);

/// <summary>A page of the learner's keys, and the SCAN cursor to go on from.</summary>
/// <param name="Keys">The keys of this page.</param>
/// <param name="Cursor">The cursor of the next page (a SCAN cursor, with <c>+N</c> when a step's keys went on past the page); "0" when the scan is complete.</param>
/// <param name="Trace">The commands the listing ran.</param>
public sealed record WorkbenchKeyPage(IReadOnlyList<WorkbenchKeyRow> Keys, string Cursor, OperationTrace Trace)
{
    /// <summary>Whether more keys may follow.</summary>
    public bool HasMore => Cursor != "0";
}

/// <summary>One key read for drawing, with what its type deserves.</summary>
/// <param name="Row">The key's type, encoding, TTL and memory.</param>
/// <param name="Content">What it holds (the first elements, when it is long).</param>
/// <param name="Trace">The commands the read ran.</param>
public sealed record WorkbenchKeyView(WorkbenchKeyRow Row, WorkbenchKeyContent Content, OperationTrace Trace);

/// <summary>What a key holds, by type.</summary>
public abstract record WorkbenchKeyContent
{
    /// <summary>How many elements (or bytes, for a string) the key has in all.</summary>
    public abstract long Total { get; }

    /// <summary>How many are shown.</summary>
    public abstract int Shown { get; }
}

/// <summary>The key does not exist (it expired or was deleted since the listing).</summary>
public sealed record MissingKeyContent : WorkbenchKeyContent
{
    /// <inheritdoc/>
    public override long Total => 0;

    /// <inheritdoc/>
    public override int Shown => 0;
}

/// <summary>A string: its text (the first bytes), and its bits for a bitmap.</summary>
/// <param name="Head">The first bytes (GETRANGE 0 n).</param>
/// <param name="Length">STRLEN.</param>
/// <param name="SetBits">BITCOUNT over the whole string.</param>
public sealed record StringKeyContent(byte[] Head, long Length, long SetBits) : WorkbenchKeyContent
{
    /// <inheritdoc/>
    public override long Total => Length;

    /// <inheritdoc/>
    public override int Shown => Head.Length;

    /// <summary>The head as text (invalid UTF-8 replaced).</summary>
    public string Text => System.Text.Encoding.UTF8.GetString(Head);

    /// <summary>
    /// Whether the bytes look like a bitmap rather than text: a control character other than tab or a line end (what
    /// SETBIT leaves behind), or invalid UTF-8.
    /// </summary>
    public bool LooksBinary
    {
        get
        {
            foreach (var b in Head)
            {
                if (b < 0x20 && b is not (byte)'\t' and not (byte)'\n' and not (byte)'\r')
                {
                    return true;
                }
            }

            return Text.Contains('\uFFFD', StringComparison.Ordinal);
        }
    }
}

/// <summary>A HyperLogLog (a string Redis marks with the HYLL header).</summary>
/// <param name="Estimate">PFCOUNT.</param>
/// <param name="Representation">sparse or dense, from the header.</param>
/// <param name="Length">Its bytes (STRLEN): the registers' memory.</param>
public sealed record HyperLogLogKeyContent(long Estimate, string Representation, long Length) : WorkbenchKeyContent
{
    /// <summary>The dense representation's size: 16,384 six-bit registers and the header.</summary>
    public const long DenseBytes = 12_304;

    /// <inheritdoc/>
    public override long Total => Estimate;

    /// <inheritdoc/>
    public override int Shown => 0;
}

/// <summary>A list, left to right.</summary>
/// <param name="Items">The first items (LRANGE 0 n-1).</param>
/// <param name="Length">LLEN.</param>
public sealed record ListKeyContent(IReadOnlyList<string> Items, long Length) : WorkbenchKeyContent
{
    /// <inheritdoc/>
    public override long Total => Length;

    /// <inheritdoc/>
    public override int Shown => Items.Count;
}

/// <summary>A hash's fields.</summary>
/// <param name="Fields">The first fields (HSCAN).</param>
/// <param name="Length">HLEN.</param>
public sealed record HashKeyContent(IReadOnlyList<KeyValuePair<string, string>> Fields, long Length) : WorkbenchKeyContent
{
    /// <inheritdoc/>
    public override long Total => Length;

    /// <inheritdoc/>
    public override int Shown => Fields.Count;
}

/// <summary>A set's members.</summary>
/// <param name="Members">The first members (SSCAN), sorted for reading.</param>
/// <param name="Cardinality">SCARD.</param>
public sealed record SetKeyContent(IReadOnlyList<string> Members, long Cardinality) : WorkbenchKeyContent
{
    /// <inheritdoc/>
    public override long Total => Cardinality;

    /// <inheritdoc/>
    public override int Shown => Members.Count;
}

/// <summary>A member of a sorted set and its score.</summary>
/// <param name="Member">The member.</param>
/// <param name="Score">Its score.</param>
public sealed record ScoredMember(string Member, double Score);

/// <summary>A member of a geo set and where it is (GEOPOS).</summary>
/// <param name="Member">The member.</param>
/// <param name="Longitude">Degrees east.</param>
/// <param name="Latitude">Degrees north.</param>
public sealed record GeoMember(string Member, double Longitude, double Latitude);

/// <summary>A sorted set, highest score first; a geo set is a sorted set whose scores are geohashes.</summary>
/// <param name="Entries">The top members (ZRANGE … REV WITHSCORES).</param>
/// <param name="Cardinality">ZCARD.</param>
/// <param name="Positions">GEOPOS of the shown members when every score could be a geohash; null otherwise.</param>
public sealed record SortedSetKeyContent(IReadOnlyList<ScoredMember> Entries, long Cardinality, IReadOnlyList<GeoMember>? Positions) : WorkbenchKeyContent
{
    /// <summary>The smallest score taken for a geohash when choosing the map first (real places score above 2^32).</summary>
    public const double LikelyGeohash = 4_294_967_296d;

    /// <summary>The scores are 52-bit geohashes a real GEOADD would write: the map is the first picture.</summary>
    public bool LooksGeo => Positions is { Count: > 0 } && Entries.All(e => e.Score >= LikelyGeohash);

    /// <inheritdoc/>
    public override long Total => Cardinality;

    /// <inheritdoc/>
    public override int Shown => Entries.Count;
}

/// <summary>A stream entry.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Fields">Its fields, in order.</param>
public sealed record StreamRow(string Id, IReadOnlyList<KeyValuePair<string, string>> Fields);

/// <summary>A consumer group of a stream, and its pending entries.</summary>
/// <param name="Name">The group.</param>
/// <param name="Consumers">How many consumers it has.</param>
/// <param name="PendingCount">Entries delivered and not acknowledged.</param>
/// <param name="LastDeliveredId">The last entry delivered to the group.</param>
/// <param name="Lag">Entries not yet delivered (null when Redis cannot tell).</param>
/// <param name="Pending">The first pending entries (XPENDING … - + n).</param>
public sealed record StreamGroupRow(string Name, long Consumers, long PendingCount, string LastDeliveredId, long? Lag, IReadOnlyList<StreamPendingRow> Pending);

/// <summary>An entry delivered to a consumer of a group and not yet acknowledged.</summary>
/// <param name="Id">The entry id.</param>
/// <param name="Consumer">Who holds it.</param>
/// <param name="IdleMilliseconds">Time since it was last delivered.</param>
/// <param name="Deliveries">How many times it was delivered.</param>
public sealed record StreamPendingRow(string Id, string Consumer, long IdleMilliseconds, int Deliveries);

/// <summary>A stream: the newest entries and its consumer groups.</summary>
/// <param name="Entries">The newest entries, oldest first (XREVRANGE + - COUNT n, reversed).</param>
/// <param name="Length">XLEN.</param>
/// <param name="Groups">XINFO GROUPS, with each group's pending entries.</param>
public sealed record StreamKeyContent(IReadOnlyList<StreamRow> Entries, long Length, IReadOnlyList<StreamGroupRow> Groups) : WorkbenchKeyContent
{
    /// <inheritdoc/>
    public override long Total => Length;

    /// <inheritdoc/>
    public override int Shown => Entries.Count;
}
