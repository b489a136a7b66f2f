using System.Globalization;
using System.Text;

namespace AgentFabric.Rego.GoCompat;

/// <summary>Go's <c>strconv.FormatFloat(v, fmt, prec, 64)</c> for the formats <c>e E f F g G b x X</c>; a
/// precision of -1 means the shortest digits that round-trip.</summary>
internal static class SprintfFloatText
{
    public static string Format(double v, char fmt, int prec)
    {
        if (double.IsNaN(v))
        {
            return "NaN";
        }

        if (double.IsInfinity(v))
        {
            return v > 0 ? "+Inf" : "-Inf";
        }

        var neg = double.IsNegative(v);
        if (fmt is 'b' or 'x' or 'X')
        {
            return Binary(v, fmt, prec, neg);
        }

        var sb = new StringBuilder();
        if (neg)
        {
            sb.Append('-');
        }

        var a = Math.Abs(v);
        string digits;
        int dp;
        var shortest = prec < 0;
        switch (fmt)
        {
            case 'e' or 'E':
                (digits, dp) = shortest ? Shortest(a) : Significant(a, prec + 1);
                if (shortest)
                {
                    prec = Math.Max(digits.Length - 1, 0);
                }

                FormatE(sb, digits, dp, prec, fmt);
                return sb.ToString();
            case 'f' or 'F':
                (digits, dp) = shortest ? Shortest(a) : Fixed(a, prec);
                if (shortest)
                {
                    prec = Math.Max(digits.Length - dp, 0);
                }

                FormatF(sb, digits, dp, prec);
                return sb.ToString();
            default: // 'g', 'G'
                if (prec == 0)
                {
                    prec = 1;
                }

                (digits, dp) = shortest ? Shortest(a) : Significant(a, prec);
                if (shortest)
                {
                    prec = digits.Length;
                }

                var eprec = prec;
                if (eprec > digits.Length && digits.Length >= dp)
                {
                    eprec = digits.Length;
                }

                if (shortest)
                {
                    eprec = 6;
                }

                var exp = dp - 1;
                if (exp < -4 || exp >= eprec)
                {
                    FormatE(sb, digits, dp, Math.Min(prec, digits.Length) - 1, fmt == 'G' ? 'E' : 'e');
                    return sb.ToString();
                }

                FormatF(sb, digits, dp, Math.Max((prec > dp ? digits.Length : prec) - dp, 0));
                return sb.ToString();
        }
    }

    // Digits without leading/trailing zeros and the decimal point position: v = 0.digits × 10^dp. Zero is ("", 0).
    private static (string Digits, int Dp) Shortest(double a) => a == 0 ? (string.Empty, 0) : Parse(a.ToString("R", CultureInfo.InvariantCulture));

    private static (string Digits, int Dp) Significant(double a, int n) =>
        a == 0 ? (string.Empty, 0) : Parse(a.ToString("E" + (n - 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));

    private static (string Digits, int Dp) Fixed(double a, int decimals) =>
        Parse(a.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));

    private static (string Digits, int Dp) Parse(string r)
    {
        var exp10 = 0;
        var e = r.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exp10 = int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..e];
        }

        var dot = r.IndexOf('.', StringComparison.Ordinal);
        var digits = dot >= 0 ? r[..dot] + r[(dot + 1)..] : r;
        var dp = (dot >= 0 ? dot : r.Length) + exp10;
        var lead = 0;
        while (lead < digits.Length && digits[lead] == '0')
        {
            lead++;
            dp--;
        }

        digits = digits[lead..].TrimEnd('0');
        return digits.Length == 0 ? (string.Empty, 0) : (digits, dp);
    }

    // %e: d.ddddde±dd
    private static void FormatE(StringBuilder sb, string digits, int dp, int prec, char fmt)
    {
        sb.Append(digits.Length > 0 ? digits[0] : '0');
        if (prec > 0)
        {
            sb.Append('.');
            for (var i = 1; i <= prec; i++)
            {
                sb.Append(i < digits.Length ? digits[i] : '0');
            }
        }

        var exp = digits.Length == 0 ? 0 : dp - 1;
        sb.Append(fmt).Append(exp < 0 ? '-' : '+');
        exp = Math.Abs(exp);
        if (exp < 10)
        {
            sb.Append('0');
        }

        sb.Append(exp.ToString(CultureInfo.InvariantCulture));
    }

    // %f: integer part, then prec decimals.
    private static void FormatF(StringBuilder sb, string digits, int dp, int prec)
    {
        if (dp > 0)
        {
            for (var i = 0; i < dp; i++)
            {
                sb.Append(i < digits.Length ? digits[i] : '0');
            }
        }
        else
        {
            sb.Append('0');
        }

        if (prec > 0)
        {
            sb.Append('.');
            for (var i = 1; i <= prec; i++)
            {
                var j = dp + i - 1;
                sb.Append(j >= 0 && j < digits.Length ? digits[j] : '0');
            }
        }
    }

    // %b (mantissa p exponent) and %x (hexadecimal mantissa, binary exponent), from the IEEE 754 fields.
    private static string Binary(double v, char fmt, int prec, bool neg)
    {
        var bits = (ulong)BitConverter.DoubleToInt64Bits(v);
        var exp = (int)(bits >> 52) & 0x7FF;
        var mant = bits & ((1UL << 52) - 1);
        if (exp == 0)
        {
            exp++;
        }
        else
        {
            mant |= 1UL << 52;
        }

        exp -= 1023;
        var sb = new StringBuilder();
        if (neg)
        {
            sb.Append('-');
        }

        if (fmt == 'b')
        {
            exp -= 52;
            sb.Append(mant.ToString(CultureInfo.InvariantCulture)).Append('p').Append(exp >= 0 ? "+" : string.Empty)
                .Append(exp.ToString(CultureInfo.InvariantCulture));
            return sb.ToString();
        }

        if (mant == 0)
        {
            exp = 0;
        }

        // Leading 1 at bit 60, then optional rounding to prec hex digits (half to even).
        mant <<= 60 - 52;
        while (mant != 0 && (mant & (1UL << 60)) == 0)
        {
            mant <<= 1;
            exp--;
        }

        if (prec >= 0 && prec < 15)
        {
            var shift = prec * 4;
            var extra = (mant << shift) & ((1UL << 60) - 1);
            mant >>= 60 - shift;
            if ((extra | (mant & 1)) > 1UL << 59)
            {
                mant++;
            }

            mant <<= 60 - shift;
            if ((mant & (1UL << 61)) != 0)
            {
                mant >>= 1;
                exp++;
            }
        }

        var hex = fmt == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
        sb.Append('0').Append(fmt).Append((char)('0' + (int)((mant >> 60) & 1)));
        mant <<= 4;
        if (prec < 0 && mant != 0)
        {
            sb.Append('.');
            while (mant != 0)
            {
                sb.Append(hex[(int)((mant >> 60) & 15)]);
                mant <<= 4;
            }
        }
        else if (prec > 0)
        {
            sb.Append('.');
            for (var i = 0; i < prec; i++)
            {
                sb.Append(hex[(int)((mant >> 60) & 15)]);
                mant <<= 4;
            }
        }

        sb.Append(fmt == 'X' ? 'P' : 'p').Append(exp < 0 ? '-' : '+');
        exp = Math.Abs(exp);
        sb.Append(exp < 10 ? "0" : string.Empty).Append(exp.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }
}
