namespace BlazorRedis.Core.Bitmaps;

/// <summary>The bits of the first users on some days, as Redis stores them (bit 0 is the high bit of byte 0).</summary>
/// <param name="Users">How many users (bits) per day.</param>
/// <param name="Days">The rows, in the order asked.</param>
public sealed record BitGrid(int Users, IReadOnlyList<BitGridDay> Days)
{
    /// <summary>The grid shows 256 users unless asked otherwise.</summary>
    public const int DefaultUsers = 256;

    /// <summary>An empty grid.</summary>
    public static BitGrid Empty { get; } = new(DefaultUsers, []);

    /// <summary>Decodes Redis's bit order: offset n lives in byte n/8, at bit 7 - n%8 (most significant first).</summary>
    public static bool[] Decode(ReadOnlySpan<byte> bytes, int users)
    {
        var bits = new bool[users];
        for (var n = 0; n < users; n++)
        {
            var b = n / 8;
            bits[n] = b < bytes.Length && (bytes[b] & (0x80 >> (n % 8))) != 0;
        }

        return bits;
    }
}
