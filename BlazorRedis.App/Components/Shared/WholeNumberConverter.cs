using System.Globalization;
using System.Numerics;
using MudBlazor;

namespace BlazorRedis.App.Components.Shared;

/// <summary>
/// The converter of a whole-number field (<c>int?</c>) that tells a number too big for an <c>int</c> (99999999999) from
/// text that is no number: MudBlazor's own says "Not a valid number" for both. Such a number still does not convert
/// (the field keeps no value it was not given), but its message is <see cref="TooLarge"/> or <see cref="TooSmall"/>, so
/// <see cref="TracedComponentBase.RequireNumber{T}(MudFormComponent{T?, string}?, T?, string)"/> can let the field's own
/// range check say what the range is.
/// </summary>
public sealed class WholeNumberConverter : IReversibleConverter<int?, string?>
{
    /// <summary>The message under the field for a whole number above what it can hold.</summary>
    public const string TooLarge = "Too large for this field";

    /// <summary>The message under the field for a whole number below what it can hold.</summary>
    public const string TooSmall = "Too small for this field";

    /// <summary>The one instance (it holds no state).</summary>
    public static WholeNumberConverter Instance { get; } = new();

    public string? Convert(int? input) => input?.ToString(CultureInfo.InvariantCulture);

    public int? ConvertBack(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }

        var text = input.Trim();
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        // A whole number all the same, only beyond an int (or a long): out of range, not "not a number".
        if (text.Length <= 1000 && BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            throw new OverflowException(number.Sign > 0 ? TooLarge : TooSmall);
        }

        throw new FormatException("Not a valid number");
    }
}
