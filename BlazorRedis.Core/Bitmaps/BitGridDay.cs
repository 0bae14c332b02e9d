namespace BlazorRedis.Core.Bitmaps;

/// <summary>One day's row in the grid.</summary>
/// <param name="Day">The day.</param>
/// <param name="Bits">One flag per user, index = user id.</param>
/// <param name="Bytes">The raw bytes read (the first Users/8 bytes of the string).</param>
public sealed record BitGridDay(DateOnly Day, IReadOnlyList<bool> Bits, byte[] Bytes)
{
    /// <summary>Users set in the shown range.</summary>
    public int Count => Bits.Count(b => b);
}
