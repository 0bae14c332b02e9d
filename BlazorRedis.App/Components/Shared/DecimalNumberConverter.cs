using System.Globalization;
using System.Numerics;
using MudBlazor;

namespace BlazorRedis.App.Components.Shared;

/// <summary>
/// The converter of a field for a number with a fraction (<c>decimal?</c>, <c>double?</c>): a point is its only decimal
/// separator, and a comma is refused with <see cref="Comma"/>. MudBlazor's own reads the comma as a thousands separator,
/// so "24,50" (a decimal comma, as a learner in much of Europe types it) became 2450 and was written. A number beyond
/// the type says <see cref="WholeNumberConverter.TooLarge"/> or <see cref="WholeNumberConverter.TooSmall"/>, so
/// <see cref="TracedComponentBase.RequireNumber{T}(MudFormComponent{T?, string}?, T?, string, T, T, string)"/> names
/// the field's range.
/// </summary>
public static class DecimalNumberConverter
{
    /// <summary>The message under the field for a number typed with a comma.</summary>
    public const string Comma = "Write decimals with a point (24.50), not a comma";

    /// <summary>For a <c>decimal?</c> field.</summary>
    public static IReversibleConverter<decimal?, string?> ForDecimal { get; } = new Converter<decimal>();

    /// <summary>For a <c>double?</c> field.</summary>
    public static IReversibleConverter<double?, string?> ForDouble { get; } = new Converter<double>();

    private sealed class Converter<T> : IReversibleConverter<T?, string?>
        where T : struct, INumber<T>
    {
        public string? Convert(T? input) => input?.ToString(null, CultureInfo.InvariantCulture);

        public T? ConvertBack(string? input)
        {
            if (string.IsNullOrWhiteSpace(input))
            {
                return null;
            }

            var text = input.Trim();
            if (text.Contains(',', StringComparison.Ordinal))
            {
                throw new FormatException(Comma);
            }

            if (T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            // A number all the same, only beyond a decimal: out of range, not "not a number".
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !double.IsNaN(number))
            {
                throw new OverflowException(number > 0 ? WholeNumberConverter.TooLarge : WholeNumberConverter.TooSmall);
            }

            throw new FormatException("Not a valid number");
        }
    }
}
