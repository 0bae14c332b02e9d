using BlazorRedis.Core;

namespace BlazorRedis.Core.Caching.Eviction;

/// <summary>
/// What the lab writes into its sandbox: <see cref="Keys"/> values of <see cref="ValueBytes"/> bytes over
/// <see cref="Rounds"/> rounds; the first <see cref="HotKeys"/> keys are read <see cref="ReadsPerRound"/> times in every round (before that round's writes); every key of an
/// evenly spread <see cref="TtlPercent"/> share gets a TTL of 60 to 600 seconds (long enough not to expire during a run).
/// </summary>
public sealed record EvictionWorkload
{
    public const int MinKeys = 50;
    public const int MaxKeys = 3000;
    public const int MinValueBytes = 256;
    public const int MaxValueBytes = 64 * 1024;

    /// <summary>One of <see cref="EvictionPolicies.All"/>.</summary>
    public string Policy { get; init; } = EvictionPolicies.AllKeysLru;

    /// <summary>How many keys to write (hot ones included).</summary>
    public int Keys { get; init; } = 600;

    /// <summary>Size of each value.</summary>
    public int ValueBytes { get; init; } = 4096;

    /// <summary>How many keys are hot: written first, then read <see cref="ReadsPerRound"/> times in every round.</summary>
    public int HotKeys { get; init; } = 30;

    /// <summary>Share of keys that get a TTL (0-100).</summary>
    public int TtlPercent { get; init; } = 50;

    /// <summary>How many rounds the writes are spread over.</summary>
    public int Rounds { get; init; } = 4;

    /// <summary>How often each hot key is read after each round.</summary>
    public int ReadsPerRound { get; init; } = 10;

    /// <summary>Throws <see cref="ArgumentException"/> with a plain reason when a field is out of range.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Policy) || !EvictionPolicies.All.Contains(Policy, StringComparer.Ordinal))
        {
            throw new LearnerInputException($"Policy must be one of: {string.Join(", ", EvictionPolicies.All)}.", nameof(Policy));
        }

        if (Keys is < MinKeys or > MaxKeys)
        {
            throw new LearnerInputException($"Keys must be between {MinKeys} and {MaxKeys}.", nameof(Keys));
        }

        if (ValueBytes is < MinValueBytes or > MaxValueBytes)
        {
            throw new LearnerInputException($"Value size must be between {MinValueBytes} bytes and {MaxValueBytes / 1024} KB.", nameof(ValueBytes));
        }

        if (HotKeys < 0 || HotKeys > Keys / 2)
        {
            throw new LearnerInputException("Hot keys must be between 0 and half of the keys.", nameof(HotKeys));
        }

        if (TtlPercent is < 0 or > 100)
        {
            throw new LearnerInputException("The share of keys with a TTL must be between 0 and 100 %.", nameof(TtlPercent));
        }

        if (Rounds is < 1 or > 10)
        {
            throw new LearnerInputException("Rounds must be between 1 and 10.", nameof(Rounds));
        }

        if (ReadsPerRound is < 0 or > 100)
        {
            throw new LearnerInputException("Reads per round must be between 0 and 100.", nameof(ReadsPerRound));
        }
    }

    /// <summary>True when key <paramref name="index"/> gets a TTL (spread evenly, exactly <see cref="TtlPercent"/>%).</summary>
    public bool HasTtl(int index) => (index + 1) * TtlPercent / 100 > index * TtlPercent / 100;

    /// <summary>The TTL of key <paramref name="index"/>: 60 to 600 s, varied so volatile-ttl has an order to follow.</summary>
    public static TimeSpan TtlOf(int index) => TimeSpan.FromSeconds(60 + (index * 37 % 541));
}
