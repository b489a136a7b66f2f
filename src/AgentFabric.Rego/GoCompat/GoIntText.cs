using System.Globalization;
using System.Numerics;
using System.Text;

namespace AgentFabric.Rego.GoCompat;

/// <summary>Integer text as Go's <c>math/big</c> writes it (for <c>format_int</c> and <c>sprintf</c>'s integer verbs).</summary>
internal static class GoIntText
{
    /// <summary>An integer in base 2, 8, 10 or 16 with lowercase digits and a leading '-' when negative, as Go's
    /// <c>big.Int.Text</c>.</summary>
    public static string Format(BigInteger value, int radix)
    {
        if (radix == 10)
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }

        var negative = value.Sign < 0;
        var magnitude = BigInteger.Abs(value);
        if (magnitude.IsZero)
        {
            return "0";
        }

        var digits = new StringBuilder();
        var bigRadix = new BigInteger(radix);
        while (!magnitude.IsZero)
        {
            magnitude = BigInteger.DivRem(magnitude, bigRadix, out var rem);
            digits.Append("0123456789abcdef"[(int)rem]);
        }

        if (negative)
        {
            digits.Append('-');
        }

        var chars = digits.ToString().ToCharArray();
        Array.Reverse(chars);
        return new string(chars);
    }
}
