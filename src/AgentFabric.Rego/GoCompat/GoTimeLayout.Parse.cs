using System.Globalization;

namespace AgentFabric.Rego.GoCompat;

internal static partial class GoTimeLayout
{
    private static readonly string[] ShortDayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    private static readonly string[] ShortMonthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>Go's <c>time.Parse(layout, value)</c> with UTC as the default zone: the instant as Unix seconds and
    /// nanoseconds (the seconds may lie far outside the nanosecond range; the caller checks). Errors carry Go's text,
    /// e.g. <c>parsing time "x" as "2006": cannot parse "x" as "2006"</c>.</summary>
    public static (long UnixSeconds, int Nanosecond) Parse(string layout, string value)
    {
        var state = new ParseState();
        var rest = value.AsSpan();
        var remainingLayout = layout.AsSpan();
        while (true)
        {
            var prefix = NextElement(remainingLayout, out var element, out var suffix);
            if (!Skip(ref rest, prefix))
            {
                throw Bad(layout, value, prefix, rest);
            }

            if (element.Kind == Kind.None)
            {
                if (rest.Length > 0)
                {
                    throw new RegoBuiltinException($"parsing time {GoQuote.Quote(value)}: extra text: {GoQuote.Quote(rest.ToString())}");
                }

                break;
            }

            remainingLayout = suffix;
            var elementStart = rest;
            if (!ParseElement(ref rest, element, suffix, ref state, out var rangeError))
            {
                throw Bad(layout, value, element.Text, elementStart);
            }

            if (rangeError is not null)
            {
                throw new RegoBuiltinException($"parsing time {GoQuote.Quote(value)}: {rangeError} out of range");
            }

        }

        return state.Resolve(value);
    }

    private static RegoBuiltinException Bad(string layout, string value, string layoutElement, ReadOnlySpan<char> valueElement) =>
        new($"parsing time {GoQuote.Quote(value)} as {GoQuote.Quote(layout)}: cannot parse {GoQuote.Quote(valueElement.ToString())} as {GoQuote.Quote(layoutElement)}");

    // Literal layout text must match; a space in the layout matches any run of spaces.
    private static bool Skip(ref ReadOnlySpan<char> value, string prefix)
    {
        var p = prefix.AsSpan();
        while (p.Length > 0)
        {
            if (p[0] == ' ')
            {
                if (value.Length > 0 && value[0] != ' ')
                {
                    return false;
                }

                p = p.TrimStart(' ');
                value = value.TrimStart(' ');
                continue;
            }

            if (value.Length == 0 || value[0] != p[0])
            {
                return false;
            }

            p = p[1..];
            value = value[1..];
        }

        return true;
    }

