using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace BlazorRedis.Core.Sessions;

/// <summary>
/// Session ids: 256 bits from the OS cryptographic generator, written as URL-safe base64 without padding
/// (43 characters), so they fit a cookie or a URL unchanged and cannot be guessed.
/// </summary>
public static class SessionId
{
    /// <summary>Random bytes per id (256 bits).</summary>
    public const int ByteLength = 32;

    /// <summary>Characters of an id in URL-safe base64 without padding.</summary>
    public const int TextLength = 43;

    /// <summary>A fresh id.</summary>
    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(ByteLength));

    /// <summary>
    /// True when <paramref name="text"/> is something this store could have issued: exactly the text
    /// <see cref="New"/> writes for some 32 bytes. Anything else (including the same bytes spelled with a
    /// non-canonical last character, whose unused low bits are not zero) is refused before it reaches Redis, so a
    /// forged cookie cannot smuggle key syntax; and this never throws, whatever a client sends.
    /// </summary>
    public static bool IsWellFormed([NotNullWhen(true)] string? text)
    {
        if (text is not { Length: TextLength } || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return false;
        }

        // The status-returning overload reports bad input instead of throwing (the Try… one throws FormatException
        // for a final character with stray low bits); re-encoding then proves the spelling is the canonical one.
        Span<byte> bytes = stackalloc byte[ByteLength + 2];
        if (Base64Url.DecodeFromChars(text, bytes, out var consumed, out var written) != OperationStatus.Done
            || consumed != TextLength || written != ByteLength)
        {
            return false;
        }

        Span<char> canonical = stackalloc char[TextLength + 1];
        return Base64Url.TryEncodeToChars(bytes[..ByteLength], canonical, out var length)
            && canonical[..length].SequenceEqual(text);
    }

    /// <summary>The first characters of an id, enough to tell sessions apart on screen without revealing a usable token.</summary>
    public static string Fingerprint(string id) => id is { Length: > 6 } ? id[..6] + "…" : "…";
}
