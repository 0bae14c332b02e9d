using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace BlazorRedis.Core.Classroom;

/// <summary>
/// A class's join code: 6 characters from an alphabet without look-alikes (no 0/O, 1/I/L), drawn from the OS CSPRNG.
/// Learners may type it in lower case, with spaces or a dash; <see cref="TryNormalize"/> takes care of that.
/// </summary>
public static class JoinCode
{
    /// <summary>The code's length.</summary>
    public const int Length = 6;

    /// <summary>Digits 2–9 and the letters A–Z without I, L and O: 31 symbols, 31^6 ≈ 887 million codes.</summary>
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    /// <summary>A new random code.</summary>
    public static string New() => new(RandomNumberGenerator.GetItems<char>(Alphabet, Length));

    /// <summary>
    /// Upper-cases <paramref name="text"/> and drops spaces and dashes; true when what is left is a code this app
    /// could have made. Long input is refused before any work.
    /// </summary>
    public static bool TryNormalize([NotNullWhen(true)] string? text, [NotNullWhen(true)] out string? code)
    {
        code = null;
        if (text is null || text.Length > 32)
        {
            return false;
        }

        var chars = text.Where(c => c is not (' ' or '-' or '\t')).Select(char.ToUpperInvariant).ToArray();
        if (chars.Length != Length || !chars.All(c => Alphabet.Contains(c, StringComparison.Ordinal)))
        {
            return false;
        }

        code = new string(chars);
        return true;
    }

    /// <summary>The sentence a learner reads for a code that is not even shaped like one.</summary>
    public const string FormatMessage = "A join code is 6 letters and digits, like 7KQ-4ZP (there is no 0, O, 1, I or L in it).";
}
