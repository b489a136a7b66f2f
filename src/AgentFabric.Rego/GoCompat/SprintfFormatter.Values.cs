using System.Globalization;
using System.Numerics;
using System.Text;

namespace AgentFabric.Rego.GoCompat;

internal static partial class SprintfFormatter
{
    // Go's fmtInteger (int) and big.Int.Format: [sign][prefix][zeros][digits], padded to the width.
    private static void FormatInteger(StringBuilder sb, BigInteger value, SprintfArg arg, Spec spec, bool isBig)
    {
        int radix;
        var upper = false;
        switch (spec.Verb)
        {
            case 'v' or 'd':
                radix = 10;
                break;
            case 's' when isBig:
                radix = 10;
                break;
            case 'b':
                radix = 2;
                break;
            case 'o' or 'O':
                radix = 8;
                break;
            case 'x':
                radix = 16;
                break;
            case 'X':
                radix = 16;
                upper = true;
                break;
            case 'c' when !isBig:
                Pad(sb, RuneText(value), spec);
                return;
            case 'q' when !isBig:
                Pad(sb, QuoteRune(value), spec);
                return;
            case 'U' when !isBig:
                FormatUnicode(sb, value, spec);
                return;
            default:
                BadVerb(sb, arg, spec);
                return;
        }

        var digits = IntegerDigits(BigInteger.Abs(value), radix);
        if (upper)
        {
            digits = digits.ToUpperInvariant();
        }

        var sign = value.Sign < 0 ? "-" : spec.Plus ? "+" : spec.Space ? " " : string.Empty;
        var prefix = spec.Verb == 'O' ? "0o" : !spec.Sharp ? string.Empty : spec.Verb switch
        {
            'b' => "0b",
            'o' => "0",
            'x' => "0x",
            'X' => "0X",
            _ => string.Empty,
        };

        var zeros = 0;
        if (spec.HasPrecision)
        {
            if (spec.Precision == 0 && value.IsZero)
            {
                Pad(sb, string.Empty, spec with { Zero = false });
                return;
            }

            zeros = Math.Max(0, spec.Precision - digits.Length);
        }
        else if (spec.Zero && spec.HasWidth)
        {
            zeros = Math.Max(0, spec.Width - sign.Length - prefix.Length - digits.Length);
        }

        if (prefix == "0" && (zeros > 0 || digits[0] == '0'))
        {
            prefix = string.Empty; // %#o never doubles a leading zero
        }

        Pad(sb, sign + prefix + new string('0', zeros) + digits, spec with { Zero = false });
    }

    private static string IntegerDigits(BigInteger magnitude, int radix) => GoIntText.Format(magnitude, radix);

    private static string RuneText(BigInteger value) =>
        value >= 0 && value <= 0x10FFFF && !(value >= 0xD800 && value <= 0xDFFF) ? char.ConvertFromUtf32((int)value) : "\uFFFD";

    private static string QuoteRune(BigInteger value)
    {
        var text = RuneText(value);
        var quoted = GoQuote.Quote(text);
        quoted = quoted[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);
        return "'" + quoted + "'";
    }

    private static void FormatUnicode(StringBuilder sb, BigInteger value, Spec spec)
    {
        var hex = value.ToString("X", CultureInfo.InvariantCulture).TrimStart('0');
        var text = "U+" + hex.PadLeft(spec.HasPrecision ? Math.Max(4, spec.Precision) : 4, '0');
        if (spec.Sharp && value >= 0 && value <= 0x10FFFF)
        {
            text += " '" + RuneText(value) + "'";
        }

        Pad(sb, text, spec with { Zero = false });
    }

    // Go's fmtFloat: %v is %g with the shortest digits; %e %f default to precision 6.
    private static void FormatFloat(StringBuilder sb, SprintfArg arg, Spec spec)
    {
        var v = arg.Float;
        char verb;
        int precision;
        switch (spec.Verb)
        {
            case 'v':
                verb = 'g';
                precision = -1;
                break;
            case 'g' or 'G' or 'x' or 'X' or 'b':
                verb = (char)spec.Verb;
                precision = -1;
                break;
            case 'e' or 'E' or 'f' or 'F':
                verb = (char)spec.Verb;
                precision = 6;
                break;
            default:
                BadVerb(sb, arg, spec);
                return;
        }

        if (spec.HasPrecision)
        {
            precision = spec.Precision;
        }

        var num = SprintfFloatText.Format(v, verb, precision);
        var negative = num.StartsWith('-');
        var body = negative ? num[1..] : num;
        var sign = negative ? "-" : spec.Plus ? "+" : spec.Space ? " " : string.Empty;
        if (double.IsInfinity(v) || double.IsNaN(v))
        {
            Pad(sb, sign + body, spec with { Zero = false });
            return;
        }

        if (spec.Zero && spec.HasWidth && spec.Width > sign.Length + body.Length)
        {
            sb.Append(sign).Append('0', spec.Width - sign.Length - body.Length).Append(body);
            return;
        }

        Pad(sb, sign + body, spec);
    }

    private static void FormatString(StringBuilder sb, SprintfArg arg, Spec spec)
    {
        var s = arg.Str ?? string.Empty;
        switch (spec.Verb)
        {
            case 'v' when spec.Sharp:
                Pad(sb, GoQuote.Quote(s), spec);
                break;
            case 'v' or 's':
                Pad(sb, spec.HasPrecision ? TruncateRunes(s, spec.Precision) : s, spec);
                break;
            case 'q':
                var q = spec.HasPrecision ? TruncateRunes(s, spec.Precision) : s;
                Pad(sb, spec.Sharp && CanBackquote(q) ? "`" + q + "`" : GoQuote.Quote(q), spec);
                break;
            case 'x' or 'X':
                Pad(sb, HexBytes(s, spec), spec);
                break;
            default:
                BadVerb(sb, arg, spec);
                break;
        }
    }

    private static string TruncateRunes(string s, int n)
    {
        var i = 0;
        var count = 0;
        while (i < s.Length && count < n)
        {
            i += char.IsSurrogatePair(s, i) ? 2 : 1;
            count++;
        }

        return s[..i];
    }

    private static bool CanBackquote(string s)
    {
        foreach (var c in s)
        {
            if (c == '`' || c == '\uFFFD' || (c < ' ' && c != '\t') || c == '\x7f')
            {
                return false;
            }
        }

        return true;
    }

    // Go's fmtSbx: hex of the UTF-8 bytes; the space flag separates bytes, '#' adds 0x to each (or once).
    private static string HexBytes(string s, Spec spec)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        var length = spec.HasPrecision ? Math.Min(spec.Precision, bytes.Length) : bytes.Length;
        var digits = spec.Verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
        var sb = new StringBuilder(length * 3);
        for (var i = 0; i < length; i++)
        {
            if (spec.Space && i > 0)
            {
                sb.Append(' ');
            }

            if (spec.Sharp && (spec.Space || i == 0))
            {
                sb.Append(spec.Verb == 'X' ? "0X" : "0x");
            }

            sb.Append(digits[bytes[i] >> 4]).Append(digits[bytes[i] & 0xF]);
        }

        return sb.ToString();
    }
}
