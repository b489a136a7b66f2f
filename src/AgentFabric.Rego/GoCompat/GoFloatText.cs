using System.Globalization;
using System.Text;

namespace AgentFabric.Rego.GoCompat;

/// <summary>Formats a double as Go's <c>strconv.FormatFloat(f, 'g', -1, 64)</c> (and big.Float's <c>Text('g', -1)</c>),
/// the text OPA gives computed floating-point numbers.</summary>
/// <remarks>Shortest round-trip digits; Go uses the exponent form <c>d.ddde±XX</c> when the decimal exponent is
/// below -4 or at least 6 (the precision Go assumes for the shortest format), with at least two exponent digits.</remarks>
internal static class GoFloatText
{
    public static string Format(double value)
    {
        if (value == 0)
        {
            return "0";
        }

        // "E16" is not shortest; "R" is. Parse R's output into digits and a decimal point position.
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = r[0] == '-';
        if (negative)
        {
            r = r[1..];
        }

        var exp10 = 0;
        var e = r.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exp10 = int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..e];
        }

        var dot = r.IndexOf('.', StringComparison.Ordinal);
        string digits;
        int pointPos; // digits before the decimal point
        if (dot >= 0)
        {
            digits = r[..dot] + r[(dot + 1)..];
            pointPos = dot;
        }
        else
        {
            digits = r;
            pointPos = r.Length;
        }

        pointPos += exp10;
        var lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
            pointPos--;
        }

        digits = digits[lead..].TrimEnd('0');
        if (digits.Length == 0)
        {
            return "0";
        }

        var x = pointPos - 1;
        const int eprec = 6;

        var sb = new StringBuilder();
        if (negative)
        {
            sb.Append('-');
        }

        if (x < -4 || x >= eprec)
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
            {
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            }

            sb.Append('e').Append(x < 0 ? '-' : '+');
            var ax = Math.Abs(x);
            if (ax < 10)
            {
                sb.Append('0');
            }

            sb.Append(ax);
            return sb.ToString();
        }

        if (pointPos <= 0)
        {
            sb.Append("0.").Append('0', -pointPos).Append(digits);
        }
        else if (pointPos >= digits.Length)
        {
            sb.Append(digits).Append('0', pointPos - digits.Length);
        }
        else
        {
            sb.Append(digits, 0, pointPos).Append('.').Append(digits, pointPos, digits.Length - pointPos);
        }

        return sb.ToString();
    }
}
