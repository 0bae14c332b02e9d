using BlazorRedis.Core.Workbench;

namespace BlazorRedis.App.Components.Pages.Workbench;

/// <summary>How a key is drawn: its type, or the picture chosen for it (a string as bits, a sorted set on the map).</summary>
public enum KeyPicture
{
    /// <summary>A string as text.</summary>
    Text,

    /// <summary>A string as a bit grid.</summary>
    Bits,

    /// <summary>A HyperLogLog: its estimate and registers.</summary>
    HyperLogLog,

    /// <summary>A list as boxes.</summary>
    List,

    /// <summary>A hash as a card.</summary>
    Hash,

    /// <summary>A set as members (two sets as a Venn diagram).</summary>
    Set,

    /// <summary>A sorted set as ranked bars.</summary>
    Ranked,

    /// <summary>A geo set on the map.</summary>
    Map,

    /// <summary>A stream as a table with its consumer groups.</summary>
    Stream,
}

/// <summary>
/// The edit actions of each picture, as the console lines they send: the key browser fills the fields, and the line
/// goes through the console like a typed one (its reply and commands show there).
/// </summary>
/// <param name="AddLabel">The add button's text.</param>
/// <param name="Fields">The labels of the add fields.</param>
/// <param name="Add">The add line for a key and the fields' values.</param>
/// <param name="RemoveLabel">The remove field's label (null: this picture has no remove).</param>
/// <param name="Remove">The remove line for a key and the remove field's value.</param>
public sealed record KeyEdit(string AddLabel, IReadOnlyList<string> Fields, Func<byte[], IReadOnlyList<string>, string> Add, string? RemoveLabel, Func<byte[], string, string>? Remove)
{
    /// <summary>The edits of <paramref name="picture"/>.</summary>
    public static KeyEdit For(KeyPicture picture) => picture switch
    {
        KeyPicture.Text => new("SET", ["Value"], (k, v) => Line("SET", k, v[0], "KEEPTTL"), null, null),
        KeyPicture.Bits => new("SETBIT", ["Offset", "Bit (0 or 1)"], (k, v) => Line("SETBIT", k, v[0], v[1]), null, null),
        KeyPicture.HyperLogLog => new("PFADD", ["Element"], (k, v) => Line("PFADD", k, v[0]), null, null),
        KeyPicture.List => new("RPUSH", ["Value"], (k, v) => Line("RPUSH", k, v[0]), "Value to remove", (k, v) => Line("LREM", k, "1", v)),
        KeyPicture.Hash => new("HSET", ["Field", "Value"], (k, v) => Line("HSET", k, v[0], v[1]), "Field to remove", (k, v) => Line("HDEL", k, v)),
        KeyPicture.Set => new("SADD", ["Member"], (k, v) => Line("SADD", k, v[0]), "Member to remove", (k, v) => Line("SREM", k, v)),
        KeyPicture.Ranked => new("ZADD", ["Score", "Member"], (k, v) => Line("ZADD", k, v[0], v[1]), "Member to remove", (k, v) => Line("ZREM", k, v)),
        KeyPicture.Map => new("GEOADD", ["Longitude", "Latitude", "Member"], (k, v) => Line("GEOADD", k, v[0], v[1], v[2]), "Member to remove", (k, v) => Line("ZREM", k, v)),
        KeyPicture.Stream => new("XADD", ["Field", "Value"], (k, v) => Line("XADD", k, "*", v[0], v[1]), "Entry id to remove", (k, v) => Line("XDEL", k, v)),
        _ => throw new ArgumentOutOfRangeException(nameof(picture), picture, null),
    };

    /// <summary>The first picture of a key's content.</summary>
    public static KeyPicture? Default(WorkbenchKeyContent content) => content switch
    {
        HyperLogLogKeyContent => KeyPicture.HyperLogLog,
        StringKeyContent s => s.LooksBinary ? KeyPicture.Bits : KeyPicture.Text,
        ListKeyContent => KeyPicture.List,
        HashKeyContent => KeyPicture.Hash,
        SetKeyContent => KeyPicture.Set,
        SortedSetKeyContent z => z.LooksGeo ? KeyPicture.Map : KeyPicture.Ranked,
        StreamKeyContent => KeyPicture.Stream,
        _ => null,
    };

    /// <summary>The pictures a learner may switch between for <paramref name="content"/>.</summary>
    public static IReadOnlyList<KeyPicture> Choices(WorkbenchKeyContent content) => content switch
    {
        StringKeyContent => [KeyPicture.Text, KeyPicture.Bits],
        SortedSetKeyContent { Positions.Count: > 0 } => [KeyPicture.Ranked, KeyPicture.Map],
        _ => [],
    };

    /// <summary>The line that deletes <paramref name="key"/> (the key's bytes in the learner's names).</summary>
    public static string Delete(byte[] key) => Line("DEL", key);

    /// <summary>The line that takes <paramref name="key"/>'s TTL away.</summary>
    public static string Persist(byte[] key) => Line("PERSIST", key);

    /// <summary>The line that gives <paramref name="key"/> a TTL of <paramref name="seconds"/>.</summary>
    public static string Expire(byte[] key, long seconds) => Line("EXPIRE", key, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

    // The key as the console reads it back byte for byte: as text when it is UTF-8, else quoted with \xHH escapes
    // (a key's name in the browser is decoded for show and may have lost bytes).
    private static string Line(string command, byte[] key, params string[] rest)
    {
        var name = System.Text.Unicode.Utf8.IsValid(key)
            ? CommandLineParser.Join(System.Text.Encoding.UTF8.GetString(key))
            : RedisCliFormatter.Quote(key);
        return CommandLineParser.Join(command) + " " + name + (rest.Length == 0 ? "" : " " + CommandLineParser.Join(rest));
    }
}