    private static bool ParseElement(ref ReadOnlySpan<char> v, Element element, ReadOnlySpan<char> layoutRest, ref ParseState s, out string? rangeError)
    {
        rangeError = null;
        int n;
        switch (element.Kind)
        {
            case Kind.Year:
                if (v.Length < 2 || !TryAtoi(v[..2], out n))
                {
                    return false;
                }

                s.Year = n >= 69 ? n + 1900 : n + 2000;
                v = v[2..];
                return true;
            case Kind.LongYear:
                if (v.Length < 4 || !char.IsAsciiDigit(v[0]) || !TryAtoi(v[..4], out n))
                {
                    return false;
                }

                s.Year = n;
                v = v[4..];
                return true;
            case Kind.Month or Kind.LongMonth:
                n = Lookup(ref v, element.Kind == Kind.Month ? ShortMonthNames : LongMonthNames);
                s.Month = n + 1;
                return n >= 0;
            case Kind.NumMonth or Kind.ZeroMonth:
                if (!GetNum(ref v, element.Kind == Kind.ZeroMonth, out n))
                {
                    return false;
                }

                s.Month = n;
                rangeError = n is < 1 or > 12 ? "month" : null;
                return true;
            case Kind.WeekDay or Kind.LongWeekDay:
                return Lookup(ref v, element.Kind == Kind.WeekDay ? ShortDayNames : LongDayNames) >= 0;
            case Kind.Day or Kind.UnderDay or Kind.ZeroDay:
                if (element.Kind == Kind.UnderDay && v.Length > 0 && v[0] == ' ')
                {
                    v = v[1..];
                }

                if (!GetNum(ref v, element.Kind == Kind.ZeroDay, out n))
                {
                    return false;
                }

                // The day is checked against the month once both are known.
                s.Day = n;
                return true;
            case Kind.UnderYearDay or Kind.ZeroYearDay:
                for (var i = 0; i < 2 && element.Kind == Kind.UnderYearDay && v.Length > 0 && v[0] == ' '; i++)
                {
                    v = v[1..];
                }

                if (!GetNum3(ref v, element.Kind == Kind.ZeroYearDay, out n))
                {
                    return false;
                }

                s.YearDay = n;
                rangeError = n is < 1 or > 366 ? "day-of-year" : null;
                return true;
            case Kind.Hour:
                if (!GetNum(ref v, false, out n))
                {
                    return false;
                }

                s.Hour = n;
                rangeError = n is < 0 or >= 24 ? "hour" : null;
                return true;
            case Kind.Hour12 or Kind.ZeroHour12:
                if (!GetNum(ref v, element.Kind == Kind.ZeroHour12, out n))
                {
                    return false;
                }

                s.Hour = n;
                rangeError = n is < 0 or > 12 ? "hour" : null;
                return true;
            case Kind.Minute or Kind.ZeroMinute:
                if (!GetNum(ref v, element.Kind == Kind.ZeroMinute, out n))
                {
                    return false;
                }

                s.Minute = n;
                rangeError = n is < 0 or >= 60 ? "minute" : null;
                return true;
            case Kind.Second or Kind.ZeroSecond:
                if (!GetNum(ref v, element.Kind == Kind.ZeroSecond, out n))
                {
                    return false;
                }

                s.Second = n;
                if (n is < 0 or >= 60)
                {
                    rangeError = "second";
                    return true;
                }

                // A fractional second in the value but not in the layout is accepted after the seconds.
                if (v.Length >= 2 && v[0] is '.' or ',' && char.IsAsciiDigit(v[1]))
                {
                    NextElement(layoutRest, out var nextElement, out _);
                    var next = nextElement.Kind;
                    if (next is Kind.FracSecond0 or Kind.FracSecond9)
                    {
                        return true;
                    }

                    var end = 2;
                    while (end < v.Length && char.IsAsciiDigit(v[end]))
                    {
                        end++;
                    }

                    s.Nanosecond = ParseNanoseconds(v[..end]);
                    v = v[end..];
                }

                return true;
            case Kind.PM or Kind.LowerPM:
            {
                if (v.Length < 2)
                {
                    return false;
                }

                var text = v[..2].ToString();
                var (pm, am) = element.Kind == Kind.PM ? ("PM", "AM") : ("pm", "am");
                if (text == pm)
                {
                    s.PmSet = true;
                }
                else if (text == am)
                {
                    s.AmSet = true;
                }
                else
                {
                    return false;
                }

                v = v[2..];
                return true;
            }

            case Kind.TZ:
                return ParseZoneName(ref v, ref s);
            case Kind.FracSecond0:
            {
                var length = 1 + element.Digits;
                if (v.Length < length || v[0] is not ('.' or ',') || !AllDigits(v[1..length]))
                {
                    return false;
                }

                s.Nanosecond = ParseNanoseconds(v[..length]);
                v = v[length..];
                return true;
            }

            case Kind.FracSecond9:
            {
                if (v.Length < 2 || v[0] is not ('.' or ',') || !char.IsAsciiDigit(v[1]))
                {
                    return true; // The fraction may be omitted.
                }

                var end = 1;
                while (end < v.Length && char.IsAsciiDigit(v[end]))
                {
                    end++;
                }

                s.Nanosecond = ParseNanoseconds(v[..end]);
                v = v[end..];
                return true;
            }

            default:
                return ParseNumericZone(ref v, element, ref s, out rangeError);
        }
    }

    // Case-insensitive match of one of the names (Go's lookup); the index or -1.
    private static int Lookup(ref ReadOnlySpan<char> v, string[] names)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (v.Length >= names[i].Length && v[..names[i].Length].Equals(names[i], StringComparison.OrdinalIgnoreCase))
            {
                v = v[names[i].Length..];
                return i;
            }
        }

        return -1;
    }

    // One or two digits; exactly two when fixed.
    private static bool GetNum(ref ReadOnlySpan<char> v, bool fixedWidth, out int n)
    {
        n = 0;
        if (v.Length == 0 || !char.IsAsciiDigit(v[0]))
        {
            return false;
        }

        if (v.Length < 2 || !char.IsAsciiDigit(v[1]))
        {
            if (fixedWidth)
            {
                return false;
            }

            n = v[0] - '0';
            v = v[1..];
            return true;
        }

        n = ((v[0] - '0') * 10) + (v[1] - '0');
        v = v[2..];
        return true;
    }

    // One to three digits; exactly three when fixed.
    private static bool GetNum3(ref ReadOnlySpan<char> v, bool fixedWidth, out int n)
    {
        n = 0;
        var i = 0;
        while (i < 3 && i < v.Length && char.IsAsciiDigit(v[i]))
        {
            n = (n * 10) + (v[i] - '0');
            i++;
        }

        if (i == 0 || (fixedWidth && i != 3))
        {
            return false;
        }

        v = v[i..];
        return true;
    }

    // ".123" → 123000000; digits beyond nanoseconds are dropped.
    private static int ParseNanoseconds(ReadOnlySpan<char> fraction)
    {
        var digits = fraction[1..];
        if (digits.Length > 9)
        {
            digits = digits[..9];
        }

        var n = int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        for (var i = digits.Length; i < 9; i++)
        {
            n *= 10;
        }

        return n;
    }

    private static bool TryAtoi(ReadOnlySpan<char> s, out int n) =>
        int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n);

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
