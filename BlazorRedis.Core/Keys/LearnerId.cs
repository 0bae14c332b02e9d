using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace BlazorRedis.Core.Keys;

/// <summary>The opaque id of one learner (one browser session): 32 lowercase hex characters.</summary>
public readonly record struct LearnerId
{
    private LearnerId(string value) => Value = value;

    /// <summary>The id's text.</summary>
    public string Value { get; }

    /// <summary>A new random id (128 bits from the OS CSPRNG).</summary>
    public static LearnerId New() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));

    /// <summary>Accepts only ids this app could have issued, so a forged cookie cannot smuggle key syntax.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out LearnerId id)
    {
        id = default;
        if (text is not { Length: 32 } || !text.All(char.IsAsciiHexDigitLower))
        {
            return false;
        }

        id = new LearnerId(text);
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Value ?? "";
}
