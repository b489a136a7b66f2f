using System.Globalization;
using System.Text;

namespace AgentFabric.Cli.Policy;

/// <summary>A duration as Go's <c>time.Duration.String</c> prints it, the form <c>opa test -v</c> shows per test:
/// <c>0s</c>, <c>150ns</c>, <c>268.5µs</c>, <c>1.088ms</c>, <c>2.5s</c>, <c>1m30s</c>, <c>1h2m3.5s</c>; and as Go's
/// <c>time.ParseDuration</c> reads it, the form of <c>opa</c>'s duration flags (<c>--timeout 100ms</c>).</summary>
internal static class GoDurationText
{
    /// <summary>Reads <c>[-+]?([0-9]*(\.[0-9]*)?unit)+</c> (units <c>ns us µs ms s m h</c>) or a bare <c>0</c>, as Go's
    /// <c>time.ParseDuration</c>; false for anything else or a value beyond Go's 292 years.</summary>
    public static bool TryParse(string text, out long nanoseconds)
    {
        nanoseconds = 0;
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s is "0")
        {
            return true;
        }

        if (s.IsEmpty)
        {
            return false;
        }

        decimal total = 0;
        while (!s.IsEmpty)
        {
            var i = 0;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            var number = s[..i];
            if (number.IsEmpty || number is "." || number.Count('.') > 1 || number.Length > 28 ||
                !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            var unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.')
            {
                i++;
            }

            long unit = s[unitStart..i] switch
            {
                "ns" => 1,
                "us" or "µs" or "μs" => 1_000,
                "ms" => 1_000_000,
                "s" => 1_000_000_000,
                "m" => 60_000_000_000,
                "h" => 3_600_000_000_000,
                _ => 0,
            };
            if (unit == 0)
            {
                return false;
            }

            total += value * unit;
            if (total > long.MaxValue)
            {
                return false;
            }

            s = s[i..];
        }

        nanoseconds = (long)decimal.Truncate(negative ? -total : total);
        return true;
    }

    public static string Format(long nanoseconds)
    {
        if (nanoseconds == 0)
        {
            return "0s";
        }

        var sb = new StringBuilder();
        var negative = nanoseconds < 0;
        var u = negative ? (ulong)(-(nanoseconds + 1)) + 1 : (ulong)nanoseconds;
        if (negative)
        {
            sb.Append('-');
        }

        if (u < 1_000)
        {
            return sb.Append(u.ToString(CultureInfo.InvariantCulture)).Append("ns").ToString();
        }

        if (u < 1_000_000)
        {
            return sb.Append(Fraction(u, 3)).Append("µs").ToString();
        }

        if (u < 1_000_000_000)
        {
            return sb.Append(Fraction(u, 6)).Append("ms").ToString();
        }

        // Seconds with up to nine fraction digits, preceded by whole minutes and hours.
        var seconds = u % 60_000_000_000;
        var minutes = u / 60_000_000_000;
        if (minutes >= 60)
        {
            sb.Append((minutes / 60).ToString(CultureInfo.InvariantCulture)).Append('h');
            minutes %= 60;
            sb.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }
        else if (minutes > 0)
        {
            sb.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        return sb.Append(Fraction(seconds, 9)).Append('s').ToString();
    }

    // value / 10^digits with the fraction's trailing zeros (and a bare point) removed.
    private static string Fraction(ulong value, int digits)
    {
        var scale = (ulong)Math.Pow(10, digits);
        var whole = (value / scale).ToString(CultureInfo.InvariantCulture);
        var fraction = (value % scale).ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        return fraction.Length == 0 ? whole : $"{whole}.{fraction}";
    }
}
