namespace AgentFabric.Rego.GoCompat;

/// <summary>Duration text as Go's <c>time.ParseDuration</c> reads it (<c>1h30m</c>, <c>-1.5s</c>, <c>300ms</c>), with
/// OPA's additional units d (24h), w (7d) and y (365d). A signed sequence of decimal numbers, each with an optional
/// fraction and a unit; "0" alone needs no unit.</summary>
internal static class GoDuration
{
    private const long Microsecond = 1_000;
    private const long Millisecond = 1_000_000;
    private const long Second = 1_000_000_000;
    private const long Minute = 60 * Second;
    private const long Hour = 60 * Minute;
    private const long Day = 24 * Hour;

    /// <summary>The duration in nanoseconds; throws Go's error text (<c>time: invalid duration "x"</c>).</summary>
    public static long Parse(string text)
    {
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s is "0")
        {
            return 0;
        }

        if (s.IsEmpty)
        {
            throw Invalid(text);
        }

        UInt128 total = 0;
        while (!s.IsEmpty)
        {
            if (!(s[0] == '.' || char.IsAsciiDigit(s[0])))
            {
                throw Invalid(text);
            }

            // Integer part.
            UInt128 whole = 0;
            var i = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                whole = (whole * 10) + (uint)(s[i] - '0');
                if (whole > (UInt128)long.MaxValue + 1)
                {
                    throw Invalid(text);
                }

                i++;
            }

            var hadWhole = i > 0;

            // Fraction: kept as a numerator over a power of ten, digits past 18 ignored as Go does.
            UInt128 fraction = 0, scale = 1;
            var hadFraction = false;
            if (i < s.Length && s[i] == '.')
            {
                i++;
                var start = i;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    if (scale < 1_000_000_000_000_000_000)
                    {
                        fraction = (fraction * 10) + (uint)(s[i] - '0');
                        scale *= 10;
                    }

                    i++;
                }

                hadFraction = i > start;
            }

            if (!hadWhole && !hadFraction)
            {
                throw Invalid(text);
            }

            // Unit: everything up to the next digit or '.'.
            var unitStart = i;
            while (i < s.Length && s[i] != '.' && !char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == unitStart)
            {
                throw new RegoBuiltinException($"time: missing unit in duration {GoQuote.Quote(text)}");
            }

            var unitText = s[unitStart..i].ToString();
            long unit = unitText switch
            {
                "ns" => 1,
                "us" or "\u00b5s" or "\u03bcs" => Microsecond,
                "ms" => Millisecond,
                "s" => Second,
                "m" => Minute,
                "h" => Hour,
                "d" => Day,
                "w" => 7 * Day,
                "y" => 365 * Day,
                _ => throw new RegoBuiltinException($"time: unknown unit {GoQuote.Quote(unitText)} in duration {GoQuote.Quote(text)}"),
            };

            // Go scales the fraction in floating point, so very long fractions round as they do there.
            var value = (whole * (ulong)unit) + (ulong)((double)fraction * ((double)unit / (double)scale));
            total += value;
            if (whole * (ulong)unit > (UInt128)long.MaxValue + 1 || total > (UInt128)long.MaxValue + 1)
            {
                throw Invalid(text);
            }

            s = s[i..];
        }

        if (total > long.MaxValue && !negative)
        {
            throw Invalid(text);
        }

        return negative ? (long)(0 - total) : (long)total;
    }

    private static RegoBuiltinException Invalid(string text) => new($"time: invalid duration {GoQuote.Quote(text)}");
}
