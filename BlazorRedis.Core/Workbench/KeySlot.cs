namespace BlazorRedis.Core.Workbench;

/// <summary>
/// The hash slot Redis Cluster gives a key, as <c>CLUSTER KEYSLOT</c> computes it: CRC16 (XMODEM) of the key, or of its
/// hash tag (what is between the first <c>{</c> and the next <c>}</c>, when not empty), modulo 16384. A pure function of
/// the name, so the workbench answers it on any server, a single one included.
/// </summary>
public static class KeySlot
{
    /// <summary>The number of hash slots of a Redis Cluster.</summary>
    public const int Slots = 16384;

    /// <summary>The slot of <paramref name="key"/>.</summary>
    public static int Of(ReadOnlySpan<byte> key)
    {
        var open = key.IndexOf((byte)'{');
        if (open >= 0)
        {
            var close = key[(open + 1)..].IndexOf((byte)'}');
            if (close > 0)
            {
                key = key.Slice(open + 1, close);
            }
        }

        return Crc16(key) % Slots;
    }

    // CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0, as Redis's crc16.c.
    private static int Crc16(ReadOnlySpan<byte> data)
    {
        var crc = 0;
        foreach (var b in data)
        {
            crc ^= b << 8;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xFFFF : (crc << 1) & 0xFFFF;
            }
        }

        return crc;
    }
}
