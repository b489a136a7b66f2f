using System.Globalization;
using System.Numerics;

namespace AgentFabric.Rego.Values;

public sealed partial class NumberValue
{
    /// <summary>Parses JSON number text (also accepts a leading '+', which Rego's <c>to_number</c> allows).
    /// Integral text of any length stays exact, including forms like <c>1e3</c> and <c>2.0</c>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out NumberValue value)
    {
        value = Zero;
        if (text.IsEmpty)
        {
            return false;
        }

        if (text.Length <= 18 && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            value = Create(l);
            return true;
        }

        // Split into sign, digits, fraction digits and exponent.
        var i = 0;
        var negative = false;
        if (text[0] is '-' or '+')
        {
            negative = text[0] == '-';
            i++;
        }

        var intStart = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        var intDigits = text[intStart..i];
        ReadOnlySpan<char> fracDigits = default;
        if (i < text.Length && text[i] == '.')
        {
            var fracStart = ++i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            fracDigits = text[fracStart..i];
        }

        if (intDigits.IsEmpty && fracDigits.IsEmpty)
        {
            return false;
        }

        var exponent = 0;
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (!int.TryParse(text[i..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent) ||
                i >= text.Length || !char.IsAsciiDigit(text[^1]))
            {
                return false;
            }

            i = text.Length;
        }

        if (i != text.Length)
        {
            return false;
        }

        var trimmedFrac = fracDigits.TrimEnd('0');
        if (exponent >= trimmedFrac.Length && exponent - trimmedFrac.Length < 4096)
        {
            // An integer: digits ++ fraction ++ zeros.
            var all = string.Concat(intDigits, trimmedFrac);
            var big = all.Length == 0 ? BigInteger.Zero : BigInteger.Parse(all, CultureInfo.InvariantCulture);
            big *= BigInteger.Pow(10, exponent - trimmedFrac.Length);
            value = Create(negative ? -big : big);
            return true;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
        {
            return false;
        }

        value = Create(d);
        return true;
    }

    /// <summary>Parses JSON number text; throws <see cref="FormatException"/> when it is not a number.</summary>
    public static NumberValue Parse(string text) =>
        TryParse(text, out var v) ? v : throw new FormatException($"invalid number: {text}");
}
