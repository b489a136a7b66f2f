using System.Globalization;
using System.Numerics;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Numbers;

internal static class UnitsBuiltins
{
    private const int UnitsMaxExponent = 1_000_000;

    // units.parse: SI (decimal) and IEC (binary) suffixes; only the first letter's case matters ("m" is milli, "M"
    // mega), the rest is case-insensitive ("KI" is "Ki").
    private static readonly Dictionary<string, (BigInteger Num, BigInteger Den)> UnitsMultipliers = new(StringComparer.Ordinal)
    {
        [string.Empty] = (1, 1),
        ["m"] = (1, 1000),
        ["k"] = (BigInteger.Pow(10, 3), 1), ["K"] = (BigInteger.Pow(10, 3), 1),
        ["ki"] = (BigInteger.One << 10, 1), ["Ki"] = (BigInteger.One << 10, 1),
        ["M"] = (BigInteger.Pow(10, 6), 1),
        ["mi"] = (BigInteger.One << 20, 1), ["Mi"] = (BigInteger.One << 20, 1),
        ["g"] = (BigInteger.Pow(10, 9), 1), ["G"] = (BigInteger.Pow(10, 9), 1),
        ["gi"] = (BigInteger.One << 30, 1), ["Gi"] = (BigInteger.One << 30, 1),
        ["t"] = (BigInteger.Pow(10, 12), 1), ["T"] = (BigInteger.Pow(10, 12), 1),
        ["ti"] = (BigInteger.One << 40, 1), ["Ti"] = (BigInteger.One << 40, 1),
        ["p"] = (BigInteger.Pow(10, 15), 1), ["P"] = (BigInteger.Pow(10, 15), 1),
        ["pi"] = (BigInteger.One << 50, 1), ["Pi"] = (BigInteger.One << 50, 1),
        ["e"] = (BigInteger.Pow(10, 18), 1), ["E"] = (BigInteger.Pow(10, 18), 1),
        ["ei"] = (BigInteger.One << 60, 1), ["Ei"] = (BigInteger.One << 60, 1),
    };

    // units.parse_bytes: case-insensitive; "k", "kb" decimal, "ki", "kib" binary.
    private static readonly Dictionary<string, BigInteger> UnitsByteMultipliers = UnitsCreateByteMultipliers();

    internal static void Register(BuiltinRegistry r)
    {
        r.Register("units.parse", [RegoType.String], RegoType.Number, static (_, a) => UnitsParse(BuiltinArgs.String(a, 0)));
        r.Register("units.parse_bytes", [RegoType.String], RegoType.Number, static (_, a) => UnitsParseBytes(BuiltinArgs.String(a, 0)));
    }

    private static Dictionary<string, BigInteger> UnitsCreateByteMultipliers()
    {
        var d = new Dictionary<string, BigInteger>(StringComparer.Ordinal) { [string.Empty] = 1 };
        var prefixes = "kmgtpe";
        for (var i = 0; i < prefixes.Length; i++)
        {
            var p = prefixes[i].ToString();
            d[p] = d[p + "b"] = BigInteger.Pow(1000, i + 1);
            d[p + "i"] = d[p + "ib"] = BigInteger.One << (10 * (i + 1));
        }

        return d;
    }

    internal static NumberValue UnitsParse(string raw)
    {
        // Quotes are dropped for parity with units.parse_bytes.
        var s = raw.Replace("\"", string.Empty, StringComparison.Ordinal);
        if (s.Contains(' ', StringComparison.Ordinal))
        {
            throw new RegoBuiltinException("spaces not allowed in resource strings");
        }

        var (num, unit) = UnitsSplitAmount(s);
        if (num.Length == 0)
        {
            throw new RegoBuiltinException("no amount provided");
        }

        if (unit.Length > 1)
        {
            unit = unit[..1] + unit[1..].ToLowerInvariant();
        }

        if (!UnitsMultipliers.TryGetValue(unit, out var mult))
        {
            throw new RegoBuiltinException($"unit {unit} not recognized");
        }

        var (n, d) = UnitsParseDecimal(num) ?? throw new RegoBuiltinException("could not parse amount to a number");
        n *= mult.Num;
        d *= mult.Den;

        // An integral result stays an exact integer; otherwise OPA gives the nearest float.
        var q = BigInteger.DivRem(n, d, out var rem);
        return rem.IsZero ? NumberValue.Create(q) : NumberValue.Create(UnitsDecimalToDouble(n, d));
    }

    internal static NumberValue UnitsParseBytes(string raw)
    {
        var s = raw.ToLowerInvariant().Replace("\"", string.Empty, StringComparison.Ordinal);
        if (s.Contains(' ', StringComparison.Ordinal))
        {
            throw new RegoBuiltinException("spaces not allowed in resource strings");
        }

        var (num, unit) = UnitsSplitAmount(s);
        if (num.Length == 0)
        {
            throw new RegoBuiltinException("no byte amount provided");
        }

        if (!UnitsByteMultipliers.TryGetValue(unit, out var mult))
        {
            throw new RegoBuiltinException($"byte unit {unit} not recognized");
        }

        var (n, d) = UnitsParseDecimal(num) ?? throw new RegoBuiltinException("could not parse byte amount to a number");

        // Fractional bytes are truncated toward zero.
        return NumberValue.Create(BigInteger.Divide(n * mult, d));
    }

    // The amount is the leading run of digits, '.', signs and exponents ("e" followed by a digit or sign); the rest
    // is the unit, so "10e" is 10 exa but "1e3k" is 1000 kilo.
    private static (string Num, string Unit) UnitsSplitAmount(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c is 'e' or 'E')
            {
                if (i == s.Length - 1 || !(char.IsAsciiDigit(s[i + 1]) || s[i + 1] is '+' or '-'))
                {
                    return (s[..i], s[i..]);
                }

                if (s[i + 1] is '+' or '-')
                {
                    i++;
                }

                continue;
            }

            if (!(char.IsAsciiDigit(c) || c is '.' or '+' or '-'))
            {
                return (s[..i], s[i..]);
            }
        }

        return (s, string.Empty);
    }

    /// <summary>A decimal number with optional sign, fraction and exponent as an exact fraction; null when it does
    /// not parse.</summary>
    private static (BigInteger Num, BigInteger Den)? UnitsParseDecimal(string s)
    {
        var i = 0;
        var negative = false;
        if (i < s.Length && s[i] is '+' or '-')
        {
            negative = s[i] == '-';
            i++;
        }

        BigInteger mantissa = 0;
        var scale = 0;
        var digits = 0;
        var seenDot = false;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsAsciiDigit(c))
            {
                mantissa = mantissa * 10 + (c - '0');
                digits++;
                if (seenDot)
                {
                    scale++;
                }
            }
            else if (c == '.' && !seenDot)
            {
                seenDot = true;
            }
            else
            {
                break;
            }
        }

        if (digits == 0)
        {
            return null;
        }

        long exponent = 0;
        if (i < s.Length && s[i] is 'e' or 'E')
        {
            i++;
            var expNegative = false;
            if (i < s.Length && s[i] is '+' or '-')
            {
                expNegative = s[i] == '-';
                i++;
            }

            var expDigits = 0;
            for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
            {
                exponent = Math.Min(exponent * 10 + (s[i] - '0'), 1L << 40);
                expDigits++;
            }

            if (expDigits == 0)
            {
                return null;
            }

            if (expNegative)
            {
                exponent = -exponent;
            }
        }

        if (i != s.Length)
        {
            return null;
        }

        var exp10 = exponent - scale;
        if (Math.Abs(exp10) > UnitsMaxExponent)
        {
            throw new RegoBuiltinException("exponent too large");
        }

        if (negative)
        {
            mantissa = -mantissa;
        }

        return exp10 >= 0 ? (mantissa * BigInteger.Pow(10, (int)exp10), BigInteger.One) : (mantissa, BigInteger.Pow(10, (int)-exp10));
    }

    /// <summary>The double nearest to n/d where d is a power of ten (correctly rounded by the decimal parser).</summary>
    private static double UnitsDecimalToDouble(BigInteger n, BigInteger powerOfTen)
    {
        var exponent = powerOfTen.ToString(CultureInfo.InvariantCulture).Length - 1;
        return double.Parse(n.ToString(CultureInfo.InvariantCulture) + "E-" + exponent.ToString(CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
